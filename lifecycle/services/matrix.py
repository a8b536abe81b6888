"""A structure's adoption matrix: every current agreement the parties decide on × every party.

Set-based: the structure, its parties, the agreements' ids, and one `store.load` (a fixed number
of statements, each agreement evaluated once). Never a query per cell.
"""

from __future__ import annotations

from datetime import date

import msgspec

from core.clock import today
from core.errors import NotFound
from lifecycle import store
from lifecycle.rules.deadlines import decision_due_on
from lifecycle.rules.model import AdoptionStatus
from lifecycle.store import Evaluated
from lifecycle.tables import Agreement

SORTS = ("title", "adopted", "pending", "recommended", "due")
ADOPTED = (AdoptionStatus.ADOPTED, AdoptionStatus.ADOPTED_WITH_RESERVATION)


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
    rows: list[MatrixRow]
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


async def structure_matrix(slug: str, *, sort: str = "title") -> StructureMatrix:
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
    ids = await Agreement.raw(
        "SELECT a.id FROM agreement a WHERE a.structure = {} AND a.status <> 'withdrawn' AND NOT EXISTS "
        "(SELECT 1 FROM agreement n WHERE n.supersedes = a.id AND n.status <> 'draft')",
        sid,
    )
    evaluated = await store.load([r["id"] for r in ids], today())
    return matrix_of(evaluated, slug, structure[0]["name"], [MatrixParty(**p) for p in parties], sort)


def matrix_of(
    evaluated: Evaluated, slug: str, name: str, parties: list[MatrixParty], sort: str
) -> StructureMatrix:
    rows = []
    for agreement_id in evaluated.asked:
        loaded = evaluated[agreement_id]
        evaluation = loaded.evaluation
        if not evaluation.template.parties_decide:
            continue
        row = loaded.row
        recommended = evaluation.recommended_on
        due = decision_due_on(row["decision_due"], recommended)
        adopted = sum(evaluation.counts[s] for s in ADOPTED)
        cells = {
            code: MatrixCell(status=a.status.value, decided_on=a.decided_on, legally_final_on=a.final_on)
            for code, a in evaluation.adoptions.items()
        }
        rows.append(
            MatrixRow(
                agreement_id=agreement_id,
                title=row["title"],
                reference=row["reference"],
                kind=row["kind"],
                status=row["status"],
                recommended_on=recommended,
                decision_due=due,
                adopted=adopted,
                pending=len(cells) - adopted - evaluation.counts[AdoptionStatus.REJECTED],
                total=len(cells),
                cells=cells,
            )
        )
    sort = sort if sort in SORTS else "title"
    rows.sort(key=_sort_key(sort))
    return StructureMatrix(
        slug=slug,
        name=name,
        as_of=evaluated.as_of,
        sort=sort,
        parties=parties,
        rows=rows,
        bands=bands(parties),
    )


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
