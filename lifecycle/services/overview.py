"""Read models: the adoption overview, the term, and a party's view across its agreements."""

from __future__ import annotations

from datetime import date

from core.clock import today
from core.errors import InvalidInput, NotFound
from lifecycle import store
from lifecycle.rules.agreement import AgreementInputs, evaluate
from lifecycle.rules.deadlines import decision_due_on
from lifecycle.rules.model import AdoptionStatus
from lifecycle.rules.swedish import capitalised, party_label
from lifecycle.rules.term import party_term
from lifecycle.rules.validity import AgreementFacts, effective_term
from lifecycle.services import checks
from lifecycle.services.decisions import DECISION_SQL, decision_view
from lifecycle.tables import Agreement
from lifecycle.views import (
    AdoptionOverview,
    AdoptionRow,
    EntryState,
    NoticeView,
    PartyAgreementRow,
    PartyAgreements,
    PeriodView,
    TermView,
    WarningView,
)
from parties.tables import Party

TO_DO = {
    AdoptionStatus.PENDING: "Besluta om överenskommelsen",
    AdoptionStatus.REFERRED_BACK: "Besluta på nytt efter återremiss",
    AdoptionStatus.POSTPONED: "Besluta på nytt efter bordläggning",
    AdoptionStatus.ADOPTED: "Inget: antagen",
    AdoptionStatus.ADOPTED_WITH_RESERVATION: "Inget: antagen med reservation",
    AdoptionStatus.REJECTED: "Inget: avslagen",
}


def facts_for_term(inputs: AgreementInputs) -> AgreementFacts:
    parent = facts_for_term(inputs.parent) if inputs.parent else None
    return AgreementFacts(
        kind=inputs.kind, status=inputs.status, term=inputs.term, notices=inputs.notices, parent=parent
    )


async def adoption_overview(agreement_id: int, *, as_of: date | None = None) -> AdoptionOverview:
    """Every party's standing as of `as_of` (default today): decisions taken by then count."""
    as_of = checks.as_of_day(as_of, today())
    row = await checks.agreement_row(agreement_id)
    _, evaluation = await store.evaluate_one(agreement_id, as_of)
    parties = {
        p["code"]: p
        for p in await Party.raw(
            "SELECT p.code, p.name, p.kind FROM agreement_party ap JOIN party p ON p.id = ap.party "
            "WHERE ap.agreement = {}",
            agreement_id,
        )
    }
    decisions = {
        d["id"]: d for d in await Agreement.raw(DECISION_SQL + "WHERE d.agreement = {}", agreement_id)
    }
    counting = _counting_decisions(decisions, evaluation.adoptions)
    rows = []
    for code in sorted(parties, key=lambda c: (len(c), c)):
        adoption = evaluation.adoptions[code]
        decision = counting.get(code)
        rows.append(
            AdoptionRow(
                party_code=code,
                party_name=parties[code]["name"],
                party_kind=parties[code]["kind"],
                status=adoption.status.value,
                decided_on=adoption.decided_on,
                legally_final_on=adoption.final_on,
                decision=decision_view(decision, as_of) if decision else None,
                next_meeting=evaluation.next_meetings.get(code),
                in_force_from=evaluation.entry.per_party.get(code) if evaluation.entry else None,
            )
        )
    entry = evaluation.entry
    return AdoptionOverview(
        agreement_id=agreement_id,
        title=row["title"],
        as_of=as_of,
        parties_decide=evaluation.template.parties_decide,
        decided_by=evaluation.template.decided_by,
        recommended_on=evaluation.recommended_on,
        decision_due=decision_due_on(row["decision_due"], evaluation.recommended_on),
        counts={s.value: n for s, n in evaluation.counts.items()},
        total=len(parties),
        entry=EntryState(
            rule=row["entry_rule"],
            agreement_from=entry.agreement_from,
            blocked_by=list(entry.blocked_by),
            waiting_for=list(entry.waiting_for),
        )
        if entry
        else None,
        in_force_from=evaluation.in_force_from,
        warnings=[
            WarningView(key=w.key, kind=w.kind.value, message=w.message_sv, party_code=w.party_code)
            for w in evaluation.warnings
        ],
        parties=rows,
    )


def _counting_decisions(decisions: dict[int, dict], adoptions: dict) -> dict[str, dict]:
    """The stored decision behind each party's standing: the latest with its status' meeting date."""
    found: dict[str, dict] = {}
    for d in sorted(decisions.values(), key=lambda d: (d["meeting_date"], d["id"])):
        adoption = adoptions.get(d["party_code"])
        if adoption and adoption.decided_on == d["meeting_date"] and d["outcome"] == adoption.status.value:
            found[d["party_code"]] = d
    return found


