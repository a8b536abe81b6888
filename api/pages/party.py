"""A party's page: every agreement of this kommun or region, what it must decide and by when."""

from __future__ import annotations

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from api.access import allowed
from api.pages.forms import Form
from api.pages.labels import OUTCOMES
from api.pages.my_notifications import follow_state
from api.pages.render import page
from lifecycle.services import overview
from notifications.feeds.links import subscribe_links
from rounds.services import load as round_reads


async def party_context(request: Request, code: str, *forms: Form) -> dict:
    party, agreements = await overview.party_with_agreements(code)
    may_log = await allowed(request, "decision.log", party_code=code)
    returned = {f.name: f for f in forms}
    return {
        "party": party,
        "structure_name": party["structure_name"],
        "agreements": agreements,
        # a decision can be logged once the agreement has been recommended to the parties
        "decision_agreements": [r for r in agreements.items if r.recommended_on] if may_log else [],
        "outcomes": OUTCOMES,
        "decision_form": returned.get("decision", Form("decision")),
        "feed": await subscribe_links("party", code),
        "rounds": await round_reads.list_rounds(party=code, open_only=True, today=agreements.as_of),
        "follow": await follow_state(request, "party", code),
    }


@get("/parties/{code:str}", opt={"access": "read"}, include_in_schema=False)
async def party_page(request: Request, code: FromPath[str]) -> Template:
    return page(request, "party.html", **await party_context(request, code))
