"""A structure's adoption matrix, as a page and as CSV and XLSX files; and the list of structures."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from api.access import allowed
from api.actor import current_actor
from api.pages import exports
from api.pages.labels import ADOPTION, sv_date
from api.pages.my_notifications import follow_state
from api.pages.render import is_htmx
from api.pages.render import page as render
from api.pages.spreadsheets import download
from core.errors import InvalidInput
from lifecycle.services.matrix import SORTS, StructureMatrix, structure_matrix
from notifications.feeds.links import subscribe_links
from parties.services import list_groups, list_structures
from rounds.services import load as round_reads
from rounds.services import policy

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
    return await _whole(request, slug, shown)


async def _whole(
    request: Request, slug: str, shown: dict, *, error: str | None = None, typed: str = ""
) -> Template:
    feed = await subscribe_links("structure", slug)
    follow = await follow_state(request, "structure", slug)
    groups = [g for g in await list_groups() if g.structure == slug]
    rounds = await policy.get_policy(slug)
    may_manage_rounds = await allowed(request, "round.manage", structure=slug)
    return render(
        request,
        "structure.html",
        status=422 if error else 200,
        **shown,
        feed=feed,
        follow=follow,
        groups=groups,
        round_policy=rounds,
        may_set_round_policy=may_manage_rounds,
        structure_rounds=await round_reads.list_rounds(
            structure=slug, whole_structure=True, today=shown["matrix"].as_of
        ),
        round_policy_error=error,
        round_policy_typed=typed or str(rounds.follow_up_weeks),
    )


@post("/structures/{structure:str}/round-policy", opt={"access": "round.manage"}, include_in_schema=False)
async def set_round_policy(request: Request, structure: FromPath[str]) -> Template | Redirect:
    """The secretariat's form: how many weeks ahead a follow-up's round opens."""
    typed = str((await request.form()).get("follow_up_weeks") or "").strip()
    try:
        if not typed.isdigit():
            raise InvalidInput(
                f"Ange ett antal veckor med siffror: 1–{policy.MAX_FOLLOW_UP_WEEKS}.", field="follow_up_weeks"
            )
        await policy.set_policy(structure, int(typed), actor=current_actor(request))
    except InvalidInput as exc:  # a structure that does not exist is a 404, not the form again
        found = await structure_matrix(structure, sort="title", page=1)
        shown = {"matrix": found, "sorts": SORT_LABELS, "cell_labels": ADOPTION, "dates": _dates(found)}
        return await _whole(request, structure, shown, error=exc.message, typed=typed)
    saved = f"/structures/{structure}?sparat=uppfoljningsrundor#uppfoljningsrundor"
    return Redirect(path=saved, status_code=303)


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
