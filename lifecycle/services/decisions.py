"""Logging and correcting the parties' decisions, with their legal dates."""

from __future__ import annotations

from dataclasses import replace

import msgspec
from asyncpg.exceptions import UniqueViolationError

from audit.trail import Actor, record
from core.clock import now, today
from core.errors import Conflict, InvalidInput, NotFound
from lifecycle import store
from lifecycle.rules.appeal import Appeal, validate_appeal
from lifecycle.rules.decisions import Decision as RuleDecision
from lifecycle.rules.decisions import check_repeat, validate_decision
from lifecycle.rules.model import AgreementKind, AppealState, Outcome
from lifecycle.rules.packages import check_covered_recommendation
from lifecycle.rules.process import TakenStep, get_template, recommended_on, require_party_decisions
from lifecycle.rules.swedish import party_label, sv_date
from lifecycle.services import checks, packages
from lifecycle.tables import Agreement, Decision, ProcessStep
from lifecycle.views import CoveredAgreement, DecisionIn, DecisionPatch, DecisionView
from parties.tables import Party

_DECISION_COLUMNS = f"d.*, p.code AS party_code, p.name AS party_name, {store.COVERS_JSON} AS covers"
DECISION_SQL = f"SELECT {_DECISION_COLUMNS} FROM party_decision d JOIN party p ON p.id = d.party "
# each decision once per agreement it applies to: the one it is logged on and those it covers
_APPLYING_SQL = (
    f"SELECT x.applies_to, {_DECISION_COLUMNS} FROM party_decision d JOIN party p ON p.id = d.party "
    "JOIN LATERAL (SELECT d.agreement AS applies_to UNION "
    "SELECT c.agreement FROM decision_cover c WHERE c.decision = d.id) x ON true "
)


def decision_view(row: dict, as_of) -> DecisionView:
    rule = store.rule_decision(row)
    standing = rule.legal_standing(as_of) if rule.outcome is not Outcome.PLANNED else None
    return DecisionView(
        id=row["id"],
        agreement_id=row["agreement"],
        party_code=row["party_code"],
        party_name=row["party_name"],
        body=row["body"],
        meeting_date=row["meeting_date"],
        outcome=row["outcome"],
        paragraph=row["paragraph"],
        case_number=row["case_number"],
        justering_date=row["justering_date"],
        anslag_date=row["anslag_date"],
        last_appeal_day=rule.last_appeal_day,
        legal_state=standing.state.value if standing else "planned",
        legally_final_on=standing.final_on if standing else None,
        appeal_state=row["appeal_state"],
        appeal_lodged_on=row["appeal_lodged_on"],
        appeal_resolved_on=row["appeal_resolved_on"],
        note=row["note"],
        covers=[CoveredAgreement(**c) for c in store.decision_row(row)["covers"]],
        updated_at=row["updated_at"],
    )


async def list_decisions(agreement_id: int, *, party: str | None = None) -> list[DecisionView]:
    await checks.agreement_row(agreement_id)
    sql, args = DECISION_SQL + f"WHERE {store.applies_to('{}')}", [agreement_id, agreement_id]
    if party is not None:
        sql += " AND p.code = {}"
        args.append(party)
    rows = await Decision.raw(sql + " ORDER BY p.code, d.meeting_date, d.id", *args)
    as_of = today()
    return [decision_view(r, as_of) for r in rows]


async def get_decision(decision_id: int) -> DecisionView:
    rows = await Decision.raw(DECISION_SQL + "WHERE d.id = {}", decision_id)
    if not rows:
        raise NotFound(f"Det finns inget beslut med id {decision_id}.")
    return decision_view(rows[0], today())


async def _recommended_on(agreement: dict, party_kind: str) -> object:
    """When the agreement was recommended to this kind of party ("kommun", "region")."""
    template = get_template(agreement["structure_slug"], AgreementKind(agreement["kind"]))
    require_party_decisions(template)
    steps = (
        await ProcessStep.select(ProcessStep.step, ProcessStep.taken_on)
        .where(ProcessStep.agreement == agreement["id"])
        .order_by(ProcessStep.taken_on)
        .order_by(ProcessStep.id)
    )
    return recommended_on(template, [TakenStep(s["step"], s["taken_on"]) for s in steps], party_kind)


async def party_of_agreement(agreement_id: int, code: str) -> tuple[int, str]:
    party = await Party.select(Party.id, Party.name).where(Party.code == code).first()
    if party is None:
        raise NotFound(f"Det finns ingen part med koden '{code}'.")
    member = await Agreement.raw(
        "SELECT 1 FROM agreement_party WHERE agreement = {} AND party = {}", agreement_id, party["id"]
    )
    if not member:
        raise InvalidInput(
            f"{party['name']} ({code}) är inte part i den här överenskommelsen.", field="party_code"
        )
    return party["id"], party["name"]


