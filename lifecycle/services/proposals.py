"""Recording the preparatory decisions inside a party (nämnd → kommunstyrelse → fullmäktige)."""

from __future__ import annotations

import msgspec
from asyncpg.exceptions import UniqueViolationError

from audit.trail import Actor, record
from core.clock import now, today
from core.errors import Conflict
from lifecycle.rules.model import AgreementKind
from lifecycle.rules.preparation import Proposal, validate_proposal
from lifecycle.rules.process import get_template, require_party_decisions
from lifecycle.rules.swedish import party_label, sv_date
from lifecycle.services import checks
from lifecycle.services.decisions import party_of_agreement
from lifecycle.tables import Agreement, PreparatoryDecision
from lifecycle.views import ProposalIn, ProposalView

_SQL = (
    "SELECT pd.*, p.code AS party_code, p.name AS party_name FROM preparatory_decision pd "
    "JOIN party p ON p.id = pd.party "
)


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


async def record_proposal(
    agreement_id: int, party_code: str, data: ProposalIn, *, actor: Actor
) -> ProposalView:
    """Record a body's proposal on the way to the party's decision. It changes no standing, date or
    deadline (lifecycle.rules.preparation), so nothing derived is refreshed."""
    async with Agreement._meta.db.transaction():
        agreement = await checks.agreement_row(agreement_id, lock=True)
        require_party_decisions(get_template(agreement["structure_slug"], AgreementKind(agreement["kind"])))
        party_id, party_name = await party_of_agreement(agreement_id, party_code)
        rule = validate_proposal(
            Proposal(
                party_code=party_code,
                body=data.body,
                meeting_date=data.meeting_date,
                paragraph=data.paragraph,
                case_number=data.case_number,
                proposal=data.proposal,
            ),
            today=today(),
        )
        try:
            rows = await PreparatoryDecision.insert(
                PreparatoryDecision(
                    agreement=agreement_id,
                    party=party_id,
                    body=rule.body,
                    meeting_date=rule.meeting_date,
                    paragraph=rule.paragraph,
                    case_number=rule.case_number,
                    proposal=rule.proposal,
                    note=data.note,
                    created_at=now(),
                )
            ).returning(PreparatoryDecision.id, PreparatoryDecision.created_at)
        except UniqueViolationError:
            raise Conflict(
                f"{rule.body} i {party_label(party_code, {party_code: party_name})} har redan ett förslag "
                f"från {sv_date(rule.meeting_date)} om den här överenskommelsen.",
                field="meeting_date",
            ) from None
        view = ProposalView(
            id=rows[0]["id"],
            agreement_id=agreement_id,
            party_code=party_code,
            party_name=party_name,
            body=rule.body,
            meeting_date=rule.meeting_date,
            paragraph=rule.paragraph,
            case_number=rule.case_number,
            proposal=rule.proposal,
            note=data.note,
            created_at=rows[0]["created_at"],
        )
        await record(
            actor,
            "create",
            "preparatory_decision",
            view.id,
            agreement_id=agreement_id,
            after=msgspec.to_builtins(view),
        )
    return view
