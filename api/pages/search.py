"""Search the register and the agreements' own text: Swedish full-text search (documents.search,
over lifecycle.search)."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, get
from litestar.params import QueryParameter
from litestar.response import Template

from api.pages.render import is_htmx, page
from documents.search import search_register

Query = Annotated[str, QueryParameter(max_length=200, description="Sökord")]


@get("/search", opt={"access": "read"}, include_in_schema=False)
async def search(request: Request, q: Query = "") -> Template:
    hits = await search_register(q) if q.strip() else []
    name = "_search_fragment.html" if is_htmx(request) else "search.html"
    return page(request, name, q=q, hits=hits)
