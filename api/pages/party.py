"""A party's page: every agreement of this kommun or region, what it must decide and by when."""

from __future__ import annotations

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from api.access import allowed
from api.pages.forms import Form
from api.pages.labels import KINDS, OUTCOMES, label
from api.pages.my_notifications import follow_state
from api.pages.render import page
from lifecycle.rules.validity import ATTACHED_KINDS
from lifecycle.services import overview
from lifecycle.views import PartyAgreementRow, ProposalView
from notifications.feeds.links import subscribe_links
from rounds.services import load as round_reads

ATTACHED = {k.value for k in ATTACHED_KINDS}
PROPOSAL_SHOWN = ("body", "meeting_date", "paragraph", "case_number", "proposal", "note")


def proposal_form_name(proposal_id: int) -> str:
    return f"proposal-{proposal_id}"


def _proposal_form(proposal: ProposalView, returned: dict[str, Form]) -> Form:
    """The correction form of one proposal: as it came back with its errors, else as stored."""
    name = proposal_form_name(proposal.id)
    if name in returned:
        return returned[name]
    values = {f: "" if (v := getattr(proposal, f)) is None else str(v) for f in PROPOSAL_SHOWN}
    return Form(name, {**values, "agreement_id": str(proposal.agreement_id)})


def _cover_label(row: PartyAgreementRow) -> str:
    return f"{label(KINDS, row.kind)}: {row.title}" if row.kind in ATTACHED else row.title


async def party_context(request: Request, code: str, *forms: Form) -> dict:
    party, agreements = await overview.party_with_agreements(code)
    may_log = await allowed(request, "decision.log", party_code=code)
    may_correct = await allowed(request, "decision.correct", party_code=code)
    returned = {f.name: f for f in forms}
    # a decision can be logged once the agreement has been recommended to the parties
    decision_agreements = [r for r in agreements.items if r.recommended_on] if may_log else []
    proposals = [(r, p) for r in agreements.items for p in r.proposals]
    return {
        "party": party,
        "structure_name": party["structure_name"],
        "agreements": agreements,
        "decision_agreements": decision_agreements,
        # the same paragraph may decide several of them at once (a package: lifecycle.rules.packages)
        "cover_options": [(r.agreement_id, _cover_label(r)) for r in decision_agreements]
        if len(decision_agreements) > 1
        else [],
        "outcomes": OUTCOMES,
        "decision_form": returned.get("decision", Form("decision")),
        "proposals": proposals,
        "proposal_forms": {p.id: _proposal_form(p, returned) for _, p in proposals} if may_correct else {},
        "feed": await subscribe_links("party", code),
        "rounds": await round_reads.list_rounds(party=code, open_only=True, today=agreements.as_of),
        "follow": await follow_state(request, "party", code),
    }


@get("/parties/{code:str}", opt={"access": "read"}, include_in_schema=False)
async def party_page(request: Request, code: FromPath[str]) -> Template:
    return page(request, "party.html", **await party_context(request, code))
