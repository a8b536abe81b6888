"""The yearly compilation and analysis of disputes (seed 002: "Gruppen ansvarar för att göra en
årlig sammanställning och analys av inkomna ärenden. Sammanställningen ska även innehålla förslag
till förtydliganden, tillämpningsanvisningar eller omformuleringar av överenskommelsen") (pure).

The disputes received in the year (raised between 1 January and 31 December), each as it stood at
the year's end: settled if it was settled by 31 December, else open. Counted per agreement, per
the highest level reached and per outcome, with the median days from raised to settled; and the
proposed clarifications, per agreement.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from statistics import median

from cases.rules.disputes import DisputeState


@dataclass(frozen=True, slots=True)
class CompiledDispute:
    id: int
    agreement: str  # the agreement's title (and reference)
    raised_on: date
    closed_on: date | None
    state: DisputeState
    level_reached: str  # the name of the highest level reached
    levels_reached: int
    outcome: str
    clarification: str


@dataclass(frozen=True, slots=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Compilation:
    year: int
    total: int
    open: int  # open at the year's end
    resolved: int
    decided: int
    median_days_to_settle: float | None
    by_agreement: tuple[Count, ...]
    by_level: tuple[Count, ...]  # highest level reached, in ladder order
    disputes: tuple[CompiledDispute, ...]  # in the order received
    clarifications: tuple[tuple[str, tuple[CompiledDispute, ...]], ...]  # per agreement


def state_at_year_end(d: CompiledDispute, year: int) -> DisputeState:
    """Settled by 31 December of `year`, or still open then."""
    return d.state if d.closed_on is not None and d.closed_on.year <= year else DisputeState.OPEN


def compile_year(disputes: list[CompiledDispute], year: int) -> Compilation:
    received = sorted((d for d in disputes if d.raised_on.year == year), key=lambda d: (d.raised_on, d.id))
    states = Counter(state_at_year_end(d, year) for d in received)
    days = [
        (d.closed_on - d.raised_on).days
        for d in received
        if state_at_year_end(d, year) is not DisputeState.OPEN
    ]
    agreements = Counter(d.agreement for d in received)
    levels: dict[str, tuple[int, int]] = {}
    for d in received:
        position, count = levels.get(d.level_reached, (d.levels_reached, 0))
        levels[d.level_reached] = (position, count + 1)
    clarified: dict[str, list[CompiledDispute]] = {}
    for d in received:
        if d.clarification and state_at_year_end(d, year) is not DisputeState.OPEN:
            clarified.setdefault(d.agreement, []).append(d)
    return Compilation(
        year=year,
        total=len(received),
        open=states[DisputeState.OPEN],
        resolved=states[DisputeState.RESOLVED],
        decided=states[DisputeState.DECIDED],
        median_days_to_settle=float(median(days)) if days else None,
        by_agreement=tuple(Count(a, n) for a, n in sorted(agreements.items(), key=lambda x: (-x[1], x[0]))),
        by_level=tuple(
            Count(name, n) for name, (_, n) in sorted(levels.items(), key=lambda x: (x[1][0], x[0]))
        ),
        disputes=tuple(received),
        clarifications=tuple((a, tuple(ds)) for a, ds in sorted(clarified.items())),
    )
