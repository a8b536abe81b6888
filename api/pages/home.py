"""The start page: the register by state, who is overdue, and what is due next."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from api.pages.render import page
from lifecycle.services.dashboard import STATES, dashboard


@get("/", opt={"access": "read"}, include_in_schema=False)
async def home(request: Request) -> Template:
    return page(request, "home.html", board=await dashboard(), states=[s.value for s in STATES])
