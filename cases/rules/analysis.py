"""The analysis of samverkansbrister (seed 004: "regelbunden sammanställning och analys"): counts
per category, party and quarter, open and closed, and the median days from received to closed.

Counts only: this is what the public sees, and what stays after gallring.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from lifecycle.rules.months import add_months

# A follow-up looks back over the year it follows up (seed 004, measure 6: a year after entry into
# force; seeds 000–002: each year), so its round shows the reports of the twelve months up to it.
FOLLOW_UP_MONTHS = 12


@dataclass(frozen=True, slots=True)
class Counted:
    """One report as the analysis sees it."""

    category: str
    parties: tuple[str, ...]  # names of the organisations involved
    received_on: date
    closed_on: date | None
    measure: str | None
    agreement: str = ""  # the agreement's title, for a structure's analysis


@dataclass(frozen=True, slots=True)
class Group:
    label: str
    total: int
    open: int
    closed: int
    median_days_to_close: float | None


@dataclass(frozen=True, slots=True)
class Analysis:
    total: Group
    by_category: tuple[Group, ...]
    by_party: tuple[Group, ...]
    by_quarter: tuple[Group, ...]  # in time order, every quarter from the first to the last
    by_measure: tuple[Group, ...]
    by_agreement: tuple[Group, ...] = ()  # a structure's analysis: per agreement


def follow_up_period(follow_up_on: date) -> tuple[date, date]:
    """The days whose samverkansbrister a follow-up on `follow_up_on` looks back on: the twelve
    months up to and including it (2025-11-15 → 2024-11-16 – 2025-11-15; month ends clamp)."""
    return add_months(follow_up_on, -FOLLOW_UP_MONTHS) + timedelta(days=1), follow_up_on


def quarter(day: date) -> str:
    return f"{day.year} kv{(day.month - 1) // 3 + 1}"


def _quarters(first: date, last: date) -> list[str]:
    found, year, q = [], first.year, (first.month - 1) // 3
    while (year, q) <= (last.year, (last.month - 1) // 3):
        found.append(f"{year} kv{q + 1}")
        year, q = (year + 1, 0) if q == 3 else (year, q + 1)
    return found


def _group(label: str, reports: list[Counted]) -> Group:
    days = [(r.closed_on - r.received_on).days for r in reports if r.closed_on]
    closed = len(days)
    return Group(label, len(reports), len(reports) - closed, closed, float(median(days)) if days else None)


def _by(key_lists: dict[str, list[Counted]]) -> tuple[Group, ...]:
    groups = [_group(k, v) for k, v in key_lists.items()]
    return tuple(sorted(groups, key=lambda g: (-g.total, g.label)))


def analyse(reports: list[Counted], measure_labels: dict[str, str]) -> Analysis:
    categories, parties, quarters, measures, agreements = (defaultdict(list) for _ in range(5))
    for r in reports:
        categories[r.category].append(r)
        if r.agreement:
            agreements[r.agreement].append(r)
        for p in r.parties:
            parties[p].append(r)
        quarters[quarter(r.received_on)].append(r)
        if r.measure:
            measures[measure_labels.get(r.measure, r.measure)].append(r)
    timeline: tuple[Group, ...] = ()
    if reports:
        days = [r.received_on for r in reports]
        timeline = tuple(_group(q, quarters.get(q, [])) for q in _quarters(min(days), max(days)))
    return Analysis(
        total=_group("Alla", reports),
        by_category=_by(categories),
        by_party=_by(parties),
        by_quarter=timeline,
        by_measure=_by(measures),
        by_agreement=_by(agreements),
    )
