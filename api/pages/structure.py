"""A structure's adoption matrix, as a page and as CSV and XLSX files; and the list of structures."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, Response, get
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from api.pages import exports
from api.pages.my_notifications import follow_state
from api.pages.render import is_htmx, page
from api.pages.spreadsheets import download
from lifecycle.services.matrix import SORTS, structure_matrix
from notifications.feeds.links import subscribe_links
from parties.services import list_structures

Sort = Annotated[str, QueryParameter(description=f"Sortering: {', '.join(SORTS)}")]
SORT_LABELS = {
    "title": "Titel",
    "adopted": "Störst andel antagna",
    "pending": "Flest parter som inte beslutat",
    "recommended": "Senast rekommenderad",
    "due": "Närmast beslutsdatum",
}


@get("/structures", opt={"access": "read"}, include_in_schema=False)
async def structures(request: Request) -> Template:
    return page(request, "structures.html", structures=await list_structures())


@get("/structures/{slug:str}", opt={"access": "read"}, include_in_schema=False)
async def matrix(request: Request, slug: FromPath[str], sort: Sort = "title") -> Template:
    found = await structure_matrix(slug, sort=sort)
    if is_htmx(request):
        return page(request, "_matrix.html", matrix=found, sorts=SORT_LABELS)
    feed = await subscribe_links("structure", slug)
    follow = await follow_state(request, "structure", slug)
    return page(request, "structure.html", matrix=found, sorts=SORT_LABELS, feed=feed, follow=follow)


@get("/structures/{slug:str}/matrix.csv", opt={"access": "read"}, include_in_schema=False)
async def matrix_csv(slug: FromPath[str], sort: Sort = "title") -> Response[bytes]:
    found = await structure_matrix(slug, sort=sort)
    return download(exports.matrix_csv(found), f"{slug}-antaganden.csv")


@get("/structures/{slug:str}/matrix.xlsx", opt={"access": "read"}, include_in_schema=False)
async def matrix_xlsx(slug: FromPath[str], sort: Sort = "title") -> Response[bytes]:
    found = await structure_matrix(slug, sort=sort)
    return download(exports.matrix_xlsx(found), f"{slug}-antaganden.xlsx")