async def locked_party(agreement_id: int, code: str) -> tuple[dict, int, str]:
    """What every change of one party's record on an agreement loads first: the agreement's row
    (`checks.agreement_row`), locked for the change, and the party's id and name. 404 for an
    unknown agreement or party, 422 for a party not party to it. Call inside the transaction."""
    agreement = await checks.agreement_row(agreement_id, lock=True)
    party_id, party_name = await party_of_agreement(agreement_id, code)
    return agreement, party_id, party_name


def _rule(code: str, data: dict) -> RuleDecision:
    return RuleDecision(
        party_code=code,
        body=data["body"].strip(),
        meeting_date=data["meeting_date"],
        outcome=checks.outcome(data["outcome"]),
        paragraph=data.get("paragraph"),
        case_number=(data.get("case_number") or "").strip() or None,
        justering_date=data.get("justering_date"),
        anslag_date=data.get("anslag_date"),
        appeal=Appeal(
            AppealState(data.get("appeal_state", "none")),
            data.get("appeal_lodged_on"),
            data.get("appeal_resolved_on"),
        ),
    )


def _check_body(body: str) -> None:
    if not body.strip():
        raise InvalidInput("Ange vilket organ som fattade beslutet, t.ex. Kommunfullmäktige.", field="body")


async def _party_decisions(party_id: int, agreement_ids: list[int]) -> dict[int, list[dict]]:
    """The party's decisions on each agreement, logged on it or covering it, in the order logged."""
    found: dict[int, list[dict]] = {i: [] for i in agreement_ids}
    if not agreement_ids:
        return found
    rows = await Decision.raw(
        _APPLYING_SQL + "WHERE d.party = {} AND x.applies_to = ANY({}::int[]) ORDER BY d.id",
        party_id,
        agreement_ids,
    )
    for row in rows:
        found[row.pop("applies_to")].append(store.decision_row(row))
    return found


async def _check_package(
    agreement: dict, covers: list[int], rule: RuleDecision, party_id: int, party: str, **repeat
) -> None:
    """The covered agreements, checked as a package and each as `log_decision` checks its own."""
    found = await packages.covered(agreement, covers, party_code=rule.party_code, party=party)
    kind = (await Party.select(Party.kind).where(Party.id == party_id).first())["kind"] if found else None
    for doc, row in found:
        check_covered_recommendation(
            doc, await _recommended_on(row, kind), rule.meeting_date, planned=rule.outcome is Outcome.PLANNED
        )
    earlier = await _party_decisions(party_id, [doc.id for doc, _ in found])
    packages.check_covered(rule, found, earlier, party=party, today=today(), **repeat)


async def _audit(
    actor: Actor, action: str, view: DecisionView, before: dict | None, covered: set[int]
) -> None:
    """One event on the agreement it is logged on and one on each it covers (or covered before),
    so every covered agreement's history shows the decision."""
    after = msgspec.to_builtins(view)
    for agreement_id in [view.agreement_id, *sorted(covered - {view.agreement_id})]:
        await record(
            actor, action, "party_decision", view.id, agreement_id=agreement_id, before=before, after=after
        )


