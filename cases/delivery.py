"""Sending one e-mail of the case outbox exactly once: claim the row, send, record the outcome.

As `notifications.delivery`: the claim is one UPDATE ... RETURNING, so of two workers given the
same row one sends; `claimed_at` is the claim's token. A transient SMTP failure puts the row back
to pending and raises, so the task retries; a permanent one marks it failed with the reason. A
report cleared by gallring (no address any more) cancels what is still pending.
"""

from __future__ import annotations

import asyncio
import enum

from cases import links
from cases.messages import CaseMail, compose
from cases.rules.states import CaseState
from cases.tables import CaseMessage
from core.settings import get_settings
from notifications.delivery import MAX_ATTEMPTS, STALE_AFTER
from notifications.errors import PermanentDeliveryError, TransientDeliveryError
from notifications.signature import DELIVERY_HEADER
from notifications.smtp import send_email


class Outcome(enum.StrEnum):
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


CLAIM_SQL = f"""
WITH claimed AS (
    UPDATE case_message SET status = 'sending', claimed_at = now(), attempts = attempts + 1
    WHERE id = {{}} AND (status = 'pending'
        OR (status = 'sending' AND claimed_at < now() - make_interval(secs => {{}})
            AND attempts < {MAX_ATTEMPTS}))
    RETURNING *
)
SELECT c.*, r.agreement, r.category, r.measure, r.token_salt, r.reporter_email, r.cleared_on,
       a.title AS agreement_title, p.name AS party_name
FROM claimed c JOIN failure_report r ON r.id = c.report JOIN agreement a ON a.id = r.agreement
LEFT JOIN party p ON p.code = c.party_code
"""
FINISH_SQL = """
UPDATE case_message SET status = {}, sent_at = CASE WHEN {} THEN now() END, last_error = {}
WHERE id = {} AND status = 'sending' AND claimed_at = {} RETURNING id
"""
RELEASE_SQL = """
UPDATE case_message SET status = 'pending', last_error = {}
WHERE id = {} AND status = 'sending' AND claimed_at = {}
"""


def mail_of(row: dict) -> CaseMail:
    reporter = row["kind"] != "party_request"
    link = (
        links.status_url(row["token_salt"]) if reporter else links.case_url(row["agreement"], row["report"])
    )
    return CaseMail(
        key=row["key"],
        kind=row["kind"],
        state=CaseState(row["state"]),
        recipient=row["recipient"],
        agreement_title=row["agreement_title"],
        category=row["category"],
        measure=row["measure"],
        link=link,
        party_name=row["party_name"],
    )


async def deliver(message_id: int) -> Outcome:
    rows = await CaseMessage.raw(CLAIM_SQL, message_id, STALE_AFTER.total_seconds())
    if not rows:
        return Outcome.SKIPPED
    row = rows[0]
    if row["kind"] != "party_request" and (row["cleared_on"] or not row["token_salt"]):
        return await _finish(row, Outcome.CANCELLED, "Rapporten gallrades innan meddelandet skickades.")
    settings = get_settings()
    message = compose(mail_of(row), mail_from=settings.mail_from, now=row["claimed_at"])
    message[DELIVERY_HEADER] = row["key"]
    try:
        await asyncio.to_thread(send_email, message, settings)
    except PermanentDeliveryError as exc:
        return await _finish(row, Outcome.FAILED, exc.reason)
    except TransientDeliveryError as exc:
        if row["attempts"] >= MAX_ATTEMPTS:
            return await _finish(row, Outcome.FAILED, f"Gav upp efter {row['attempts']} försök: {exc.reason}")
        await CaseMessage.raw(RELEASE_SQL, exc.reason, row["id"], row["claimed_at"])
        raise
    return await _finish(row, Outcome.SENT, None)


async def _finish(row: dict, outcome: Outcome, error: str | None) -> Outcome:
    await CaseMessage.raw(
        FINISH_SQL, outcome.value, outcome is Outcome.SENT, error, row["id"], row["claimed_at"]
    )
    return outcome


async def unsent() -> list[int]:
    """Pending rows older than a few minutes (their enqueue was lost), and stale claims: for the
    hourly sweep to enqueue again."""
    rows = await CaseMessage.raw(
        "SELECT id FROM case_message "
        "WHERE (status = 'pending' AND created_at < now() - interval '5 minutes') "
        "OR (status = 'sending' AND claimed_at < now() - make_interval(secs => {}) AND attempts < {}) "
        "ORDER BY id LIMIT 1000",
        STALE_AFTER.total_seconds(),
        MAX_ATTEMPTS,
    )
    return [r["id"] for r in rows]
