"""Creating, changing, reading and listing agreements and their versions."""

from __future__ import annotations

import json

import msgspec

from audit.trail import Actor, record
from core.addresses import email_address
from core.clock import now, today
from core.errors import InvalidInput, NotFound
from lifecycle import store
from lifecycle.rules.attached import check_attached
from lifecycle.rules.entry import EntryRule, check_entry_settings
from lifecycle.rules.model import AgreementKind, AgreementStatus
from lifecycle.rules.process import get_template
from lifecycle.rules.replacement import is_replaced
from lifecycle.rules.validity import ATTACHED_KINDS
from lifecycle.rules.versions import VersionFacts, version_states
from lifecycle.services import checks
from lifecycle.services.overview import warning_views
from lifecycle.store import Evaluated
from lifecycle.tables import Agreement, AgreementParty, Steward
from lifecycle.views import (
    AgreementCreate,
    AgreementDetail,
    AgreementLink,
    AgreementPage,
    AgreementPatch,
    AgreementSummary,
    Link,
    StepState,
    VersionRef,
)
from lifecycle.views import Steward as StewardView
from parties.tables import Party, Structure

SUMMARY_SQL = (
    "SELECT a.id, a.reference, a.title, a.kind, s.slug AS structure, a.status, a.version, "
    "a.parent AS parent_id, a.updated_at, "
    "(SELECT count(*) FROM agreement_party ap WHERE ap.agreement = a.id) AS party_count "
    "FROM agreement a JOIN structure s ON s.id = a.structure "
)


async def _structure_id(slug: str) -> int:
    row = await Structure.select(Structure.id).where(Structure.slug == slug).first()
    if row is None:
        known = ", ".join(r["slug"] for r in await Structure.select(Structure.slug))
        raise InvalidInput(f"Okänd samverkansstruktur '{slug}'. Kända: {known}.", field="structure")
    return row["id"]


async def _party_ids(structure_id: int, codes: list[str] | None) -> dict[str, int]:
    rows = await Party.select(Party.code, Party.id).where(Party.structure == structure_id)
    in_structure = {r["code"]: r["id"] for r in rows}
    if codes is None:
        return in_structure
    if not codes:
        raise InvalidInput("Välj minst en part, eller utelämna party_codes för alla.", field="party_codes")
    unknown = sorted(set(codes) - set(in_structure))
    if unknown:
        raise InvalidInput(
            f"Dessa koder är inte parter i strukturen: {', '.join(unknown)}.", field="party_codes"
        )
    return {code: in_structure[code] for code in codes}


async def _parties_of(agreement_id: int) -> dict[str, str]:
    rows = await Party.raw(
        "SELECT p.code, p.name FROM agreement_party ap JOIN party p ON p.id = ap.party "
        "WHERE ap.agreement = {} ORDER BY p.code",
        agreement_id,
    )
    return {r["code"]: r["name"] for r in rows}


async def _parties_of_structure(structure_id: int) -> dict[str, tuple[int, str]]:
    rows = await Party.select(Party.code, Party.id, Party.name).where(Party.structure == structure_id)
    return {r["code"]: (r["id"], r["name"]) for r in rows}


async def _check_parent(parent_id: int | None, kind: AgreementKind, structure_id: int) -> None:
    if kind in ATTACHED_KINDS and parent_id is None:
        raise InvalidInput(
            "En bilaga eller tilläggsöverenskommelse måste ange sin huvudöverenskommelse.", field="parent_id"
        )
    if parent_id is None:
        return
    if kind not in ATTACHED_KINDS:
        raise InvalidInput(
            "Bara bilagor och tilläggsöverenskommelser kan ha en huvudöverenskommelse.", field="parent_id"
        )
    parent = (
        await Agreement.select(Agreement.structure, Agreement.kind).where(Agreement.id == parent_id).first()
    )
    if parent is None:
        raise InvalidInput(f"Huvudöverenskommelsen {parent_id} finns inte.", field="parent_id")
    if parent["structure"] != structure_id:
        raise InvalidInput("Huvudöverenskommelsen hör till en annan samverkansstruktur.", field="parent_id")


def _stewards(items: list) -> list[dict]:
    return [
        {"name": s.name.strip(), "email": email_address(s.email, "stewards"), "organisation": s.organisation}
        for s in items
    ]


