"""Every deadline of one agreement, as plain data for the reminder workers and calendar feeds.

A deadline's `key` names its cause, never its date, so a deadline whose date moves keeps its key
(a calendar event's UID: the event moves in place) and one whose cause goes away takes its key
with it (the event is cancelled). The causes:

- a term period ends, and its notice deadline: by the period's end (`term_end:2026-12-31`,
  `notice:2026-12-31`), so a changed notice period moves the deadline of the same period;
- a party leaves after its notice: by the party (`term_end:1401`);
- the implementation follow-up and the consultation reply: one each per agreement
  (`follow_up_implementation`, `consultation_reply`);
- an annual follow-up: by its year (`follow_up_annual:2026`);
- a party's decision deadline: by the party (`decision_due:1401`); a decision's final date and
  planned meeting: by the decision (`final:1401:57`, `meeting:1401:57`).

Deadlines run from the agreement's start to `as_of` plus a horizon; past ones stay, so a calendar
keeps its history.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import NamedTuple

from core.errors import Conflict, InvalidInput
from lifecycle.rules.groups import GroupRecommendation
from lifecycle.rules.model import RecordId
from lifecycle.rules.months import add_months, add_years, days_in_month
from lifecycle.rules.swedish import genitive, party_label, sv_date
from lifecycle.rules.term import (
    FixedTerm,
    Notice,
    TermRule,
    TermView,
    not_concerned,
    notice_deadline,
    periods,
    term_as_of,
)

# Seed 004 measure 6: follow up "cirka ett år efter överenskommelsens ikraftträdande".
IMPLEMENTATION_FOLLOW_UP_MONTHS = 12
# Seed 004: the party decisions take 6–9 months after the recommendation.
DECISION_DUE_MONTHS = 9
# Not from a seed: covers a 3-year renewal and its 18-month notice deadline ahead.
DEFAULT_HORIZON_YEARS = 5


def decision_due_on(
    set_by_secretariat: date | None, recommended_on: date | None, months: int = DECISION_DUE_MONTHS
) -> date | None:
    """When the parties' decisions are due: the date the secretariat set, else `months` after
    the recommendation (seed 004), else not yet known."""
    if set_by_secretariat is not None:
        return set_by_secretariat
    return add_months(recommended_on, months) if recommended_on is not None else None


def party_decision_due(
    set_by_secretariat: date | None,
    recommended_on: date | None,
    group: GroupRecommendation | None,
    months: int = DECISION_DUE_MONTHS,
) -> date | None:
    """When one party's decision is due. A date the secretariat set binds every party; else
    `months` after its group's recommendation when its group has recommended (seed 003: GR's
    § 356 opens its members' decisions), never before the structure's; else `decision_due_on`."""
    if set_by_secretariat is None and group is not None:
        opened = group.taken_on if recommended_on is None else max(group.taken_on, recommended_on)
        return add_months(opened, months)
    return decision_due_on(set_by_secretariat, recommended_on, months)


class DeadlineKind(enum.StrEnum):
    """In the order deadlines of the same day are listed."""

    NOTICE = "notice"
    TERM_END = "term_end"
    FOLLOW_UP_IMPLEMENTATION = "follow_up_implementation"
    FOLLOW_UP_ANNUAL = "follow_up_annual"
    CONSULTATION_REPLY = "consultation_reply"
    DECISION_DUE = "decision_due"
    LEGALLY_FINAL = "legally_final"
    PLANNED_MEETING = "planned_meeting"
    # A round's deadlines, one per asked party, stored by the rounds package (rounds.rules.rounds),
    # not derived here: a reply still due, a reply that is late, a party that has answered.
    ROUND_REPLY = "round_reply"
    ROUND_LATE = "round_late"
    ROUND_ANSWERED = "round_answered"
    # A dispute's open level must answer by its reply date, one row per party taking part, stored
    # by the cases package (cases.rules.disputes.deadlines).
    DISPUTE_REPLY = "dispute_reply"


# Kinds whose rows other packages write: `lifecycle.store.refresh` leaves them alone.
STORED_ELSEWHERE = (
    DeadlineKind.ROUND_REPLY,
    DeadlineKind.ROUND_LATE,
    DeadlineKind.ROUND_ANSWERED,
    DeadlineKind.DISPUTE_REPLY,
)


_ORDER = {kind: index for index, kind in enumerate(DeadlineKind)}


@dataclass(frozen=True, slots=True)
class Deadline:
    """`notice_months`: on notice deadlines only, to pick the reminder lead times (`reminders`).
    `not_for`: on an agreement-wide deadline, the parties it no longer concerns because they gave
    notice (`term.not_concerned`): their deadlines, feeds and reminders leave it out."""

    key: str
    kind: DeadlineKind
    due: date
    party_code: str | None
    title_sv: str
    notice_months: int | None = None
    not_for: tuple[str, ...] = ()


class MonthDay(NamedTuple):
    """A day each year, e.g. MonthDay(11, 15): seed 002's survey dialogue "senast den 15 november"."""

    month: int
    day: int


