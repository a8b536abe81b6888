"""Delivering one webhook row of the outbox: claim it, send it, record what happened. (E-mail rows
go out in digests, notifications.digest_delivery, which claim and finish the same way.)

The claim is one statement (`UPDATE ... WHERE status = 'pending' OR stale 'sending' ... RETURNING`),
so of two workers given the same row only one gets it back; the other does nothing. The claim's
`claimed_at` is its token: finishing updates only the row as this worker claimed it, so a worker
that was presumed dead and comes back cannot overwrite what its successor recorded.

Instants here (claimed_at, sent_at, next_attempt_at) are PostgreSQL's `now()`: one clock for all
workers racing on a row, and real time even when a demo pins the calendar (SAMVERKAN_TODAY).

`next_attempt_at` is when the sweep should enqueue the row again if it is still not sent:
REENQUEUE_AFTER after it was enqueued, STALE_AFTER after it was claimed, and after the retry's
backoff once a transient error has put it back to 'pending'.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from datetime import timedelta

from core.settings import Settings, get_settings
from notifications.errors import PermanentDeliveryError, TransientDeliveryError
from notifications.events import EVENT_ROUND_SQL, row_title
from notifications.feeds.links import subscribe_links
from notifications.messages import Reminder, home_url, webhook_reminder
from notifications.tables import Delivery
from notifications.webhook import build_payload, send_webhook

log = logging.getLogger(__name__)

# One first try and five retries (the deliver task's max_retries); then the row is failed.
MAX_ATTEMPTS = 6
# Retry n waits about RETRY_BACKOFF_SECONDS * 2**(n-1), at most RETRY_BACKOFF_MAX_SECONDS: six
# attempts span about half an hour, long enough to ride out an SMTP server's restart.
RETRY_BACKOFF_SECONDS = 60
RETRY_BACKOFF_MAX_SECONDS = 960
# A claim older than this belongs to a worker that died: sending takes at most the SMTP timeout
# (30 s) or the webhook timeout (10 s), so ten minutes leaves no doubt.
STALE_AFTER = timedelta(minutes=10)
# An enqueued row still pending after this was lost on the way (or waits in a long queue: then
# the extra message finds it claimed or sent and does nothing).
REENQUEUE_AFTER = timedelta(minutes=10)


class Outcome(enum.StrEnum):
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"  # not ours to send: already sent, claimed by another worker, or gone


CLAIM_SQL = f"""
WITH claimed AS (
    UPDATE delivery SET status = 'sending', claimed_at = now(), attempts = attempts + 1,
           next_attempt_at = now() + make_interval(secs => {{}})
    WHERE id = {{}} AND channel = 'webhook' AND (
        status = 'pending'
        OR (status = 'sending' AND claimed_at < now() - make_interval(secs => {{}})
            AND attempts < {MAX_ATTEMPTS}))
    RETURNING *
)
SELECT c.id, c.key, c.source, c.kind, c.lead, c.send_on, c.due, c.channel, c.recipient, c.created_at,
       c.recipient_name, c.reason, c.attempts, c.claimed_at, c.party_code,
       a.id AS agreement_id, a.title AS agreement_title, a.reference AS agreement_reference,
       s.name AS structure_name, s.slug AS structure_slug, p.name AS party_name,
       coalesce(dl.title, w.message, '') AS title, ev.after AS event_after,
       CASE WHEN c.source = 'deadline' THEN coalesce(NOT dl.cancelled AND dl.due = c.due, false)
            WHEN c.source = 'event' THEN ev.id IS NOT NULL
            ELSE coalesce(w.closed_at IS NULL, false) END AS still_due,
       (c.reason = 'subscription') AND sub.id IS NULL AS unsubscribed,
       sub.secret
FROM claimed c
LEFT JOIN agreement a ON a.id = c.agreement
LEFT JOIN deadline dl ON dl.id = c.deadline
LEFT JOIN party p ON p.code = c.party_code
LEFT JOIN validity_warning w ON w.id = c.warning
LEFT JOIN audit_event ev ON ev.id = c.event
-- what happened in a round of a whole structure: the round names the structure
LEFT JOIN round er ON c.agreement IS NULL AND er.id = {EVENT_ROUND_SQL.format(e="ev")}
JOIN structure s ON s.id = coalesce(a.structure, dl.structure, er.structure)
LEFT JOIN subscription sub ON sub.id = c.subscription
"""

FINISH_SQL = """
UPDATE delivery SET status = {}, sent_at = CASE WHEN {} THEN now() END, last_error = {}
WHERE id = {} AND status = 'sending' AND claimed_at = {}
RETURNING id
"""

RELEASE_SQL = """
UPDATE delivery SET status = 'pending', last_error = {},
       next_attempt_at = now() + make_interval(secs => {})
