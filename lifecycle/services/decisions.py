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
from lifecycle.rules.process import TakenStep, get_template, recommended_on, require_party_decisions
from lifecycle.rules.swedish import party_label, sv_date
from lifecycle.services import checks
from lifecycle.tables import Agreement, Decision, ProcessStep
from lifecycle.views import DecisionIn, DecisionPatch, DecisionView
from parties.tables import Party

DECISION_SQL = (
    "SELECT d.*, p.code AS party_code, p.name AS party_name FROM party_decision d "
    "JOIN party p ON p.id = d.party "
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
        updated_at=row["updated_at"],
    )


async def list_decisions(agreement_id: int, *, party: str | None = None) -> list[DecisionView]:
    await checks.agreement_row(agreement_id)
    sql, args = DECISION_SQL + "WHERE d.agreement = {}", [agreement_id]
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


async def _party_of_agreement(agreement_id: int, code: str) -> tuple[int, str]:
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


async def log_decision(agreement_id: int, party_code: str, data: DecisionIn, *, actor: Actor) -> DecisionView:
    """Log a party's decision (or planned meeting). A decision at a meeting already planned for
    that body replaces the plan; one already logged must be corrected instead."""
    _check_body(data.body)
    async with Agreement._meta.db.transaction():
        agreement = await checks.agreement_row(agreement_id, lock=True)
        party_id, party_name = await _party_of_agreement(agreement_id, party_code)
        party = party_label(party_code, {party_code: party_name})
        kind = (await Party.select(Party.kind).where(Party.id == party_id).first())["kind"]
        recommended = await _recommended_on(agreement, kind)
        rule = validate_decision(
            _rule(party_code, msgspec.structs.asdict(data)), recommended_on=recommended, today=today()
        )
        earlier = await Decision.raw(
            DECISION_SQL + "WHERE d.agreement = {} AND d.party = {} ORDER BY d.id", agreement_id, party_id
        )
        if data.replaces is not None:  # a correction: the decision it names changes in place
            existing = next((d for d in earlier if d["id"] == data.replaces), None)
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
        check_repeat(
            rule,
            [(d["id"], store.rule_decision(d)) for d in earlier],
            party=party,
            replaces=data.replaces,
            confirm_new=data.confirm_new,
            today=today(),
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
        await store.refresh([agreement_id], today())
        view = await get_decision(decision_id)
        await record(
            actor,
            action,
            "party_decision",
            decision_id,
            agreement_id=agreement_id,
            before=before,
            after=msgspec.to_builtins(view),
        )
    return view


async def correct_decision(decision_id: int, patch: DecisionPatch, *, actor: Actor) -> DecisionView:
    """Correct a logged decision, or record an appeal and its outcome later (DOMAIN.md rule 2)."""
    given = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    if not given:
        raise InvalidInput("Ange minst ett fält att rätta.")
    if "body" in given:
        _check_body(given["body"])
    async with Agreement._meta.db.transaction():
        rows = await Decision.raw(DECISION_SQL + "WHERE d.id = {} FOR UPDATE OF d", decision_id)
        if not rows:
            raise NotFound(f"Det finns inget beslut med id {decision_id}.")
        current = rows[0]
        agreement = await checks.agreement_row(current["agreement"], lock=True)
        merged = {**current, **given}
        if "appeal_state" in given:
            AppealState(checks.choice(AppealState, given["appeal_state"], "appeal_state", "överklagande"))
        rule = _rule(current["party_code"], merged)
        kind = (await Party.select(Party.kind).where(Party.code == current["party_code"]).first())["kind"]
        rule = validate_decision(rule, recommended_on=await _recommended_on(agreement, kind), today=today())
        validate_appeal(rule.appeal, anslag_date=rule.anslag_date, today=today())
        rule = replace(rule, sequence=decision_id)
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
        await store.refresh([current["agreement"]], today())
        view = await get_decision(decision_id)
        await record(
            actor,
            "update",
            "party_decision",
            decision_id,
            agreement_id=current["agreement"],
            before=msgspec.to_builtins(before),
            after=msgspec.to_builtins(view),
        )
    return view
