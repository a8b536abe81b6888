"""Read models: the adoption overview, the term, and a party's view across its agreements."""

from __future__ import annotations

from datetime import date

from core.clock import today
from core.errors import InvalidInput, NotFound
from lifecycle import store
from lifecycle.rules.agreement import SETTLED, Evaluation
from lifecycle.rules.deadlines import decision_due_on
from lifecycle.rules.model import AdoptionStatus
from lifecycle.rules.preparation import in_preparation
from lifecycle.rules.swedish import capitalised, party_label
from lifecycle.rules.term import party_term
from lifecycle.services import checks
from lifecycle.services.decisions import decision_view
from lifecycle.services.group_recommendations import recommendation_views
from lifecycle.services.proposals import proposal_view, rule_proposal
from lifecycle.store import Evaluated
from lifecycle.tables import Agreement
from lifecycle.views import (
    AdoptionGroup,
    AdoptionOverview,
    AdoptionRow,
    EntryState,
    ForecastView,
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


async def adoption_overview(agreement_id: int, *, as_of: date | None = None) -> AdoptionOverview:
    """Every party's standing as of `as_of` (default today): decisions taken by then count."""
    return adoption_of(await store.load([agreement_id], checks.as_of_day(as_of, today())), agreement_id)


def adoption_of(evaluated: Evaluated, agreement_id: int) -> AdoptionOverview:
    """Each party's standing, its counting decision and next meeting, and entry into force."""
    loaded = evaluated[agreement_id]
    as_of, row, evaluation, parties = evaluated.as_of, loaded.row, loaded.evaluation, loaded.parties
    counting = _counting_decisions(loaded.decisions, evaluation.adoptions)
    proposals = [p for p in loaded.proposals if p["meeting_date"] <= as_of]
    groups = [g for g in loaded.groups if set(g["members"]) & set(parties)]
    recommendations = {r.group: r for r in recommendation_views(loaded)}
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
                proposals=[proposal_view(p) for p in proposals if p["party_code"] == code],
                groups=[g["slug"] for g in groups if code in g["members"]],
                decide_by=None
                if adoption.status in SETTLED or evaluation.recommended_on is None
                else evaluation.decision_due.get(code),
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
        forecast=ForecastView(
            in_force_from=forecast.in_force_from,
            holding_back=list(forecast.holding_back),
            without_plan=list(forecast.without_plan),
            blocked_by=list(forecast.blocked_by),
            in_preparation=list(
                in_preparation([rule_proposal(p) for p in proposals], evaluation.adoptions, as_of)
            ),
        )
        if (forecast := evaluation.forecast) is not None
        else None,
        warnings=warning_views(evaluation),
        parties=rows,
        groups=[
            AdoptionGroup(
                slug=g["slug"],
                short_name=g["short_name"],
                name=g["name"],
                kind=g["kind"],
                party_codes=[r.party_code for r in rows if r.party_code in g["members"]],
                recommendation=recommendations.get(g["slug"]),
            )
            for g in groups
        ],
    )


def warning_views(evaluation: Evaluation) -> list[WarningView]:
    return [
        WarningView(key=w.key, kind=w.kind.value, message=w.message_sv, party_code=w.party_code)
        for w in evaluation.warnings
    ]


def _counting_decisions(decisions: list[dict], adoptions: dict) -> dict[str, dict]:
    """The stored decision behind each party's standing: the latest with its status' meeting date."""
    found: dict[str, dict] = {}
    for d in sorted(decisions, key=lambda d: (d["meeting_date"], d["id"])):
        adoption = adoptions.get(d["party_code"])
        if adoption and adoption.decided_on == d["meeting_date"] and d["outcome"] == adoption.status.value:
            found[d["party_code"]] = d
    return found


async def term_view(agreement_id: int, *, party: str | None = None, as_of: date | None = None) -> TermView:
    """The term as of `as_of` (default today), for the agreement or for one `party` of it."""
    evaluated = await store.load([agreement_id], checks.as_of_day(as_of, today()))
    return term_of(evaluated, agreement_id, party=party)