def _documents(items: list[Link]) -> str:
    for link in items:
        if not link.url.startswith(("https://", "http://")):
            raise InvalidInput(f"Länken '{link.url}' måste börja med https://.", field="documents")
    return json.dumps([msgspec.structs.asdict(link) for link in items], ensure_ascii=False)


async def create_agreement(data: AgreementCreate, *, actor: Actor) -> AgreementDetail:
    kind = checks.kind(data.kind)
    status = checks.status(data.status)
    entry_rule = checks.entry_rule(data.entry_rule)
    structure_id = await _structure_id(data.structure)
    get_template(data.structure, kind)  # the structure must have a process for this kind
    columns = checks.term_columns(data.term)
    await _check_parent(data.parent_id, kind, structure_id)
    parent_parties = await _parties_of(data.parent_id) if data.parent_id is not None else {}
    # an annex binds its parent's parties unless it names fewer (seed 003)
    codes = list(parent_parties) if data.party_codes is None and parent_parties else data.party_codes
    parties = await _party_ids(structure_id, codes)
    check_entry_settings(entry_rule, data.entry_count, data.entry_offset_days, len(parties))
    check_attached(
        kind,
        parties=parties,
        parent_parties=parent_parties,
        has_own_term=data.term.kind != "none",
        names={code: name for code, (_, name) in (await _parties_of_structure(structure_id)).items()},
    )
    stewards = _stewards(data.stewards)
    async with Agreement._meta.db.transaction():
        rows = await Agreement.insert(
            Agreement(
                structure=structure_id,
                kind=kind.value,
                reference=data.reference.strip(),
                title=checks.title(data.title),
                summary=data.summary,
                target_group=data.target_group,
                status=status.value,
                all_parties=codes is None,
                parent=data.parent_id,
                law_refs=[r.strip() for r in data.law_refs if r.strip()],
                documents=_documents(data.documents),
                entry_rule=entry_rule.value,
                entry_fixed_date=data.entry_fixed_date,
                entry_count=data.entry_count,
                entry_offset_days=data.entry_offset_days,
                declared_in_force_from=data.declared_in_force_from,
                decision_due=data.decision_due,
                annual_follow_up=checks.annual_follow_up(data.annual_follow_up),
                created_at=now(),
                updated_at=now(),
                **columns,
            )
        ).returning(Agreement.id)
        agreement_id = rows[0]["id"]
        await _write_children(agreement_id, parties, stewards)
        await store.refresh([agreement_id], today())
        detail = await get_agreement(agreement_id)
        await record(
            actor,
            "create",
            "agreement",
            agreement_id,
            agreement_id=agreement_id,
            after=msgspec.to_builtins(detail),
        )
    return detail


async def _write_children(agreement_id: int, parties: dict[str, int], stewards: list[dict]) -> None:
    if parties:
        await AgreementParty.insert(
            *(AgreementParty(agreement=agreement_id, party=pid) for pid in parties.values())
        )
    if stewards:
        await Steward.insert(*(Steward(agreement=agreement_id, **s) for s in stewards))