@dataclass(frozen=True, slots=True)
class DecisionDates:
    """One party decision's dates: a taken decision's presumed final date, a planned meeting."""

    id: RecordId
    party_code: str
    presumed_final_on: date | None = None
    planned_meeting_on: date | None = None


@dataclass(frozen=True, slots=True)
class DeadlineInputs:
    """What the deadlines derive from. `parties`: all of them, to tell when too few remain.

    The decision deadline is `decision_due_on` if the secretariat set one, else
    `recommended_on` plus `decision_due_months`; it applies to each of `pending_party_codes`.
    """

    term: TermRule | None = None
    notices: tuple[Notice, ...] = ()
    parties: tuple[str, ...] = ()
    entered_into_force_on: date | None = None
    annual_follow_up: MonthDay | None = None
    consultation_reply_by: date | None = None
    recommended_on: date | None = None
    decision_due_on: date | None = None
    decision_due_months: int = DECISION_DUE_MONTHS
    pending_party_codes: tuple[str, ...] = ()
    # the recommendation of each party's group, when it has one (lifecycle.rules.groups)
    group_recommendations: Mapping[str, GroupRecommendation] = field(default_factory=dict)
    decisions: tuple[DecisionDates, ...] = ()
    # follow-ups recorded as done (their round closed), by deadline key: met, so no longer due
    follow_ups_done: frozenset[str] = frozenset()
    party_names: Mapping[str, str] = field(default_factory=dict)  # code → name, for the titles


def derive_deadlines(
    inputs: DeadlineInputs, as_of: date, horizon_years: int = DEFAULT_HORIZON_YEARS
) -> list[Deadline]:
    """All deadlines due up to `as_of` + `horizon_years`, by date, kind, party and key; keys unique."""
    if horizon_years < 0:
        raise InvalidInput("Horisonten kan inte vara negativ.", field="horizon_years")
    limit = add_years(as_of, horizon_years)
    found: list[Deadline] = []
    ends_on = None
    view = None
    if inputs.term is not None:
        view = term_as_of(inputs.term, inputs.notices, as_of, parties=inputs.parties or None)
        ends_on = view.ends_on
        found += _term(inputs.term, view, limit, inputs.party_names)
    found += follow_ups(inputs, min(limit, ends_on) if ends_on else limit)
    found += _decisions(inputs)
    if view is not None and view.party_end_dates:
        found = [
            replace(
                d, not_for=not_concerned(view, inputs.notices, d.due, is_notice=d.kind is DeadlineKind.NOTICE)
            )
            if d.party_code is None
            else d
            for d in found
        ]
    deadlines = sorted(
        (d for d in found if d.due <= limit), key=lambda d: (d.due, _ORDER[d.kind], d.party_code or "", d.key)
    )
    assert len({d.key for d in deadlines}) == len(deadlines), "deadline keys must be unique"
    return deadlines


def _term(term: TermRule, view: TermView, limit: date, names: Mapping[str, str]) -> list[Deadline]:
    """Notice deadlines and period ends (seed 003, DOMAIN.md rule 5); each leaving party's end."""
    found = []
    if isinstance(term, FixedTerm):
        for period in periods(term, limit):
            assert period.end is not None
            last = term.renewal_years is None or (view.ends_on is not None and period.end >= view.ends_on)
            title = (
                f"Avtalstiden löper ut {sv_date(period.end)}: överenskommelsen upphör"
                if last
                else f"Avtalsperioden {sv_date(period.start)}–{sv_date(period.end)} löper ut: "
                f"överenskommelsen förlängs "
                f"med {term.renewal_years} år om ingen part har sagt upp den"
            )
            found.append(Deadline(f"term_end:{period.end}", DeadlineKind.TERM_END, period.end, None, title))
            deadline = notice_deadline(period.end, term.notice_months)
            if not last and deadline >= term.start:
                title = (
                    f"Sista dag att skriftligen säga upp överenskommelsen till {sv_date(period.end)} "
                    f"({term.notice_months} månaders uppsägningstid)"
                )
                # keyed by the period it ends, not its date: a new notice period moves it in place
                found.append(
                    Deadline(
                        f"notice:{period.end}", DeadlineKind.NOTICE, deadline, None, title, term.notice_months
                    )
                )
            if last:
                break
    for code, end in view.party_end_dates.items():
        title = f"Överenskommelsen upphör att gälla för {party_label(code, names)} efter uppsägning"
        found.append(Deadline(f"term_end:{code}", DeadlineKind.TERM_END, end, code, title))
    return found


