"""One agreement, evaluated as of a day: every rule applied to its facts, in one place.

The API's overview, the term view, the reminder sweep and the calendar feeds all read an
`Evaluation`, so they can never disagree about a date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from lifecycle.rules.deadlines import (
    Deadline,
    DeadlineInputs,
    DecisionDates,
    MonthDay,
    derive_deadlines,
    follow_ups,
    party_decision_due,
)
from lifecycle.rules.decisions import Decision, next_planned_meeting, party_adoption
from lifecycle.rules.entry import EntryRule, EntryView, entry_into_force
from lifecycle.rules.forecast import Forecast, forecast_entry
from lifecycle.rules.groups import GroupRecommendation, parties_recommended_on
from lifecycle.rules.model import AdoptionStatus, AgreementKind, AgreementStatus, Outcome, PartyAdoption
from lifecycle.rules.process import TakenStep, allowed_next, current_step, get_template, recommended_on
from lifecycle.rules.replacement import deadlines_until_replaced, is_replaced, term_until_replaced
from lifecycle.rules.templates import ProcessTemplate, Step
from lifecycle.rules.term import Notice, TermRule, TermView, term_as_of
from lifecycle.rules.validity import (
    ATTACHED_KINDS,
    AgreementFacts,
    ValidityWarning,
    effective_term,
    validity_warnings,
)

# A party whose standing is one of these has decided; the others are still asked to.
SETTLED = frozenset(
    {AdoptionStatus.ADOPTED, AdoptionStatus.ADOPTED_WITH_RESERVATION, AdoptionStatus.REJECTED}
)


@dataclass(frozen=True, slots=True)
class StoredDecision:
    id: int
    decision: Decision


@dataclass(frozen=True, slots=True)
class AgreementInputs:
    """The stored facts of one agreement version, as plain values."""

    id: int
    structure: str
    kind: AgreementKind
    status: AgreementStatus
    parties: tuple[str, ...]
    steps: tuple[TakenStep, ...] = ()
    reply_by: date | None = None  # the open consultation round's reply deadline
    decisions: tuple[StoredDecision, ...] = ()
    notices: tuple[Notice, ...] = ()
    term: TermRule | None = None
    entry_rule: EntryRule = EntryRule.WHEN_ALL_FINAL
    entry_fixed_date: date | None = None
    entry_count: int | None = None  # AFTER_N_ADOPTIONS: how many adoptions
    entry_offset_days: int = 0  # AFTER_N_ADOPTIONS: days after the final decision
    declared_in_force_from: date | None = None
    law_refs: tuple[str, ...] = ()
    decision_due: date | None = None
    annual_follow_up: MonthDay | None = None
    follow_ups_done: frozenset[str] = frozenset()  # deadline keys of follow-ups recorded as done
    group_recommendations: tuple[GroupRecommendation, ...] = ()  # kommunalförbund's to their members
    # the day the agreement that replaces this one enters into force (lifecycle.rules.replacement)
    replaced_from: date | None = None
    parent: AgreementInputs | None = None
    party_names: Mapping[str, str] = field(default_factory=dict)  # code → name, for messages


@dataclass(frozen=True, slots=True)
class Evaluation:
    template: ProcessTemplate
    current_step: Step | None
    allowed_next: tuple[str, ...]
    recommended_on: date | None
    adoptions: dict[str, PartyAdoption]
    next_meetings: dict[str, date | None]
    counts: dict[AdoptionStatus, int]
    entry: EntryView | None
    in_force_from: date | None
    term: TermView | None
    warnings: tuple[ValidityWarning, ...]
    # The term rule that governs (an annex's or supplement's is its parent's, seed 003) and the
    # id of the agreement it is written in: this one's, or an ancestor's. None without a term.
    term_rule: TermRule | None = None
    term_from: int | None = None
    forecast: Forecast | None = None  # of entry into force, from the planned meetings
    # each party's group recommendation (when its group has recommended) and decide-by date
    group_recommended: dict[str, GroupRecommendation] = field(default_factory=dict)
    decision_due: dict[str, date | None] = field(default_factory=dict)
    deadlines: tuple[Deadline, ...] = field(default=())


def _facts(
    inputs: AgreementInputs,
    recommended: date | None,
    in_force_from: date | None,
    notices: tuple[Notice, ...] | None = None,
) -> AgreementFacts:
    parent = None
    if inputs.parent is not None:
        parent = _facts(inputs.parent, None, inputs.parent.declared_in_force_from)
    return AgreementFacts(
        kind=inputs.kind,
        status=inputs.status,
        recommended_on=recommended,
        in_force_from=in_force_from,
        term=inputs.term,
        notices=inputs.notices if notices is None else notices,
        law_refs=inputs.law_refs,
        entry_rule=inputs.entry_rule,
        parent=parent,
        party_names=inputs.party_names,
    )


def evaluate(inputs: AgreementInputs, today: date, *, with_deadlines: bool = True) -> Evaluation:
    """Apply every rule of DOMAIN.md to one agreement as of `today`."""
    if is_replaced(inputs.replaced_from, today):
        # ended by the agreement that replaces it (seed 004: many into one), whatever the register says
        inputs = replace(inputs, status=AgreementStatus.ENDED)
    template = get_template(inputs.structure, inputs.kind)
    keys = [s.key for s in inputs.steps]
    recommended = recommended_on(template, inputs.steps)
    by_party: dict[str, list[Decision]] = {code: [] for code in inputs.parties}
    for stored in inputs.decisions:
        by_party.setdefault(stored.decision.party_code, []).append(stored.decision)
    adoptions = {code: party_adoption(code, decisions, today) for code, decisions in by_party.items()}
    meetings = {code: next_planned_meeting(decisions, today) for code, decisions in by_party.items()}
    counts = {status: 0 for status in AdoptionStatus}
    for adoption in adoptions.values():
        counts[adoption.status] += 1

    entry: EntryView | None = None
    forecast: Forecast | None = None
    if template.parties_decide:
        entry = entry_into_force(
            inputs.entry_rule,
            inputs.entry_fixed_date,
            adoptions.values(),
            count=inputs.entry_count,
            offset_days=inputs.entry_offset_days,
        )
        in_force_from = entry.agreement_from or inputs.declared_in_force_from
        if entry.agreement_from is None or entry.waiting_for:
            forecast = forecast_entry(
                inputs.entry_rule,
                inputs.entry_fixed_date,
                adoptions,
                meetings,
                count=inputs.entry_count,
                offset_days=inputs.entry_offset_days,
            )
    else:
        decided = next((s.taken_on for s in inputs.steps if s.key == template.decision_step), None)
        in_force_from = inputs.declared_in_force_from or decided

    notices = governing_notices(inputs)
    facts = _facts(inputs, recommended, in_force_from, notices)
    if inputs.kind not in ATTACHED_KINDS:  # an annex follows its parent's follow-ups (seed 003)
        due = follow_ups(
            DeadlineInputs(
                term=inputs.term,
                entered_into_force_on=in_force_from,
                annual_follow_up=inputs.annual_follow_up,
                follow_ups_done=inputs.follow_ups_done,
            ),
            today,
        )
        facts = replace(facts, follow_ups=tuple((d.key, d.due) for d in due))
    term_rule = effective_term(facts)
    term_from = _term_source(inputs).id if term_rule is not None else None
    parties = list(inputs.parties) if len(inputs.parties) >= 2 else None
    term = term_as_of(term_rule, notices, today, parties=parties) if term_rule else None
    if term is not None:
        term = term_until_replaced(term, inputs.replaced_from)
    warnings = tuple(validity_warnings(facts, adoptions.values(), today))
    by_group = parties_recommended_on(inputs.parties, inputs.group_recommendations)
    decision_due = {
        code: party_decision_due(inputs.decision_due, recommended, by_group.get(code))
        for code in inputs.parties
    }

    deadlines: tuple[Deadline, ...] = ()
    if with_deadlines and inputs.status not in (AgreementStatus.ENDED, AgreementStatus.WITHDRAWN):
        pending = (
            tuple(code for code, a in adoptions.items() if a.status not in SETTLED)
            if template.parties_decide and recommended
            else ()
        )
        # An annex or supplement follows its parent's term (seed 003): its notice and term-end
        # dates are the parent's, and reminding of them per annex would say the same thing again.
        own_term = None if inputs.kind in ATTACHED_KINDS else term_rule
        deadlines = deadlines_until_replaced(
            derive_deadlines(
                DeadlineInputs(
                    term=own_term,
                    notices=notices,
                    parties=inputs.parties,
                    entered_into_force_on=in_force_from,
                    annual_follow_up=inputs.annual_follow_up,
                    follow_ups_done=inputs.follow_ups_done,
                    consultation_reply_by=inputs.reply_by,
                    recommended_on=recommended,
                    decision_due_on=inputs.decision_due,
                    pending_party_codes=pending,
                    group_recommendations=by_group,
                    party_names=inputs.party_names,
                    decisions=tuple(
                        DecisionDates(
                            id=s.id,
                            party_code=s.decision.party_code,
                            presumed_final_on=s.decision.presumed_final_on,
                            planned_meeting_on=s.decision.meeting_date
                            if s.decision.outcome is Outcome.PLANNED and s.decision.meeting_date >= today
                            else None,
                        )
                        for s in inputs.decisions
                    ),
                ),
                today,
            ),
            inputs.replaced_from,
        )
    return Evaluation(
        template=template,
        current_step=current_step(template, keys),
        allowed_next=tuple(allowed_next(template, keys)),
        recommended_on=recommended,
        adoptions=adoptions,
        next_meetings=meetings,
        counts=counts,
        entry=entry,
        in_force_from=in_force_from,
        term=term,
        warnings=warnings,
        term_rule=term_rule,
        term_from=term_from,
        forecast=forecast,
        group_recommended=by_group,
        decision_due=decision_due,
        deadlines=deadlines,
    )


def _term_source(inputs: AgreementInputs) -> AgreementInputs:
    """The agreement whose term governs: an attached one follows its parent (seed 003)."""
    while inputs.kind in ATTACHED_KINDS and inputs.parent is not None:
        inputs = inputs.parent
    return inputs


def governing_notices(inputs: AgreementInputs) -> tuple[Notice, ...]:
    """The notices that end the agreement for a party. An annex or supplement follows its parent in
    term, notices and end (seed 003: "Överenskommelsernas giltighet är direkt kopplat till
    huvudavtalets giltighet"): a party's notice of the parent ends each annex for that party, so
    an attached agreement's notices are its parent's, of the parties it has."""
    source = _term_source(inputs)
    if source is inputs:
        return inputs.notices
    return tuple(n for n in source.notices if n.party_code in inputs.parties)