async def update_agreement(agreement_id: int, patch: AgreementPatch, *, actor: Actor) -> AgreementDetail:
    changes: dict = {}
    given = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    if "title" in given:
        changes["title"] = checks.title(given["title"])
    for name in (
        "reference",
        "summary",
        "target_group",
        "entry_fixed_date",
        "entry_count",
        "entry_offset_days",
        "declared_in_force_from",
        "decision_due",
    ):
        if name in given:
            changes[name] = given[name]
    if "status" in given:
        changes["status"] = checks.status(given["status"]).value
        # the secretariat's own word: what a replacement wrote over it is no longer kept
        # (store.refresh ends it again, keeping this one, while its replacement is in force)
        changes["replaced_status"] = None
    if "entry_rule" in given:
        changes["entry_rule"] = checks.entry_rule(given["entry_rule"]).value
    if "annual_follow_up" in given:
        changes["annual_follow_up"] = checks.annual_follow_up(given["annual_follow_up"])
    if "law_refs" in given:
        changes["law_refs"] = [r.strip() for r in given["law_refs"] if r.strip()]
    if "documents" in given:
        changes["documents"] = _documents(patch.documents)
    if "term" in given:
        changes.update(checks.term_columns(patch.term))
    stewards = _stewards(patch.stewards) if "stewards" in given else None
    async with Agreement._meta.db.transaction():
        row = await checks.agreement_row(agreement_id, lock=True)
        if {"entry_rule", "entry_count", "entry_offset_days"} & set(given):
            merged = {**row, **changes}
            count = await AgreementParty.count().where(AgreementParty.agreement == agreement_id)
            check_entry_settings(
                EntryRule(merged["entry_rule"]), merged["entry_count"], merged["entry_offset_days"], count
            )
        if "term" in given and patch.term.kind != "none":
            check_attached(
                AgreementKind(row["kind"]), parties=(), parent_parties=(), has_own_term=True, names={}
            )
        before = msgspec.to_builtins(await get_agreement(agreement_id))
        if changes:
            await Agreement.update({**changes, Agreement.updated_at: now()}).where(
                Agreement.id == agreement_id
            )
        if stewards is not None:
            await Steward.delete().where(Steward.agreement == agreement_id)
            if stewards:
                await Steward.insert(*(Steward(agreement=agreement_id, **s) for s in stewards))
        await store.refresh([agreement_id], today())
        detail = await get_agreement(agreement_id)
        await record(
            actor,
            "update",
            "agreement",
            agreement_id,
            agreement_id=agreement_id,
            before=before,
            after=msgspec.to_builtins(detail),
        )
    return detail


async def new_version(agreement_id: int, *, actor: Actor) -> AgreementDetail:
    """Start a revision: a new version with the same facts, parties and stewards, in draft.

    It replaces the old version when it enters into force (DOMAIN.md rule 7); both keep their
    history."""
    async with Agreement._meta.db.transaction():
        old = await checks.agreement_row(agreement_id, lock=True)
        successor = await Agreement.select(Agreement.id).where(Agreement.supersedes == agreement_id).first()
        if successor is not None:
            raise InvalidInput(
                f"Version {old['version']} har redan en efterföljare (id {successor['id']}); "
                "revidera den i stället.",
                field="agreement_id",
            )
        copied = {
            k: v for k, v in old.items() if k not in ("id", "structure_slug", "created_at", "updated_at")
        }
        copied.update(
            supersedes=agreement_id,
            version=old["version"] + 1,
            status="draft",
            declared_in_force_from=None,
            text_law_refs=[],  # its own documents, once uploaded, say which laws it cites
            created_at=now(),
            updated_at=now(),
        )
        copied["documents"] = (
            old["documents"] if isinstance(old["documents"], str) else json.dumps(old["documents"])
        )
        copied["reminder_policy"] = (
            old["reminder_policy"]
            if isinstance(old["reminder_policy"], str)
            else json.dumps(old["reminder_policy"])
        )
        rows = await Agreement.insert(Agreement(**copied)).returning(Agreement.id)
        new_id = rows[0]["id"]
        parties = {
            r["code"]: r["party"]
            for r in await AgreementParty.select(
                AgreementParty.party, AgreementParty.party.code.as_alias("code")
            ).where(AgreementParty.agreement == agreement_id)
        }
        stewards = await Steward.select(Steward.name, Steward.email, Steward.organisation).where(
            Steward.agreement == agreement_id
        )
        await _write_children(new_id, parties, stewards)
        await store.refresh([new_id], today())
        detail = await get_agreement(new_id)
        await record(
            actor,
            "create",
            "agreement",
            new_id,
            agreement_id=new_id,
            after={"supersedes": agreement_id, "version": detail.version},
        )
    return detail


async def get_agreement_row(agreement_id: int) -> dict:
    """The stored row; NotFound with the id when there is none."""
    return await checks.agreement_row(agreement_id)


async def get_agreement(agreement_id: int) -> AgreementDetail:
    return detail_of(await store.load([agreement_id], today(), versions=True, detail=True), agreement_id)


def _json(value) -> list:
    return json.loads(value) if isinstance(value, str) else list(value or [])


