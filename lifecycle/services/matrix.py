"""A structure's adoption matrix: every current agreement the parties decide on × every party.

Read from what `store.refresh` stored (`adoption_summary`, `adoption_cell`), derived by the rules
in the transaction of each change and by the daily run: a fixed number of statements, no rule
evaluated, whatever the size of the structure. A row not derived for today (the daily run has not
run yet, or an admin's sweep as of another day moved it) is evaluated afresh in one `store.load`,
so the matrix is never a day behind; stored rows only make it fast. A row stored as `settled` on an
earlier day holds today too (no decision of it is dated after that day: rules.decisions.
adoption_settled), so an ended agreement, which the daily run no longer refreshes, is not
evaluated again on every view. A page shows `PAGE_SIZE`
agreements, sorted over all of them, with the total.
"""

from __future__ import annotations

from datetime import date

import msgspec

from core.clock import today
from core.errors import NotFound
from lifecycle import store
from lifecycle.store import AdoptionRow, adoption_row
from lifecycle.tables import Agreement

SORTS = ("title", "adopted", "pending", "recommended", "due")
PAGE_SIZE = 100


class MatrixParty(msgspec.Struct, kw_only=True):
    code: str
    name: str
    kind: str
    group: str | None = None  # the slug of its kommunalförbund, if it belongs to one
    group_name: str | None = None


class MatrixBand(msgspec.Struct, kw_only=True):
    """A run of adjacent party columns of one group (None: the parties in no group)."""

    group: str | None
    name: str | None
    span: int


class MatrixCell(msgspec.Struct, kw_only=True):
    status: str
    decided_on: date | None
    legally_final_on: date | None


class MatrixRow(msgspec.Struct, kw_only=True):
    agreement_id: int
    title: str
    reference: str
    kind: str
    status: str
    recommended_on: date | None
    decision_due: date | None
    adopted: int
    pending: int
    total: int
    cells: dict[str, MatrixCell]  # by party code; absent: not a party to this agreement


class StructureMatrix(msgspec.Struct, kw_only=True):
    slug: str
    name: str
    as_of: date
    sort: str
    parties: list[MatrixParty]  # the region(s) first, then each group's members by name
    rows: list[MatrixRow]  # the page's (every row without paging)
    total: int  # agreements in the matrix, on every page
    page: int  # 1-based; 1 without paging
    pages: int
    first: int  # the 1-based position of the page's first row (0 when there is none)
    bands: list[MatrixBand] = msgspec.field(default_factory=list)


def _sort_key(sort: str):
    if sort == "adopted":
        return lambda r: (-(r.adopted / r.total if r.total else 0), r.title.lower())
    if sort == "pending":
        return lambda r: (-r.pending, r.title.lower())
    if sort == "recommended":
        return lambda r: (r.recommended_on is None, -(r.recommended_on or date.min).toordinal(), r.title)
    if sort == "due":
        return lambda r: (r.decision_due is None, r.decision_due or date.max, r.title.lower())
    return lambda r: (r.title.lower(), r.agreement_id)


_ROWS = """
SELECT a.id, a.title, a.reference, a.kind, a.status, s.as_of, s.settled, s.parties_decide,
       s.recommended_on, s.decision_due, s.adopted, s.pending, s.total
FROM agreement a LEFT JOIN adoption_summary s ON s.agreement = a.id
WHERE a.structure = {} AND a.status <> 'withdrawn'
  AND NOT EXISTS (SELECT 1 FROM agreement n WHERE n.supersedes = a.id AND n.status <> 'draft')
"""
_CELLS = """
SELECT agreement, party_code, status, decided_on, final_on FROM adoption_cell WHERE agreement = ANY({})
"""


def _row(found: dict, derived: AdoptionRow, cells: dict[str, MatrixCell]) -> MatrixRow:
    return MatrixRow(
        agreement_id=found["id"],
        title=found["title"],
        reference=found["reference"],
        kind=found["kind"],
        status=found["status"],
        recommended_on=derived.recommended_on,
        decision_due=derived.decision_due,
        adopted=derived.adopted,
        pending=derived.pending,
        total=derived.total,
        cells=cells,
    )


