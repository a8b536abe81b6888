"""Gallring: when a closed report's free text and the reporter's e-mail address are removed.

The counts (agreement, category, parties, dates, states, measure) stay for the analysis; what
could identify a person or was written freely goes once the report has been closed for the set
number of months (the structure's decision, `CASE_RETENTION_MONTHS`). Open reports are kept.
"""

from __future__ import annotations

from datetime import date

from lifecycle.rules.months import add_months


def removal_date(closed_on: date, months: int) -> date:
    """The day from which a report closed on `closed_on` is to be cleared."""
    return add_months(closed_on, months)


def due_for_removal(closed_on: date | None, today: date, months: int) -> bool:
    return closed_on is not None and today >= removal_date(closed_on, months)
