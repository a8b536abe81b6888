"""The analysis of an agreement's (or a structure's) samverkansbrister: counts, never free text."""

from __future__ import annotations

from datetime import date

from cases.rules.analysis import Analysis, Counted, analyse
from cases.rules.states import MEASURE_SV
from cases.services.load import agreement_facts
from cases.tables import FailureReport
from parties.services import get_structure

_ROWS = """
SELECT r.category, r.received_on, r.closed_on, r.measure,
       CASE WHEN coalesce(a.reference, '') = '' THEN a.title
            ELSE a.title || ' (' || a.reference || ')' END AS agreement_title,
       ARRAY(SELECT p.name FROM failure_report_party rp JOIN party p ON p.id = rp.party
             WHERE rp.report = r.id AND rp.involved = 'yes' ORDER BY p.name) AS parties
FROM failure_report r JOIN agreement a ON a.id = r.agreement JOIN structure s ON s.id = a.structure
WHERE ({}::int IS NULL OR r.agreement = {}::int) AND ({}::varchar IS NULL OR s.slug = {}::varchar)
  AND ({}::date IS NULL OR r.received_on >= {}::date) AND ({}::date IS NULL OR r.received_on <= {}::date)
ORDER BY r.received_on, r.id
"""


async def analysis(
    *,
    agreement_id: int | None = None,
    structure: str | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
) -> Analysis:
    """The counts of the agreement's (or the structure's) reports, of those received in the period
    when one is given; NotFound when it does not exist (asked only when there are no reports:
    reports name an agreement that exists)."""
    rows = await FailureReport.raw(
        _ROWS,
        agreement_id,
        agreement_id,
        structure,
        structure,
        received_from,
        received_from,
        received_to,
        received_to,
    )
    if not rows and agreement_id is not None:
        await agreement_facts(agreement_id)
    if not rows and structure is not None:
        await get_structure(structure)
    counted = [
        Counted(
            r["category"],
            tuple(r["parties"]),
            r["received_on"],
            r["closed_on"],
            r["measure"],
            r["agreement_title"] if structure is not None else "",
        )
        for r in rows
    ]
    return analyse(counted, {m.value: label for m, label in MEASURE_SV.items()})