def _cells(derived: AdoptionRow) -> dict[str, MatrixCell]:
    return {
        code: MatrixCell(status=status, decided_on=decided_on, legally_final_on=final_on)
        for code, (status, decided_on, final_on) in derived.cells.items()
    }


async def structure_matrix(slug: str, *, sort: str = "title", page: int | None = 1) -> StructureMatrix:
    """The matrix's page `page` (clamped to the pages there are), or every row with `page=None`
    (the exports)."""
    structure = await Agreement.raw("SELECT id, name FROM structure WHERE slug = {}", slug)
    if not structure:
        raise NotFound(f"Samverkansstrukturen '{slug}' finns inte.")
    sid = structure[0]["id"]
    parties = await Agreement.raw(
        'SELECT p.code, p.name, p.kind, g.slug AS "group", g.name AS group_name FROM party p '
        "LEFT JOIN LATERAL (SELECT pg.slug, pg.name FROM party_group_member m JOIN party_group pg "
        "ON pg.id = m.party_group WHERE m.party = p.id ORDER BY pg.slug LIMIT 1) g ON true "
        "WHERE p.structure = {} ORDER BY g.slug NULLS FIRST, length(p.code), p.name",
        sid,
    )
    day = today()
    found = await Agreement.raw(_ROWS, sid)
    stale = {r["id"] for r in found if not holds_on(r, day)}
    evaluated = await store.load(sorted(stale), day) if stale else None
    rows: list[MatrixRow] = []
    for r in found:
        if evaluated is not None and r["id"] in stale and r["id"] in evaluated.agreements:
            derived = adoption_row(evaluated[r["id"]])
            cells = _cells(derived)
        else:
            derived = AdoptionRow(
                r["parties_decide"],
                r["recommended_on"],
                r["decision_due"],
                r["adopted"],
                r["pending"],
                r["total"],
                {},
            )
            cells = {}  # read below, for the page's rows only
        if derived.parties_decide:
            rows.append(_row(r, derived, cells))
    sort = sort if sort in SORTS else "title"
    rows.sort(key=_sort_key(sort))
    total = len(rows)
    pages = max(1, -(-total // PAGE_SIZE))
    if page is None:
        number, shown = 1, rows
    else:
        number = min(max(page, 1), pages)
        shown = rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    stored = {r.agreement_id: r.cells for r in shown if not r.cells and r.total}
    if stored:
        for c in await Agreement.raw(_CELLS, list(stored)):
            stored[c["agreement"]][c["party_code"]] = MatrixCell(
                status=c["status"], decided_on=c["decided_on"], legally_final_on=c["final_on"]
            )
    columns = [MatrixParty(**p) for p in parties]
    return StructureMatrix(
        slug=slug,
        name=structure[0]["name"],
        as_of=day,
        sort=sort,
        parties=columns,
        rows=shown,
        total=total,
        page=number,
        pages=pages,
        first=(number - 1) * PAGE_SIZE + 1 if shown else 0,
        bands=bands(columns),
    )


def holds_on(stored: dict, day: date) -> bool:
    """Whether a stored matrix row is right on `day`: derived for that day, or settled on an
    earlier one. A row derived for a later day (an admin's sweep ahead) is not."""
    as_of = stored["as_of"]
    return as_of == day or (as_of is not None and as_of < day and bool(stored["settled"]))


def bands(parties: list[MatrixParty]) -> list[MatrixBand]:
    """The header bands over the party columns: one per run of one group's members. None when no
    party belongs to a group (the matrix then has no band row)."""
    if all(p.group is None for p in parties):
        return []
    found: list[MatrixBand] = []
    for p in parties:
        if found and found[-1].group == p.group:
            found[-1].span += 1
        else:
            found.append(MatrixBand(group=p.group, name=p.group_name, span=1))
    return found
