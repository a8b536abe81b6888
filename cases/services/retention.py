"""Gallring: clearing the free text and the reporter's e-mail of reports closed long enough ago.

The rule (`cases.rules.retention`) says from which day; this clears every report due, in one
statement, with one audit event each. What stays: agreement, category, parties, dates, states,
measure, so the analysis counts them as before. The status link stops working (its hash goes).
"""

from __future__ import annotations

from datetime import date, timedelta

from audit.trail import Actor, record
from cases.rules.retention import due_for_removal
from cases.tables import FailureReport
from core.settings import get_settings
from lifecycle.rules.months import add_months
from piccolo_conf import DB

CLEAR_SQL = """
WITH cleared AS (
    UPDATE failure_report SET what_happened = '', consequence = '', conclusion = '', reporter_email = NULL,
           token_salt = NULL, token_hash = NULL, cleared_on = {}
    WHERE id = ANY({}) AND state = 'closed' AND cleared_on IS NULL
    RETURNING id, agreement, closed_on
), answers AS (
    UPDATE failure_report_party SET answer = '', answered_by = '' WHERE report IN (SELECT id FROM cleared)
), outbox AS (
    UPDATE case_message SET recipient = '', status = CASE WHEN status IN ('pending', 'sending')
           THEN 'cancelled' ELSE status END WHERE report IN (SELECT id FROM cleared)
)
SELECT * FROM cleared ORDER BY id
"""


async def clear_expired(today: date, months: int | None = None) -> int:
    months = get_settings().case_retention_months if months is None else months
    # month arithmetic clamps at the month's end, so look a few days past the plain subtraction
    # and let the rule decide each one
    candidates = await FailureReport.raw(
        "SELECT id, closed_on FROM failure_report WHERE state = 'closed' AND cleared_on IS NULL "
        "AND closed_on <= {}",
        add_months(today, -months) + timedelta(days=3),
    )
    due = [r["id"] for r in candidates if due_for_removal(r["closed_on"], today, months)]
    if not due:
        return 0
    async with DB.transaction():
        rows = await FailureReport.raw(CLEAR_SQL, today, due)
        actor = Actor.system("gallring")
        for r in rows:
            await record(
                actor,
                "clear",
                "failure_report",
                r["id"],
                agreement_id=r["agreement"],
                after={"cleared_on": today, "months": months},
            )
    return len(rows)
