"""Calendar-month arithmetic for terms, notice periods and follow-ups.

A period of months ends on the day with the same number in the target month; when that month is
shorter, on its last day (DOMAIN.md rule 5: "31 August + 6 months = 28/29 February"; the common
rule for periods of months, as in förordning (EEG, Euratom) nr 1182/71, art. 3.2 c).
"""

from __future__ import annotations

import calendar
from datetime import date

MONTHS_PER_YEAR = 12


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def month_end(d: date) -> date:
    """The last day of `d`'s month."""
    return d.replace(day=days_in_month(d.year, d.month))


def is_month_end(d: date) -> bool:
    return d.day == days_in_month(d.year, d.month)


def add_months(d: date, n: int) -> date:
    """`d` moved `n` calendar months (negative: back), clamped to the target month's last day.

    2024-08-31 + 6 = 2025-02-28; 2023-08-31 + 6 = 2024-02-29; 2029-12-31 - 18 = 2028-06-30.
    The clamp loses days, so a round trip only returns to `d` when `d.day <= 28`.
    """
    year, month0 = divmod(d.year * MONTHS_PER_YEAR + d.month - 1 + n, MONTHS_PER_YEAR)
    month = month0 + 1
    return date(year, month, min(d.day, days_in_month(year, month)))


def add_months_eom(d: date, n: int) -> date:
    """Like `add_months`, but a month's last day moves to the target month's last day.

    The end-of-month convention for terms that end on a month's last day: 18 months before
    2026-12-31 is 2025-06-30, and 18 months after 2025-06-30, counted that way, is 2026-12-31.
    """
    moved = add_months(d, n)
    return month_end(moved) if is_month_end(d) else moved


def add_years(d: date, n: int) -> date:
    """`d` moved `n` years; 29 February becomes 28 February in a common year (DOMAIN.md rule 5)."""
    return add_months(d, n * MONTHS_PER_YEAR)
