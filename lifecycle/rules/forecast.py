"""A forecast of entry into force: when the agreement's rule (DOMAIN.md rule 3) is met if every
undecided party adopts at the meeting it has planned.

A planned meeting gives the decision's day, not its minutes' dates, so the forecast takes the
latest the law allows: the minutes approved within fourteen days of the meeting (kommunallagen
(2017:725) 5 kap. 69 §) and the approval posted within two days after (8 kap. 12 §), then the
three-week appeal period (13 kap. 5 §). An adoption already taken whose anslag is not yet
recorded is projected the same way from its meeting. So the date is one the parties' plans make
reachable; minutes approved sooner bring it forward, never back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from lifecycle.rules.appeal import presumed_final_date
from lifecycle.rules.entry import EntryRule, entry_into_force
from lifecycle.rules.model import AdoptionStatus, PartyAdoption

# Kommunallagen 5 kap. 69 § (justering within 14 days) and 8 kap. 12 § (anslag within 2 days).
LATEST_ANSLAG_AFTER_MEETING = timedelta(days=14 + 2)


@dataclass(frozen=True, slots=True)
class Forecast:
    """`in_force_from`: the forecast date for the agreement as a whole (None when it cannot be
    forecast: a party has no planned meeting, or has rejected). `per_party`: each party's, for an
    opt-in agreement. `holding_back`: the parties whose planned decisions set that date (the last
    to become final); `without_plan`: undecided parties with no planned meeting; `blocked_by`:
    parties that rejected. All sorted by party code."""

    in_force_from: date | None
    per_party: dict[str, date | None]
    holding_back: tuple[str, ...]
    without_plan: tuple[str, ...]
    blocked_by: tuple[str, ...]


def projected_final_on(meeting: date) -> date:
    """The latest day a decision at `meeting` is presumed final, its minutes on time."""
    return presumed_final_date(meeting + LATEST_ANSLAG_AFTER_MEETING)


def forecast_entry(
    rule: EntryRule,
    fixed_date: date | None,
    adoptions: Mapping[str, PartyAdoption],
    planned: Mapping[str, date | None],
    *,
    count: int | None = None,
    offset_days: int = 0,
) -> Forecast | None:
    """The forecast, or None when nothing is left to forecast (every party's decision is final or
    a rejection, or the agreement is already in force by its rule)."""
    projected: dict[str, PartyAdoption] = {}
    assumed: set[str] = set()
    without_plan = []
    for code, adoption in sorted(adoptions.items()):
        if adoption.status.is_adopted and adoption.final_on is None and adoption.decided_on is not None:
            projected[code] = PartyAdoption(
                code, adoption.status, adoption.decided_on, projected_final_on(adoption.decided_on)
            )
            assumed.add(code)
        elif adoption.status.is_adopted or adoption.status is AdoptionStatus.REJECTED:
            projected[code] = adoption
        elif (meeting := planned.get(code)) is not None:
            projected[code] = PartyAdoption(
                code, AdoptionStatus.ADOPTED, meeting, projected_final_on(meeting)
            )
            assumed.add(code)
        else:
            projected[code] = adoption
            without_plan.append(code)
    if not assumed and not without_plan:
        return None
    blocked = tuple(code for code, a in projected.items() if a.status is AdoptionStatus.REJECTED)
    each_own = rule in (EntryRule.PER_PARTY, EntryRule.AFTER_N_ADOPTIONS)  # a rejection blocks no one
    if without_plan or (blocked and not each_own):
        return Forecast(None, {}, (), tuple(without_plan), blocked)
    entry = entry_into_force(rule, fixed_date, projected.values(), count=count, offset_days=offset_days)
    if each_own:
        return Forecast(entry.agreement_from, entry.per_party, tuple(sorted(assumed)), (), blocked)
    since = entry.agreement_from
    holding = tuple(
        sorted(
            code
            for code in assumed
            if projected[code].final_on == since and (rule is EntryRule.WHEN_ALL_FINAL or since != fixed_date)
        )
    )
    return Forecast(since, dict.fromkeys(adoptions, since), holding, (), ())