async def log_decision(agreement_id: int, party_code: str, data: DecisionIn, *, actor: Actor) -> DecisionView:
    """Log a party's decision (or planned meeting), with the annexes and related documents the same
    paragraph decides (`covers`). A decision at a meeting already planned for that body replaces
    the plan; one already logged must be corrected instead."""
    _check_body(data.body)
    async with Agreement._meta.db.transaction():
        await packages.lock([agreement_id, *(data.covers or [])])
        agreement, party_id, party_name = await locked_party(agreement_id, party_code)
        party = party_label(party_code, {party_code: party_name})
        kind = (await Party.select(Party.kind).where(Party.id == party_id).first())["kind"]
        recommended = await _recommended_on(agreement, kind)
        rule = validate_decision(
            _rule(party_code, msgspec.structs.asdict(data)), recommended_on=recommended, today=today()
        )
        earlier = (await _party_decisions(party_id, [agreement_id]))[agreement_id]
        if data.replaces is not None:  # a correction: the decision it names changes in place
            existing = next((d for d in earlier if d["id"] == data.replaces), None)
            if existing is not None and existing["agreement"] != agreement_id:
                raise InvalidInput(
                    f"Beslut {data.replaces} är loggat på överenskommelse {existing['agreement']} och "
                    "rättas där.",
                    field="replaces",
                )
        else:  # a decision at a planned meeting of the same body replaces the plan
            existing = next(
                (d for d in earlier if d["body"] == rule.body and d["meeting_date"] == rule.meeting_date),
                None,
            )
        if existing is not None and existing["outcome"] != Outcome.PLANNED.value and data.replaces is None:
            raise Conflict(
                f"{rule.body} i {party} har redan ett beslut från {sv_date(rule.meeting_date)} "
                f"(beslut {existing['id']}). Rätta det beslutet i stället.",
                field="meeting_date",
            )
        if existing is not None and existing["agreement"] != agreement_id:
            existing = None  # a plan covering this one, logged on another: spent once this is logged
        check_repeat(
            rule,
            [(d["id"], store.rule_decision(d)) for d in earlier],
            party=party,
            replaces=data.replaces,
            confirm_new=data.confirm_new,
            today=today(),
        )
        before_covers = {c["id"] for c in existing["covers"]} if existing is not None else set()
        covers = list(data.covers) if data.covers is not None else sorted(before_covers)
        await _check_package(
            agreement,
            covers,
            rule,
            party_id,
            party,
            itself=existing["id"] if existing is not None else None,
            replaces=data.replaces,
            confirm_new=data.confirm_new,
        )
        values = {
            "body": rule.body,
            "meeting_date": rule.meeting_date,
            "outcome": rule.outcome.value,
            "paragraph": rule.paragraph,
            "case_number": rule.case_number,
            "justering_date": rule.justering_date,
            "anslag_date": rule.anslag_date,
            "note": data.note,
            "updated_at": now(),
        }
        if existing is not None:
            before = msgspec.to_builtins(decision_view(existing, today()))
            try:
                await Decision.update(values).where(Decision.id == existing["id"])
            except UniqueViolationError:
                raise Conflict(
                    f"{rule.body} i {party} har redan ett beslut från {sv_date(rule.meeting_date)}.",
                    field="meeting_date",
                ) from None
            decision_id, action = existing["id"], "update"
        else:
            before = None
            try:
                rows = await Decision.insert(
                    Decision(agreement=agreement_id, party=party_id, created_at=now(), **values)
                ).returning(Decision.id)
            except UniqueViolationError:
                raise Conflict(
                    "Beslutet loggades samtidigt av någon annan; ladda om och försök igen."
                ) from None
            decision_id, action = rows[0]["id"], "create"
        await packages.set_covers(decision_id, covers)
        touched = {agreement_id, *before_covers, *covers}
        await store.refresh(sorted(touched), today())
        view = await get_decision(decision_id)
        await _audit(actor, action, view, before, touched)
    return view


async def correct_decision(decision_id: int, patch: DecisionPatch, *, actor: Actor) -> DecisionView:
    """Correct a logged decision, or record an appeal and its outcome later (DOMAIN.md rule 2).
    A decision covering several agreements is corrected once, for all of them; `covers` changes
    which it covers."""
    given = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    if not given:
        raise InvalidInput("Ange minst ett fält att rätta.")
    if "body" in given:
        _check_body(given["body"])
    async with Agreement._meta.db.transaction():
        rows = await Decision.raw(DECISION_SQL + "WHERE d.id = {} FOR UPDATE OF d", decision_id)
        if not rows:
            raise NotFound(f"Det finns inget beslut med id {decision_id}.")
        current = store.decision_row(rows[0])
        before_covers = {c["id"] for c in current["covers"]}
        covers = list(given.pop("covers", sorted(before_covers)))
        await packages.lock([current["agreement"], *before_covers, *covers])
        agreement = await checks.agreement_row(current["agreement"], lock=True)
        merged = {**current, **given}
        if "appeal_state" in given:
            AppealState(checks.choice(AppealState, given["appeal_state"], "appeal_state", "överklagande"))
        rule = _rule(current["party_code"], merged)
        kind = (await Party.select(Party.kind).where(Party.code == current["party_code"]).first())["kind"]
        rule = validate_decision(rule, recommended_on=await _recommended_on(agreement, kind), today=today())
        validate_appeal(rule.appeal, anslag_date=rule.anslag_date, today=today())
        rule = replace(rule, sequence=decision_id)
        await _check_package(
            agreement,
            covers,
            rule,
            current["party"],
            party_label(current["party_code"], {current["party_code"]: current["party_name"]}),
            itself=decision_id,
            replaces=None,
            confirm_new=False,
        )
        before = decision_view(current, today())
        try:
            await Decision.update(
                {
                    "body": rule.body,
                    "meeting_date": rule.meeting_date,
                    "outcome": rule.outcome.value,
                    "paragraph": rule.paragraph,
                    "case_number": rule.case_number,
                    "justering_date": rule.justering_date,
                    "anslag_date": rule.anslag_date,
                    "appeal_state": rule.appeal.state.value,
                    "appeal_lodged_on": rule.appeal.lodged_on,
                    "appeal_resolved_on": rule.appeal.resolved_on,
                    "note": merged["note"],
                    "updated_at": now(),
                }
            ).where(Decision.id == decision_id)
        except UniqueViolationError:
            raise Conflict(
                "Det finns redan ett beslut av samma organ det mötesdatumet.", field="meeting_date"
            ) from None
        await packages.set_covers(decision_id, covers)
        touched = {current["agreement"], *before_covers, *covers}
        await store.refresh(sorted(touched), today())
        view = await get_decision(decision_id)
        await _audit(actor, "update", view, msgspec.to_builtins(before), touched)
    return view
