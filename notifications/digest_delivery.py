"""Sending one digest: claim it, drop the rows that are no longer due, send one e-mail, record it
for the digest and every row it holds.

The claim and the finish are those of a single outbox row (notifications.delivery): one `UPDATE`
decides which worker sends, and the finish updates only the digest as this worker claimed it.
The rows of a digest stay 'pending' while it is on its way and take its outcome when it is
recorded, in the same statement.
"""

from __future__ import annotations

import asyncio
import logging

from core.settings import get_settings
from notifications.delivery import (
    MAX_ATTEMPTS,
    REENQUEUE_AFTER,
    STALE_AFTER,
    Outcome,
    calendar_link,
    retry_delay,
)
from notifications.email import compose_email
from notifications.errors import PermanentDeliveryError, TransientDeliveryError
from notifications.events import EVENT_ROUND_SQL, row_title
from notifications.messages import Reminder, digest_message
from notifications.smtp import send_email
from notifications.tables import Digest
from notifications.unsubscribe import unsubscribe_url

log = logging.getLogger(__name__)

PREFERENCES_PATH = "/me/notifications"

CLAIM_SQL = f"""
UPDATE digest SET status = 'sending', claimed_at = now(), attempts = attempts + 1,
       next_attempt_at = now() + make_interval(secs => {{}})
WHERE id = {{}} AND (
    status = 'pending'
    OR (status = 'sending' AND claimed_at < now() - make_interval(secs => {{}})
        AND attempts < {MAX_ATTEMPTS}))
RETURNING id, key, recipient, recipient_name, frequency, attempts, claimed_at
"""

ITEMS_SQL = f"""
SELECT c.id, c.key, c.source, c.kind, c.lead, c.send_on, c.due, c.recipient, c.recipient_name,
       c.reason, c.party_code, a.id AS agreement_id, a.title AS agreement_title,
       a.reference AS agreement_reference, s.name AS structure_name, s.slug AS structure_slug,
       p.name AS party_name,
       coalesce(dl.title, w.message, '') AS title, ev.after AS event_after,
       CASE WHEN c.source = 'deadline' THEN coalesce(NOT dl.cancelled AND dl.due = c.due, false)
            WHEN c.source = 'event' THEN ev.id IS NOT NULL
            ELSE coalesce(w.closed_at IS NULL, false) END AS still_due,
       (c.reason = 'subscription') AND sub.id IS NULL AS unsubscribed
FROM delivery c
LEFT JOIN agreement a ON a.id = c.agreement
LEFT JOIN deadline dl ON dl.id = c.deadline
LEFT JOIN party p ON p.code = c.party_code
LEFT JOIN validity_warning w ON w.id = c.warning
LEFT JOIN audit_event ev ON ev.id = c.event
-- what happened in a round of a whole structure: the round names the structure
LEFT JOIN round er ON c.agreement IS NULL AND er.id = {EVENT_ROUND_SQL.format(e="ev")}
JOIN structure s ON s.id = coalesce(a.structure, dl.structure, er.structure)
LEFT JOIN subscription sub ON sub.id = c.subscription
WHERE c.digest = {{}} AND c.status = 'pending'
ORDER BY c.id
"""

CANCEL_ROWS_SQL = """
UPDATE delivery SET status = 'cancelled', last_error = {}
WHERE id = ANY({}::int[]) AND status = 'pending'
"""

# the digest as this worker claimed it, and then its rows, in one statement
FINISH_SQL = """
WITH done AS (
    UPDATE digest SET status = {}, sent_at = CASE WHEN {} THEN now() END, last_error = {}, subject = {}
    WHERE id = {} AND status = 'sending' AND claimed_at = {}
    RETURNING id, status, sent_at, last_error
), rows AS (
    UPDATE delivery d SET status = done.status, sent_at = done.sent_at, last_error = done.last_error
    FROM done WHERE d.digest = done.id AND d.status = 'pending'
    RETURNING d.id
)
SELECT (SELECT count(*) FROM done) AS digests, (SELECT count(*) FROM rows) AS rows
"""

RELEASE_SQL = """
UPDATE digest SET status = 'pending', last_error = {},
       next_attempt_at = now() + make_interval(secs => {})
WHERE id = {} AND status = 'sending' AND claimed_at = {}
"""


def _reminder(row: dict) -> Reminder:
    return Reminder(
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
    )


async def deliver_digest(digest_id: int) -> Outcome:
    """Send digest `digest_id` unless someone else has or is doing so. Raises
    `TransientDeliveryError` when it is worth retrying (the digest is back to 'pending')."""
    stale = STALE_AFTER.total_seconds()
    claimed = await Digest.raw(CLAIM_SQL, stale, digest_id, stale)
    if not claimed:
        return Outcome.SKIPPED
    digest = claimed[0]
    rows = await Digest.raw(ITEMS_SQL, digest_id)
    gone = [r["id"] for r in rows if not r["still_due"]]
    unsubscribed = [r["id"] for r in rows if r["still_due"] and r["unsubscribed"]]
    if gone:
        await Digest.raw(CANCEL_ROWS_SQL, "Påminnelsen ändrades eller försvann innan den skickades.", gone)
    if unsubscribed:
        await Digest.raw(CANCEL_ROWS_SQL, "Prenumerationen togs bort innan det skickades.", unsubscribed)
    items = [_reminder(r) for r in rows if r["still_due"] and not r["unsubscribed"]]
    if not items:
        return await _finish(digest, Outcome.CANCELLED, "Inget i sammanställningen gällde längre.", "")
    settings = get_settings()
    try:
        homes = {r.home: r for r in items}
        calendars = {
            h: await calendar_link(r.agreement_id, settings, structure=r.structure_slug)
            for h, r in homes.items()
        }
        message = digest_message(
            items,
            base_url=settings.base_url,
            recipient=digest["recipient"],
            recipient_name=digest["recipient_name"],
            delivery_key=digest["key"],
            frequency=digest["frequency"],
            calendar_urls=calendars,
            unsubscribe_url=unsubscribe_url(settings.base_url, digest["recipient"]),
            preferences_url=f"{settings.base_url}{PREFERENCES_PATH}",
        )
        email = compose_email(message, mail_from=settings.mail_from, now=digest["claimed_at"])
        await asyncio.to_thread(send_email, email, settings)
    except PermanentDeliveryError as exc:
        return await _finish(digest, Outcome.FAILED, exc.reason, "")
    except Exception as exc:
        reason = exc.reason if isinstance(exc, TransientDeliveryError) else f"{type(exc).__name__}: {exc}"
        if digest["attempts"] >= MAX_ATTEMPTS:
            return await _finish(
                digest, Outcome.FAILED, f"Gav upp efter {digest['attempts']} försök: {reason}", ""
            )
        delay = retry_delay(digest["attempts"]) + REENQUEUE_AFTER.total_seconds()
        await Digest.raw(RELEASE_SQL, reason, delay, digest["id"], digest["claimed_at"])
        raise
    return await _finish(digest, Outcome.SENT, None, message.subject_sv)


async def _finish(digest: dict, outcome: Outcome, error: str | None, subject: str) -> Outcome:
    done = await Digest.raw(
        FINISH_SQL, outcome.value, outcome is Outcome.SENT, error, subject, digest["id"], digest["claimed_at"]
    )
    if not done or not done[0]["digests"]:
        log.warning(
            "digest %s: claim of %s was taken over before it finished", digest["id"], digest["claimed_at"]
        )
    return outcome
