"""When to remind of a deadline: lead times before its due date ("Reminders the workers send").

DOMAIN.md: notice deadlines "24, 19 and 18 months before the end of an 18-month notice term", that
is 6 months, 1 month and the day itself before the notice deadline, plus a final week; for a
6-month notice 9, 7 and 6 months before the end, i.e. 3 months, 1 month and the day itself (plus
the same final week). Follow-ups one month ahead; a party's decision deadline 1 month and 1 week.
A policy maps a deadline kind (or "notice:<months>" for one notice length) to its lead times; a
structure or an agreement overrides whole entries with `merge_policies`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.errors import InvalidInput
from lifecycle.rules.deadlines import Deadline, DeadlineKind
from lifecycle.rules.months import add_months_eom


@dataclass(frozen=True, slots=True, order=True)
class Lead:
    """How long before the due date a reminder goes out; 0 and 0: on the day."""

    months: int = 0
    days: int = 0

    def __post_init__(self) -> None:
        if self.months < 0 or self.days < 0:
            raise InvalidInput("En påminnelse kan inte skickas efter tidsfristen.", field="policy")

    @property
    def label(self) -> str:
        """Stable, for the reminder's claim key: "6m", "1m", "7d", "1m7d", "0d"."""
        parts = [f"{self.months}m"] if self.months else []
        if self.days or not self.months:
            parts.append(f"{self.days}d")
        return "".join(parts)

    def send_on(self, due: date) -> date:
        # end-of-month convention, as for notice deadlines: 6 months before 2025-06-30 is
        # 2024-12-31, i.e. 24 months before the term end 2026-12-31 (DOMAIN.md)
        return add_months_eom(due, -self.months) - timedelta(days=self.days)


Policy = Mapping[str, Sequence[Lead]]

MONTH, WEEK, ON_THE_DAY = Lead(months=1), Lead(days=7), Lead()

DEFAULT_POLICY: dict[str, tuple[Lead, ...]] = {
    # 18 months' notice (seed 003) and the fallback for other lengths: 24, 19, 18 months before
    # the end, and a week before the deadline
    DeadlineKind.NOTICE: (Lead(months=6), MONTH, WEEK, ON_THE_DAY),
    # 6 months' notice (seeds 000, 001): 9, 7 and 6 months before the end, and the final week
    f"{DeadlineKind.NOTICE}:6": (Lead(months=3), MONTH, WEEK, ON_THE_DAY),
    # not from DOMAIN.md: the end of a period or a party's participation, a month ahead
    DeadlineKind.TERM_END: (MONTH,),
    DeadlineKind.FOLLOW_UP_IMPLEMENTATION: (MONTH,),
    DeadlineKind.FOLLOW_UP_ANNUAL: (MONTH,),
    # not from DOMAIN.md: treated like a decision deadline
    DeadlineKind.CONSULTATION_REPLY: (MONTH, WEEK),
    DeadlineKind.DECISION_DUE: (MONTH, WEEK),
    # not from DOMAIN.md: on the day, so the clerk checks whether an appeal was lodged
    DeadlineKind.LEGALLY_FINAL: (ON_THE_DAY,),
    # not from DOMAIN.md: a week ahead, so the clerk has the case on the agenda
    DeadlineKind.PLANNED_MEETING: (WEEK,),
    # not from DOMAIN.md: a round's reply a week ahead and on the day, to the parties that have
    # not answered; a late reply once (its deadline is a week after the reply-by date); nothing
    # once a party has answered
    DeadlineKind.ROUND_REPLY: (WEEK, ON_THE_DAY),
    DeadlineKind.ROUND_LATE: (ON_THE_DAY,),
    DeadlineKind.ROUND_ANSWERED: (),
    # not from a seed: a dispute level's reply a week ahead and on the day, so the parties and the
    # secretariat can prepare the next level or chase the answer
    DeadlineKind.DISPUTE_REPLY: (WEEK, ON_THE_DAY),
}


def merge_policies(*layers: Policy) -> dict[str, tuple[Lead, ...]]:
    """Layers merged left to right (default, structure, agreement): a later entry replaces the
    earlier one for its key; an empty entry turns that kind's reminders off."""
    merged: dict[str, tuple[Lead, ...]] = {}
    for layer in layers:
        for key, leads in layer.items():
            _check_key(str(key))
            merged[str(key)] = tuple(sorted(set(leads), reverse=True))
    return merged


def reminder_dates(deadline: Deadline, policy: Policy = DEFAULT_POLICY) -> list[tuple[str, date]]:
    """(lead label, send-on date) for each reminder of `deadline`, earliest first."""
    leads = policy.get(DeadlineKind(deadline.kind), ())
    if deadline.kind == DeadlineKind.NOTICE and deadline.notice_months is not None:
        leads = policy.get(f"{DeadlineKind.NOTICE}:{deadline.notice_months}", leads)
    return sorted(
        ((lead.label, lead.send_on(deadline.due)) for lead in set(leads)), key=lambda r: (r[1], r[0])
    )


def _check_key(key: str) -> None:
    """A deadline kind, or "notice:<months>" for the notice deadlines of one notice length."""
    kind, colon, months = key.partition(":")
    if kind not in {k.value for k in DeadlineKind} or (
        colon and (kind != DeadlineKind.NOTICE or not months.isdigit())
    ):
        raise InvalidInput(f"Okänd sorts påminnelse: {key}.", field="policy")