def follow_ups(inputs: DeadlineInputs, last: date) -> list[Deadline]:
    """The implementation follow-up (seed 004 measure 6) and annual ones (seeds 000 § 11, 002 § 12)
    due up to `last`, but those recorded as done."""
    found = []
    entered = inputs.entered_into_force_on
    if entered is not None:
        due = add_months(entered, IMPLEMENTATION_FOLLOW_UP_MONTHS)
        if due <= last:
            title = "Uppföljning av överenskommelsens genomslag i beslut och styrning (ett år i kraft)"
            found.append(
                Deadline("follow_up_implementation", DeadlineKind.FOLLOW_UP_IMPLEMENTATION, due, None, title)
            )
    if inputs.annual_follow_up is not None:
        start = entered or (inputs.term.start if inputs.term is not None else None)
        found += _annual(inputs.annual_follow_up, start, last)
    return [d for d in found if d.key not in inputs.follow_ups_done]


def _annual(when: MonthDay, start: date | None, last: date) -> list[Deadline]:
    """Each year's `when` from the agreement's start through `last`; 29 February clamps to the 28th."""
    month, day = when
    if not (1 <= month <= 12 and 1 <= day <= days_in_month(2000, month)):  # 2000: a leap year
        raise InvalidInput(f"Ogiltig dag för årlig uppföljning: {month}-{day}.", field="annual_follow_up")
    if start is None:
        return []
    found = []
    for year in range(start.year, last.year + 1):
        due = date(year, month, min(day, days_in_month(year, month)))
        if start <= due <= last:
            title = "Årlig uppföljning av överenskommelsen ska vara genomförd"
            found.append(
                Deadline(f"follow_up_annual:{year}", DeadlineKind.FOLLOW_UP_ANNUAL, due, None, title)
            )
    return found


def _decisions(inputs: DeadlineInputs) -> list[Deadline]:
    """The consultation reply, each pending party's decision deadline, each decision's dates."""
    found = []
    if inputs.consultation_reply_by is not None:
        due = inputs.consultation_reply_by
        found.append(
            Deadline(
                "consultation_reply",
                DeadlineKind.CONSULTATION_REPLY,
                due,
                None,
                "Sista dag att svara på remissen",
            )
        )
    if inputs.decision_due_months < 1:
        raise InvalidInput("Antalet månader måste vara minst 1.", field="decision_due_months")
    for code in sorted(set(inputs.pending_party_codes)):
        group = inputs.group_recommendations.get(code)
        months = inputs.decision_due_months
        due = party_decision_due(inputs.decision_due_on, inputs.recommended_on, group, months)
        if due is None:
            continue
        title = "Sista dag för beslut om överenskommelsen"
        if inputs.decision_due_on is None:
            after = "rekommendationen" if group is None else f"{genitive(group.short_name)} rekommendation"
            title = f"Beslut om överenskommelsen väntas, {months} månader efter {after}"
        found.append(Deadline(f"decision_due:{code}", DeadlineKind.DECISION_DUE, due, code, title))
    seen: set[RecordId] = set()
    for decision in inputs.decisions:
        if decision.id in seen:
            raise Conflict(f"Beslutet {decision.id} förekommer mer än en gång.", field="decisions")
        seen.add(decision.id)
        code = decision.party_code
        if (due := decision.presumed_final_on) is not None:
            title = "Beslutet vinner laga kraft om det inte har överklagats"
            found.append(
                Deadline(f"final:{code}:{decision.id}", DeadlineKind.LEGALLY_FINAL, due, code, title)
            )
        if (due := decision.planned_meeting_on) is not None:
            title = "Planerat sammanträde med beslut om överenskommelsen"
            found.append(
                Deadline(f"meeting:{code}:{decision.id}", DeadlineKind.PLANNED_MEETING, due, code, title)
            )
    return found
