"""A structure's adoption matrix, as a page and as CSV and XLSX files; and the list of structures."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Request, Response, get
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from api.pages import exports
from api.pages.labels import ADOPTION, sv_date
from api.pages.my_notifications import follow_state
from api.pages.render import is_htmx
from api.pages.render import page as render
from api.pages.spreadsheets import download
from lifecycle.services.matrix import SORTS, StructureMatrix, structure_matrix
from notifications.feeds.links import subscribe_links
from parties.services import list_groups, list_structures

Sort = Annotated[str, QueryParameter(description=f"Sortering: {', '.join(SORTS)}")]
Page = Annotated[int, QueryParameter(ge=1, le=100_000, description="Sidan av matrisen, från 1")]
SORT_LABELS = {
    "title": "Titel",
    "adopted": "Störst andel antagna",
    "pending": "Flest parter som inte beslutat",
    "recommended": "Senast rekommenderad",
    "due": "Närmast beslutsdatum",
}


@get("/structures", opt={"access": "read"}, include_in_schema=False)
async def structures(request: Request) -> Template:
    return render(request, "structures.html", structures=await list_structures())


@get("/structures/{slug:str}", opt={"access": "read"}, include_in_schema=False)
async def matrix(request: Request, slug: FromPath[str], sort: Sort = "title", page: Page = 1) -> Template:
    found = await structure_matrix(slug, sort=sort, page=page)
    shown = {"matrix": found, "sorts": SORT_LABELS, "cell_labels": ADOPTION, "dates": _dates(found)}
    if is_htmx(request):
        return render(request, "_matrix.html", **shown)
    feed = await subscribe_links("structure", slug)
    follow = await follow_state(request, "structure", slug)
    groups = [g for g in await list_groups() if g.structure == slug]
    return render(request, "structure.html", **shown, feed=feed, follow=follow, groups=groups)


def _dates(found: StructureMatrix) -> dict[date, str]:
    """Each decision date on the page written once in Swedish: the cells look theirs up."""
    days = {c.decided_on for r in found.rows for c in r.cells.values() if c.decided_on}
    return {day: sv_date(day) for day in days}


@get("/structures/{slug:str}/matrix.csv", opt={"access": "read"}, include_in_schema=False)
async def matrix_csv(slug: FromPath[str], sort: Sort = "title") -> Response[bytes]:
    found = await structure_matrix(slug, sort=sort, page=None)
    return download(exports.matrix_csv(found), f"{slug}-antaganden.csv")


@get("/structures/{slug:str}/matrix.xlsx", opt={"access": "read"}, include_in_schema=False)
async def matrix_xlsx(slug: FromPath[str], sort: Sort = "title") -> Response[bytes]:
    found = await structure_matrix(slug, sort=sort, page=None)
    return download(exports.matrix_xlsx(found), f"{slug}-antaganden.xlsx")
