"""Swedish days off, as the law on computing statutory time limits counts them.

Lag (1930:173) om beräkning av lagstadgad tid, 2 §: a time limit that ends on a Saturday, a
Sunday, another public holiday (allmän helgdag), midsommarafton, julafton or nyårsafton ends
on the next working day instead. The public holidays are those of lag (1989:253) om allmänna
helgdagar; the three "aftnar" are not public holidays, so the `holidays` package lists them only
in its `de_facto` category.

`holidays` is pinned (0.109) because its Swedish categories changed between releases. In 0.109
the `public` category does not list Sundays unless `include_sundays=True` is passed; we pass
False explicitly and test the weekday ourselves, so a changed default can never change a date.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays

# lag (1930:173) 2 §: allmän helgdag (category "public") plus midsommarafton, julafton and
# nyårsafton (category "de_facto" in holidays 0.109).
_CATEGORIES = ("public", "de_facto")

_SATURDAY = 5  # date.weekday(): Monday is 0
_ONE_DAY = timedelta(days=1)


@cache
def _holidays_in(year: int) -> frozenset[date]:
    """The public holidays and the three "aftnar" of one year, computed once per year."""
    calendar = holidays.Sweden(years=year, categories=_CATEGORIES, include_sundays=False)
    return frozenset(calendar.keys())


def is_day_off(d: date) -> bool:
    """True for the days on which a statutory time limit cannot end (lag (1930:173) 2 §).

    Saturdays, Sundays, public holidays (lag (1989:253) om allmänna helgdagar), midsommarafton,
    julafton and nyårsafton.
    """
    return d.weekday() >= _SATURDAY or d in _holidays_in(d.year)


def next_working_day_on_or_after(d: date) -> date:
    """`d` itself when it is a working day, else the first working day after it.

    This is how lag (1930:173) 2 § moves the last day of a time limit that ends on a day off.
    """
    while is_day_off(d):
        d += _ONE_DAY
    return d
