"""A structure's adoption matrix: every current agreement the parties decide on × every party.

Set-based: the structure, its parties, the agreements' titles, and one `store.load_inputs` batch
(a fixed number of queries), then the pure rules per agreement. Never a query per cell.
"""

from __future__ import annotations

from datetime import date

import msgspec

from core.clock import today
from core.errors import NotFound
from lifecycle import store
from lifecycle.rules.agreement import evaluate
from lifecycle.rules.deadlines import decision_due_on
from lifecycle.rules.model import AdoptionStatus
from lifecycle.tables import Agreement

SORTS = ("title", "adopted", "pending", "recommended", "due")
ADOPTED = (AdoptionStatus.ADOPTED, AdoptionStatus.ADOPTED_WITH_RESERVATION)


class MatrixParty(msgspec.Struct, kw_only=True):
    code: str
    name: str
    kind: str


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
    parties: list[MatrixParty]
    rows: list[MatrixRow]


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
    as_of = today()
    structure = await Agreement.raw("SELECT id, name FROM structure WHERE slug = {}", slug)
    if not structure:
        raise NotFound(f"Samverkansstrukturen '{slug}' finns inte.")
    sid = structure[0]["id"]
    parties = await Agreement.raw(
        "SELECT code, name, kind FROM party WHERE structure = {} ORDER BY length(code), name", sid
    )
    agreements = {
        r["id"]: r
        for r in await Agreement.raw(
            "SELECT a.id, a.title, a.reference, a.kind, a.status, a.decision_due FROM agreement a "
            "WHERE a.structure = {} AND a.status <> 'withdrawn' AND NOT EXISTS "
            "(SELECT 1 FROM agreement n WHERE n.supersedes = a.id AND n.status <> 'draft')",
            sid,
        )
    }
    inputs = await store.load_inputs(list(agreements))
    rows = []
    for agreement_id, facts in inputs.items():
        if agreement_id not in agreements:
            continue  # a parent loaded for its annex, from another query's answer
        evaluation = evaluate(facts, as_of, with_deadlines=False)
        if not evaluation.template.parties_decide:
            continue
        row = agreements[agreement_id]
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
        name=structure[0]["name"],
        as_of=as_of,
        sort=sort,
        parties=[MatrixParty(**p) for p in parties],
        rows=rows,
    )