async def term_view(agreement_id: int, *, party: str | None = None, as_of: date | None = None) -> TermView:
    """The term as of `as_of` (default today), for the agreement or for one `party` of it."""
    as_of = checks.as_of_day(as_of, today())
    row = await checks.agreement_row(agreement_id)
    inputs, evaluation = await store.evaluate_one(agreement_id, as_of)
    if party is not None and party not in inputs.parties:
        raise InvalidInput(
            f"{capitalised(party_label(party, inputs.party_names))} är inte part i den här överenskommelsen.",
            field="party",
        )
    term_row = row
    if row["parent"] is not None and effective_term(facts_for_term(inputs)) is not None:
        term_row = await checks.agreement_row(row["parent"])
    names = {
        p["code"]: p["name"]
        for p in await Party.select(Party.code, Party.name).where(
            Party.code.is_in(list(inputs.parties) or [""])
        )
    }
    notices = await Agreement.raw(
        "SELECT n.id, p.code, n.given_on, n.law_change, n.agreed_end, n.note "
        "FROM notice n JOIN party p ON p.id = n.party "
        "WHERE n.agreement = {} AND n.given_on <= {} ORDER BY n.given_on, n.id",
        agreement_id,
        as_of,
    )
    view = evaluation.term
    runs_until = view.runs_until if view else None
    next_notice = view.next_notice_deadline if view else None
    ends_for_party = None
    if party is not None and view is not None:
        own = party_term(view, inputs.notices, party)
        runs_until, next_notice, ends_for_party = (
            own.runs_until,
            own.next_notice_deadline,
            own.ends_for_party_on,
        )
    return TermView(
        agreement_id=agreement_id,
        as_of=as_of,
        party=party,
        ends_for_party_on=ends_for_party,
        rule=checks.term_input(term_row),
        inherited_from=term_row["id"] if term_row is not row else None,
        current_period=PeriodView(start=view.current.start, end=view.current.end) if view else None,
        runs_until=runs_until,
        next_notice_deadline=next_notice,
        upcoming_renewals=[PeriodView(start=p.start, end=p.end) for p in view.upcoming_renewals]
        if view
        else [],
        ended=view.ended if view else False,
        ends_on=view.ends_on if view else None,
        notices=[
            NoticeView(
                id=n["id"],
                party_code=n["code"],
                party_name=names.get(n["code"], n["code"]),
                given_on=n["given_on"],
                law_change=n["law_change"],
                agreed_end=n["agreed_end"],
                note=n["note"],
                ends_for_party_on=view.party_end_dates.get(n["code"]) if view else None,
            )
            for n in notices
        ],
    )


async def party_agreements(code: str) -> PartyAgreements:
    """What this kommun or region has decided, and what it must still decide and by when."""
    as_of = today()
    party = await Party.select(Party.name).where(Party.code == code).first()
    if party is None:
        raise NotFound(f"Det finns ingen part med koden '{code}'.")
    ids = [
        r["id"]
        for r in await Agreement.raw(
            "SELECT a.id FROM agreement a JOIN agreement_party ap ON ap.agreement = a.id "
            "JOIN party p ON p.id = ap.party "
            "WHERE p.code = {} AND NOT EXISTS (SELECT 1 FROM agreement n WHERE n.supersedes = a.id "
            "AND n.status <> 'draft') ORDER BY a.id",
            code,
        )
    ]
    inputs = await store.load_inputs(ids)
    slugs = {i: inputs[i].structure for i in ids}
    titles = {
        r["id"]: r
        for r in await Agreement.select(Agreement.id, Agreement.title, Agreement.decision_due).where(
            Agreement.id.is_in(ids or [0])
        )
    }
    items = []
    for agreement_id in ids:
        evaluation = evaluate(inputs[agreement_id], as_of, with_deadlines=False)
        if not evaluation.template.parties_decide:
            continue
        adoption = evaluation.adoptions[code]
        recommended = evaluation.recommended_on
        due = decision_due_on(titles[agreement_id]["decision_due"], recommended)
        settled = adoption.status in (
            AdoptionStatus.ADOPTED,
            AdoptionStatus.ADOPTED_WITH_RESERVATION,
            AdoptionStatus.REJECTED,
        )
        items.append(
            PartyAgreementRow(
                agreement_id=agreement_id,
                title=titles[agreement_id]["title"],
                kind=inputs[agreement_id].kind.value,
                structure=slugs[agreement_id],
                agreement_status=inputs[agreement_id].status.value,
                party_status=adoption.status.value,
                decided_on=adoption.decided_on,
                legally_final_on=adoption.final_on,
                recommended_on=recommended,
                decide_by=None if settled or recommended is None else due,
                next_meeting=evaluation.next_meetings.get(code),
                to_do=TO_DO[adoption.status] if recommended or settled else "Inget ännu: inte rekommenderad",
            )
        )
    items.sort(key=lambda r: (r.decide_by is None, r.decide_by or date.max, r.agreement_id))
    return PartyAgreements(party_code=code, party_name=party["name"], as_of=as_of, items=items)