def term_of(evaluated: Evaluated, agreement_id: int, *, party: str | None = None) -> TermView:
    """The governing term (an annex's is its parent's), its current period, notices given by
    `as_of` and renewals; for one `party`, its own end and next notice deadline."""
    loaded = evaluated[agreement_id]
    evaluation = loaded.evaluation
    if party is not None and party not in loaded.inputs.parties:
        raise InvalidInput(
            f"{capitalised(party_label(party, loaded.inputs.party_names))} är inte part i den här "
            "överenskommelsen.",
            field="party",
        )
    source = evaluation.term_from
    inherited = source is not None and source != agreement_id
    view = evaluation.term
    runs_until = view.runs_until if view else None
    next_notice = view.next_notice_deadline if view else None
    ends_for_party = None
    if party is not None and view is not None:
        own = party_term(view, party)
        runs_until, next_notice, ends_for_party = (
            own.runs_until,
            own.next_notice_deadline,
            own.ends_for_party_on,
        )
    return TermView(
        agreement_id=agreement_id,
        as_of=evaluated.as_of,
        party=party,
        ends_for_party_on=ends_for_party,
        rule=checks.term_input(evaluated[source].row if inherited else loaded.row),
        inherited_from=source if inherited else None,
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
                party_name=n["name"],
                given_on=n["given_on"],
                law_change=n["law_change"],
                agreed_end=n["agreed_end"],
                note=n["note"],
                ends_for_party_on=view.party_end_dates.get(n["code"]) if view else None,
            )
            # an annex's notices are its parent's, of the parties it has (agreement.governing_notices)
            for n in (evaluated[source].notices if inherited else loaded.notices)
            if n["given_on"] <= evaluated.as_of and n["code"] in loaded.parties
        ],
    )


async def party_agreements(code: str) -> PartyAgreements:
    """What this kommun or region has decided, and what it must still decide and by when."""
    return (await party_with_agreements(code))[1]


async def party_with_agreements(code: str) -> tuple[dict, PartyAgreements]:
    """The party (code, name, kind, structure and its name) and `party_agreements` of it."""
    found = await Party.raw(
        "SELECT p.code, p.name, p.kind, s.slug AS structure, s.name AS structure_name "
        "FROM party p JOIN structure s ON s.id = p.structure WHERE p.code = {}",
        code,
    )
    if not found:
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
    return found[0], party_view(await store.load(ids, today()), code, found[0]["name"])


def party_view(evaluated: Evaluated, code: str, name: str) -> PartyAgreements:
    items = []
    for agreement_id in evaluated.asked:
        loaded = evaluated[agreement_id]
        evaluation = loaded.evaluation
        if not evaluation.template.parties_decide:
            continue
        adoption = evaluation.adoptions[code]
        recommended = evaluation.recommended_on
        due = evaluation.decision_due.get(code)
        settled = adoption.status in SETTLED
        items.append(
            PartyAgreementRow(
                agreement_id=agreement_id,
                title=loaded.row["title"],
                kind=loaded.row["kind"],
                structure=loaded.row["structure_slug"],
                agreement_status=loaded.row["status"],
                party_status=adoption.status.value,
                decided_on=adoption.decided_on,
                legally_final_on=adoption.final_on,
                recommended_on=recommended,
                decide_by=None if settled or recommended is None else due,
                next_meeting=evaluation.next_meetings.get(code),
                to_do=TO_DO[adoption.status] if recommended or settled else "Inget ännu: inte rekommenderad",
                proposals=[proposal_view(p) for p in loaded.proposals if p["party_code"] == code],
            )
        )
    items.sort(key=lambda r: (r.decide_by is None, r.decide_by or date.max, r.agreement_id))
    return PartyAgreements(party_code=code, party_name=name, as_of=evaluated.as_of, items=items)
