"""The start page: the register by state, who is overdue, and what is due next."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from accounts.tables import Role
from api.pages.render import page
from lifecycle.services.dashboard import STATES, dashboard
from rounds.services import load as round_reads


@get("/", opt={"access": "read"}, include_in_schema=False)
async def home(request: Request) -> Template:
    board = await dashboard()
    user = request.scope.get("user")
    # a clerk's start page: what its party must answer, and by when
    own = (
        sorted({(g.party, g.party_name) for g in user.roles if g.role is Role.CLERK and g.party})
        if user
        else []
    )
    to_answer = [
        (code, name, await round_reads.list_rounds(party=code, open_only=True, today=board.as_of))
        for code, name in own
    ]
    return page(request, "home.html", board=board, states=[s.value for s in STATES], to_answer=to_answer)
