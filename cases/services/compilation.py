"""The yearly compilation of a structure's disputes (`cases.rules.compilation`): one query."""

from __future__ import annotations

from cases.rules.compilation import Compilation, CompiledDispute, compile_year
from cases.rules.disputes import DisputeState
from cases.tables import Dispute
from core.errors import InvalidInput
from parties.services import get_structure

_ROWS = """
SELECT d.id, d.raised_on, d.closed_on, d.state, d.outcome, d.clarification,
       CASE WHEN coalesce(a.reference, '') = '' THEN a.title
            ELSE a.title || ' (' || a.reference || ')' END AS agreement,
       l.name AS level, l.position
FROM dispute d JOIN agreement a ON a.id = d.agreement JOIN structure s ON s.id = a.structure
JOIN dispute_level l ON l.dispute = d.id
 AND l.position = (SELECT max(position) FROM dispute_level WHERE dispute = d.id)
WHERE s.slug = {} AND d.raised_on BETWEEN make_date({}, 1, 1) AND make_date({}, 12, 31)
ORDER BY d.raised_on, d.id
"""


async def compilation(structure: str, year: int) -> Compilation:
    await get_structure(structure)
    if not 2000 <= year <= 2100:
        raise InvalidInput("Året ska vara mellan 2000 och 2100.", field="year")
    rows = await Dispute.raw(_ROWS, structure, year, year)
    return compile_year(
        [
            CompiledDispute(
                r["id"],
                r["agreement"],
                r["raised_on"],
                r["closed_on"],
                DisputeState(r["state"]),
                r["level"],
                r["position"],
                r["outcome"],
                r["clarification"],
            )
            for r in rows
        ],
        year,
    )
