"""Logging and correcting the parties' decisions, with their legal dates."""

from __future__ import annotations

from collections.abc import Sequence
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
# A party's decisions once per agreement (of those asked) they apply to: the one each is logged on
# and those it covers. Looked up by the agreements (an index each), not by the party: a kommun has
# a decision on each of a thousand agreements at national scale.
_APPLYING_SQL = (
    f"SELECT x.applies_to, {_DECISION_COLUMNS} FROM ("
    "SELECT o.agreement AS applies_to, o.id FROM party_decision o "
    "WHERE o.agreement = ANY({}::int[]) AND o.party = {} "
    "UNION SELECT c.agreement, c.decision FROM decision_cover c JOIN party_decision o ON o.id = c.decision "
    "WHERE c.agreement = ANY({}::int[]) AND o.party = {}) x "
    "JOIN party_decision d ON d.id = x.id JOIN party p ON p.id = d.party ORDER BY d.id"
)
# The agreements a decision is saved on and covers, locked in one order (by id: two packages logged
# at once over the same documents wait for each other instead of deadlocking), with their
# structure; `checks.agreement_row`'s columns.
_LOCK_SQL = (
    "SELECT a.*, s.slug AS structure_slug FROM agreement a JOIN structure s ON s.id = a.structure "
    "WHERE a.id = ANY({}::int[]) ORDER BY a.id FOR UPDATE OF a"
)
# Read once the agreement is locked (so it sees what the transaction before it did): the party,
# whether it is party to the agreement, the agreement's steps (when it was recommended) and the
# party's decisions on it, logged on it or covering it, in the order logged.
_PARTY_SQL = (
    "SELECT q.id, q.name, q.kind, "
    "EXISTS (SELECT 1 FROM agreement_party ap WHERE ap.agreement = {} AND ap.party = q.id) AS member, "
    "ARRAY(SELECT ROW(st.step, st.taken_on) FROM process_step st WHERE st.agreement = {} "
    "ORDER BY st.taken_on, st.id) AS steps, "
    f"{store.decision_records('d.party = q.id AND ' + store.applies_to('{}'), order='d.id')} AS earlier "
    "FROM party q WHERE q.{} = {}"
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


def _recommended_on(agreement: dict, steps: list[tuple], party_kind: str) -> object:
    """When the agreement was recommended to this kind of party ("kommun", "region"), from its
    steps as (step, taken_on) in the order taken."""
    template = get_template(agreement["structure_slug"], AgreementKind(agreement["kind"]))
    require_party_decisions(template)
    return recommended_on(template, [TakenStep(step, on) for step, on in steps], party_kind)


async def _steps_of(agreement_id: int) -> list[tuple]:
    rows = await ProcessStep.raw(
        "SELECT step, taken_on FROM process_step WHERE agreement = {} ORDER BY taken_on, id", agreement_id
    )
    return [(r["step"], r["taken_on"]) for r in rows]


async def _lock(agreement_id: int, others: Sequence[int]) -> dict:
    """Lock the agreement and the others (`packages.lock`'s order) in one statement; its row."""
    rows = await Agreement.raw(_LOCK_SQL, sorted({agreement_id, *others}))
    row = next((r for r in rows if r["id"] == agreement_id), None)
    if row is None:
        raise NotFound(f"Det finns ingen överenskommelse med id {agreement_id}.")
    return row


async def _party(agreement_id: int, *, code: str | None = None, party_id: int | None = None) -> dict:
    """The party (by code or id) with `member`, the agreement's `steps` and the party's `earlier`
    decisions on it (`_party_decisions`' rows); NotFound, or InvalidInput when it is not party to
    the agreement, as `party_of_agreement` says."""
    column, value = ("code", code) if code is not None else ("id", party_id)
    rows = await Party.raw(
        _PARTY_SQL.format("{}", "{}", "{}", "{}", column, "{}"),
        agreement_id,
        agreement_id,
        agreement_id,
        agreement_id,
        value,
    )
    if not rows:
        raise NotFound(f"Det finns ingen part med koden '{code}'.")
    party = rows[0]
    party["earlier"] = [store.decision_of_record(r) for r in party["earlier"]]
    if code is not None and not party["member"]:
        raise InvalidInput(
            f"{party['name']} ({code}) är inte part i den här överenskommelsen.", field="party_code"
        )
    return party


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
    rows = await Decision.raw(_APPLYING_SQL, agreement_ids, party_id, agreement_ids, party_id)
    for row in rows:
        found[row.pop("applies_to")].append(store.decision_row(row))
    return found


async def _check_package(
    agreement: dict, covers: list[int], rule: RuleDecision, party: dict, label: str, **repeat
) -> list[dict]:
    """The covered agreements, checked as a package and each as `log_decision` checks its own;
    what the decision's view shows of each (id, reference, title), by id."""
    found = await packages.covered(agreement, covers, party_code=rule.party_code, party=label)
    for doc, row in found:
        check_covered_recommendation(
            doc,
            _recommended_on(row, await _steps_of(row["id"]), party["kind"]),
            rule.meeting_date,
            planned=rule.outcome is Outcome.PLANNED,
        )
    earlier = await _party_decisions(party["id"], [doc.id for doc, _ in found])
    packages.check_covered(rule, found, earlier, party=label, today=today(), **repeat)
    return sorted(
        ({"id": row["id"], "reference": row["reference"], "title": row["title"]} for _, row in found),
        key=lambda c: c["id"],
    )


def _columns(rule: RuleDecision) -> dict:
    """The decision's columns as the rules checked them, for its INSERT or UPDATE."""
    return {
        "body": rule.body,
        "meeting_date": rule.meeting_date,
        "outcome": rule.outcome.value,
        "paragraph": rule.paragraph,
        "case_number": rule.case_number,
        "justering_date": rule.justering_date,
        "anslag_date": rule.anslag_date,
    }


# what a correction's history row names a decision (or a proposal) by, changed or not
DECISION_NAMED_BY = ("party_code", "party_name", "body", "meeting_date")


async def _audit(
    actor: Actor, action: str, view: DecisionView, before: dict | None, covered: set[int]
) -> None:
    """One event on the agreement it is logged on and one on each it covers (or covered before),
    so every covered agreement's history shows the decision."""
    after = msgspec.to_builtins(view)
    for agreement_id in [view.agreement_id, *sorted(covered - {view.agreement_id})]:
        await record(
            actor,
            action,
            "party_decision",
            view.id,
            agreement_id=agreement_id,
            before=before,
            after=after,
            keep=DECISION_NAMED_BY,
        )


async def log_decision(agreement_id: int, party_code: str, data: DecisionIn, *, actor: Actor) -> DecisionView:
    """Log a party's decision (or planned meeting), with the annexes and related documents the same
    paragraph decides (`covers`). A decision at a meeting already planned for that body replaces
    the plan; one already logged must be corrected instead."""
    _check_body(data.body)
    async with Agreement._meta.db.transaction():
        agreement = await _lock(agreement_id, data.covers or [])
        found = await _party(agreement_id, code=party_code)
        party_id = found["id"]
        party = party_label(party_code, {party_code: found["name"]})
        recommended = _recommended_on(agreement, found["steps"], found["kind"])
        rule = validate_decision(
            _rule(party_code, msgspec.structs.asdict(data)), recommended_on=recommended, today=today()
        )
        earlier = found["earlier"]
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
        covered = await _check_package(
            agreement,
            covers,
            rule,
            found,
            party,
            itself=existing["id"] if existing is not None else None,
            replaces=data.replaces,
            confirm_new=data.confirm_new,
        )
        values = {
            **_columns(rule),
            "note": data.note,
            "updated_at": now(),
        }
        if existing is not None:
            before = msgspec.to_builtins(decision_view(existing, today()))
            try:
                rows = await (
                    Decision.update(values)
                    .where(Decision.id == existing["id"])
                    .returning(*Decision.all_columns())
                )
            except UniqueViolationError:
                raise Conflict(
                    f"{rule.body} i {party} har redan ett beslut från {sv_date(rule.meeting_date)}.",
                    field="meeting_date",
                ) from None
            action = "update"
        else:
            before = None
            try:
                rows = await Decision.insert(
                    Decision(agreement=agreement_id, party=party_id, created_at=now(), **values)
                ).returning(*Decision.all_columns())
            except UniqueViolationError:
                raise Conflict(
                    "Beslutet loggades samtidigt av någon annan; ladda om och försök igen."
                ) from None
            action = "create"
        decision_id = rows[0]["id"]
        if set(covers) != before_covers:
            await packages.set_covers(decision_id, covers)
        touched = {agreement_id, *before_covers, *covers}
        await store.refresh(sorted(touched), today())
        view = _saved(rows[0], party_code, found["name"], covered)
        await _audit(actor, action, view, before, touched)
    return view


def _saved(row: dict, party_code: str, party_name: str, covers: list[dict]) -> DecisionView:
    """The view of a decision as its INSERT or UPDATE returned it: what `get_decision` would read."""
    return decision_view(
        {**row, "party_code": party_code, "party_name": party_name, "covers": covers}, today()
    )


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
        agreement = await _lock(current["agreement"], [*before_covers, *covers])
        merged = {**current, **given}
        if "appeal_state" in given:
            AppealState(checks.choice(AppealState, given["appeal_state"], "appeal_state", "överklagande"))
        rule = _rule(current["party_code"], merged)
        party = await _party(current["agreement"], party_id=current["party"])
        recommended = _recommended_on(agreement, party["steps"], party["kind"])
        rule = validate_decision(rule, recommended_on=recommended, today=today())
        validate_appeal(rule.appeal, anslag_date=rule.anslag_date, today=today())
        rule = replace(rule, sequence=decision_id)
        covered = await _check_package(
            agreement,
            covers,
            rule,
            party,
            party_label(current["party_code"], {current["party_code"]: current["party_name"]}),
            itself=decision_id,
            replaces=None,
            confirm_new=False,
        )
        before = decision_view(current, today())
        try:
            rows = (
                await Decision.update(
                    {
                        **_columns(rule),
                        "appeal_state": rule.appeal.state.value,
                        "appeal_lodged_on": rule.appeal.lodged_on,
                        "appeal_resolved_on": rule.appeal.resolved_on,
                        "note": merged["note"],
                        "updated_at": now(),
                    }
                )
                .where(Decision.id == decision_id)
                .returning(*Decision.all_columns())
            )
        except UniqueViolationError:
            raise Conflict(
                "Det finns redan ett beslut av samma organ det mötesdatumet.", field="meeting_date"
            ) from None
        if set(covers) != before_covers:
            await packages.set_covers(decision_id, covers)
        touched = {current["agreement"], *before_covers, *covers}
        await store.refresh(sorted(touched), today())
        view = _saved(rows[0], current["party_code"], current["party_name"], covered)
        await _audit(actor, "update", view, msgspec.to_builtins(before), touched)
    return view