WHERE id = {} AND status = 'sending' AND claimed_at = {}
RETURNING id
"""


def retry_delay(attempts: int) -> float:
    """Seconds before retry number `attempts` (1-based), as the deliver task's backoff counts."""
    return float(min(RETRY_BACKOFF_MAX_SECONDS, RETRY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)))


async def deliver(delivery_id: int) -> Outcome:
    """Send webhook row `delivery_id` unless someone else has or is doing so (an e-mail row is
    skipped: its digest sends it). Raises
    `TransientDeliveryError` when it is worth retrying (the row is back to 'pending')."""
    rows = await Delivery.raw(
        CLAIM_SQL, STALE_AFTER.total_seconds(), delivery_id, STALE_AFTER.total_seconds()
    )
    if not rows:
        return Outcome.SKIPPED
    row = rows[0]
    if not row["still_due"]:
        what = "Tidsfristen" if row["source"] == "deadline" else "Varningen"
        return await _finish(row, Outcome.CANCELLED, f"{what} ändrades eller försvann innan det skickades.")
    if row["unsubscribed"]:
        return await _finish(row, Outcome.CANCELLED, "Prenumerationen togs bort innan det skickades.")
    settings = get_settings()
    try:
        calendar_url = await calendar_link(row["agreement_id"], settings, structure=row["structure_slug"])
        await asyncio.to_thread(send, row, settings, calendar_url)
    except PermanentDeliveryError as exc:
        return await _finish(row, Outcome.FAILED, exc.reason)
    except Exception as exc:
        reason = exc.reason if isinstance(exc, TransientDeliveryError) else f"{type(exc).__name__}: {exc}"
        if row["attempts"] >= MAX_ATTEMPTS:
            return await _finish(row, Outcome.FAILED, f"Gav upp efter {row['attempts']} försök: {reason}")
        delay = retry_delay(row["attempts"]) + REENQUEUE_AFTER.total_seconds()
        await Delivery.raw(RELEASE_SQL, reason, delay, row["id"], row["claimed_at"])
        raise
    return await _finish(row, Outcome.SENT, None)


async def calendar_link(agreement_id: int | None, settings: Settings, *, structure: str = "") -> str:
    """The agreement's calendar link for a message (the structure's, for a structure's deadline:
    no agreement). Feeds open only with a token, so where reading is public this is the published
    link its page shows (made on first use, notifications.feeds.links); where it is not, no token
    goes out by mail: the link leads to the page's calendar section, which shows the subscribe
    links after a sign-in."""
    home: int | str = structure if agreement_id is None else agreement_id
    if not settings.public_read:
        return f"{home_url(settings.base_url, home)}#kalender"
    if agreement_id is None:
        return (await subscribe_links("structure", structure)).https
    return (await subscribe_links("agreement", agreement_id)).https


def send(row: dict, settings: Settings, calendar_url: str | None = None) -> None:
    """Hand the reminder to the webhook receiver (blocking)."""
    reminder = Reminder(
        delivery_key=row["key"],
        source=row["source"],
        kind=row["kind"],
        lead=row["lead"],
        send_on=row["send_on"],
        due=row["due"],
        recipient=row["recipient"],
        recipient_name=row["recipient_name"],
        reason=row["reason"],
        agreement_id=row["agreement_id"],
        agreement_title=row["agreement_title"],
        agreement_reference=row["agreement_reference"],
        structure_name=row["structure_name"],
        structure_slug=row["structure_slug"],
        party_code=row["party_code"],
        party_name=row["party_name"],
        title=row_title(row),
        calendar_url=calendar_url,
        written_at=row["created_at"],
    )
    body = build_payload(webhook_reminder(reminder, settings.base_url))
    send_webhook(
        row["recipient"],
        body,
        row["secret"] or "",
        settings.webhook_timeout,
        delivery_key=row["key"],
        now=row["claimed_at"],
    )


async def _finish(row: dict, outcome: Outcome, error: str | None) -> Outcome:
    done = await Delivery.raw(
        FINISH_SQL, outcome.value, outcome is Outcome.SENT, error, row["id"], row["claimed_at"]
    )
    if not done:
        # our claim went stale and another worker took the row over: it records the outcome
        log.warning(
            "delivery %s: claim of %s was taken over before it finished", row["id"], row["claimed_at"]
        )
    return outcome
