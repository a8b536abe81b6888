"""Recording and correcting the preparatory decisions inside a party (nämnd → kommunstyrelse →
fullmäktige). A proposal changes no standing, date or deadline (lifecycle.rules.preparation), so
nothing derived is refreshed."""

from __future__ import annotations

import msgspec
from asyncpg.exceptions import UniqueViolationError

from audit.trail import Actor, record
from core.clock import now, today
from core.errors import Conflict, InvalidInput, NotFound
from lifecycle.rules.model import AgreementKind
from lifecycle.rules.preparation import Proposal, validate_proposal
from lifecycle.rules.process import get_template, require_party_decisions
from lifecycle.rules.swedish import party_label, sv_date
from lifecycle.services import checks
from lifecycle.services.decisions import DECISION_NAMED_BY, locked_party
from lifecycle.tables import Agreement, PreparatoryDecision
from lifecycle.views import ProposalIn, ProposalPatch, ProposalView

_SQL = (
    "SELECT pd.*, p.code AS party_code, p.name AS party_name FROM preparatory_decision pd "
    "JOIN party p ON p.id = pd.party "
)
# the fields a proposal holds, as `ProposalIn` and the table name them
_FIELDS = ("body", "meeting_date", "paragraph", "case_number", "proposal", "note")


def proposal_view(row: dict) -> ProposalView:
    return ProposalView(
        id=row["id"],
        agreement_id=row["agreement"],
        party_code=row["party_code"],
        party_name=row["party_name"],
        body=row["body"],
        meeting_date=row["meeting_date"],
        paragraph=row["paragraph"],
        case_number=row["case_number"],
        proposal=row["proposal"],
        note=row["note"],
        created_at=row["created_at"],
    )


def rule_proposal(row: dict) -> Proposal:
    """The rule's proposal of a row (stored, or as given: `_FIELDS` with `party_code`)."""
    return Proposal(
        party_code=row["party_code"],
        body=row["body"],
        meeting_date=row["meeting_date"],
        paragraph=row["paragraph"],
        case_number=row["case_number"],
        proposal=row["proposal"],
    )


async def list_proposals(agreement_id: int, *, party: str | None = None) -> list[ProposalView]:
    await checks.agreement_row(agreement_id)
    sql, args = _SQL + "WHERE pd.agreement = {}", [agreement_id]
    if party is not None:
        sql += " AND p.code = {}"
        args.append(party)
    rows = await PreparatoryDecision.raw(sql + " ORDER BY p.code, pd.meeting_date, pd.id", *args)
    return [proposal_view(r) for r in rows]


async def _party_preparing(agreement_id: int, party_code: str) -> tuple[int, str]:
    """The party's id and name, once the agreement (locked) is one its parties decide on."""
    agreement, party_id, party_name = await locked_party(agreement_id, party_code)
    require_party_decisions(get_template(agreement["structure_slug"], AgreementKind(agreement["kind"])))
    return party_id, party_name


def _checked(row: dict) -> dict:
    """The proposal's fields as the rule tidies them (`validate_proposal`), the note kept."""
    rule = validate_proposal(rule_proposal(row), today=today())
    return {**{f: getattr(rule, f) for f in _FIELDS if f != "note"}, "note": row["note"]}


async def _stored(query, fields: dict, party_code: str, party_name: str):
    """Run the insert or update; a second proposal of the same body at the same meeting is a 409."""
    try:
        return await query
    except UniqueViolationError:
        raise Conflict(
            f"{fields['body']} i {party_label(party_code, {party_code: party_name})} har redan ett "
            f"förslag från {sv_date(fields['meeting_date'])} om den här överenskommelsen.",
            field="meeting_date",
        ) from None


async def record_proposal(
    agreement_id: int, party_code: str, data: ProposalIn, *, actor: Actor
) -> ProposalView:
    """Record a body's proposal on the way to the party's decision."""
    async with Agreement._meta.db.transaction():
        party_id, party_name = await _party_preparing(agreement_id, party_code)
        fields = _checked({"party_code": party_code, **msgspec.structs.asdict(data)})
        stamp = now()
        rows = await _stored(
            PreparatoryDecision.insert(
                PreparatoryDecision(agreement=agreement_id, party=party_id, created_at=stamp, **fields)
            ).returning(PreparatoryDecision.id),
            fields,
            party_code,
            party_name,
        )
        row = {"id": rows[0]["id"], "agreement": agreement_id, "created_at": stamp, **fields}
        view = proposal_view({**row, "party_code": party_code, "party_name": party_name})
        await record(
            actor,
            "create",
            "preparatory_decision",
            view.id,
            agreement_id=agreement_id,
            after=msgspec.to_builtins(view),
        )
    return view


async def correct_proposal(
    agreement_id: int, party_code: str, proposal_id: int, patch: ProposalPatch, *, actor: Actor
) -> ProposalView:
    """Correct a recorded proposal of this party on this agreement: only the fields given change,
    checked as a new one would be."""
    given = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    if not given:
        raise InvalidInput("Ange minst ett fält att rätta.")
    async with Agreement._meta.db.transaction():
        _, party_name = await _party_preparing(agreement_id, party_code)
        found = await PreparatoryDecision.raw(
            _SQL + "WHERE pd.id = {} AND pd.agreement = {} AND p.code = {} FOR UPDATE OF pd",
            proposal_id,
            agreement_id,
            party_code,
        )
        if not found:
            raise NotFound(
                f"{party_label(party_code, {party_code: party_name})} har inget förslag med id "
                f"{proposal_id} om den här överenskommelsen."
            )
        current = found[0]
        fields = _checked({**current, **given})
        await _stored(
            PreparatoryDecision.update(fields).where(PreparatoryDecision.id == proposal_id),
            fields,
            party_code,
            party_name,
        )
        view = proposal_view({**current, **fields})
        await record(
            actor,
            "update",
            "preparatory_decision",
            proposal_id,
            agreement_id=agreement_id,
            before=msgspec.to_builtins(proposal_view(current)),
            after=msgspec.to_builtins(view),
            keep=DECISION_NAMED_BY,
        )
    return view