def detail_of(evaluated: Evaluated, agreement_id: int) -> AgreementDetail:
    """The agreement's facts, process state, warnings, versions and annexes; `evaluated` loaded
    with `versions=True, detail=True`."""
    loaded = evaluated[agreement_id]
    row, evaluation = loaded.row, loaded.evaluation
    return AgreementDetail(
        id=row["id"],
        reference=row["reference"],
        title=row["title"],
        kind=row["kind"],
        structure=row["structure_slug"],
        # ended once the agreement that replaces it is in force (lifecycle.rules.replacement)
        status=AgreementStatus.ENDED.value
        if is_replaced(loaded.inputs.replaced_from, evaluated.as_of)
        else loaded.inputs.status.value,
        version=row["version"],
        parent_id=row["parent"],
        party_count=len(loaded.parties),
        updated_at=row["updated_at"],
        summary=row["summary"],
        target_group=row["target_group"],
        supersedes_id=row["supersedes"],
        law_refs=list(row["law_refs"] or []),
        text_law_refs=list(row["text_law_refs"] or []),
        documents=[Link(**d) for d in _json(row["documents"])],
        stewards=[StewardView(**s) for s in _json(row["stewards_json"])],
        term=checks.term_input(row),
        entry_rule=row["entry_rule"],
        entry_fixed_date=row["entry_fixed_date"],
        entry_count=row["entry_count"],
        entry_offset_days=row["entry_offset_days"],
        declared_in_force_from=row["declared_in_force_from"],
        in_force_from=evaluation.in_force_from,
        decision_due=row["decision_due"],
        annual_follow_up=row["annual_follow_up"],
        process=StepState(
            key=evaluation.current_step.key if evaluation.current_step else None,
            label=evaluation.current_step.label if evaluation.current_step else None,
            allowed_next=list(evaluation.allowed_next),
            parties_decide=evaluation.template.parties_decide,
            recommended_on=evaluation.recommended_on,
        ),
        warnings=warning_views(evaluation),
        versions=versions_of(evaluated, agreement_id),
        annexes=msgspec.convert(_json(row["annexes_json"]), list[AgreementSummary]),
        replaces=msgspec.convert(_json(row["replaces_json"]), list[AgreementLink]),
        replaced_by=msgspec.convert(json.loads(by), AgreementLink)
        if (by := row["replaced_by_json"])
        else None,
        replaced_from=loaded.inputs.replaced_from if row["replaced_by"] else None,
        created_at=row["created_at"],
    )


def versions_of(evaluated: Evaluated, agreement_id: int) -> list[VersionRef]:
    chain = evaluated.versions(agreement_id)
    facts = [
        VersionFacts(
            id=v.row["id"], number=v.row["version"], entered_into_force_on=v.evaluation.in_force_from
        )
        for v in chain
    ]
    states = version_states(facts, evaluated.as_of)
    return [
        VersionRef(
            id=v.row["id"],
            version=v.row["version"],
            title=v.row["title"],
            state=states[v.row["id"]].value,
            in_force_from=v.evaluation.in_force_from,
        )
        for v in sorted(chain, key=lambda v: v.row["version"])
    ]


async def list_agreements(
    *,
    structure: str | None,
    kind: str | None,
    status: str | None,
    party: str | None,
    q: str | None,
    limit: int,
    offset: int,
) -> AgreementPage:
    where, args = ["TRUE"], []
    if structure is not None:
        await _structure_id(structure)
        where.append("s.slug = {}")
        args.append(structure)
    if kind is not None:
        where.append("a.kind = {}")
        args.append(checks.kind(kind).value)
    if status is not None:
        where.append("a.status = {}")
        args.append(checks.status(status).value)
    if party is not None:
        if not await Party.exists().where(Party.code == party):
            raise NotFound(f"Det finns ingen part med koden '{party}'.")
        where.append(
            "EXISTS (SELECT 1 FROM agreement_party ap JOIN party p ON p.id = ap.party "
            "WHERE ap.agreement = a.id AND p.code = {})"
        )
        args.append(party)
    if q:
        where.append("(a.title ILIKE {} OR a.reference ILIKE {})")
        args += [f"%{q}%", f"%{q}%"]
    clause = " WHERE " + " AND ".join(where)
    total = (
        await Agreement.raw(
            "SELECT count(*) AS n FROM agreement a JOIN structure s ON s.id = a.structure" + clause, *args
        )
    )[0]["n"]
    rows = await Agreement.raw(
        SUMMARY_SQL + clause + " ORDER BY s.county_code, a.id LIMIT {} OFFSET {}", *args, limit, offset
    )
    return AgreementPage(items=[AgreementSummary(**r) for r in rows], total=total, limit=limit, offset=offset)
