"""The demo's samverkansbrister: loaded through the services under VG-HOS-2023, once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from cases.demo import REFERENCE, REPORTS, load_demo_cases
from cases.services.analysis import analysis
from cases.services.compilation import compilation
from cases.services.dispute_load import list_disputes, load_dispute
from core.clock import freeze
from lifecycle.demo import demo_references, load_demo
from parties.tables import Contact


@pytest.fixture(scope="module")
async def vg_health_care() -> AsyncIterator[int]:
    before = {r["id"] for r in await Contact.select(Contact.id)}
    with freeze(date(2026, 11, 23)):
        await load_demo()
    yield (await demo_references([REFERENCE]))[REFERENCE]
    # the reminder tests expect their parties to have only their own contacts
    added = [r["id"] for r in await Contact.select(Contact.id) if r["id"] not in before]
    if added:
        await Contact.delete().where(Contact.id.is_in(added))


async def test_the_demo_reports_fill_the_analysis_and_loading_again_adds_nothing(vg_health_care):
    first = await load_demo_cases()
    assert first in (
        f"Demo samverkansbrister: {len(REPORTS)} reports and 2 disputes added to {REFERENCE}.",
        "Demo samverkansbrister: already there.",
    )
    counts = await analysis(agreement_id=vg_health_care)
    assert (counts.total.total, counts.total.closed, counts.total.open) == (5, 3, 2)
    # closed after 27, 29 and 26 days
    assert counts.total.median_days_to_close == 27.0
    assert [g.label for g in counts.by_quarter] == ["2026 kv1", "2026 kv2", "2026 kv3", "2026 kv4"]
    assert await load_demo_cases() == "Demo samverkansbrister: already there."
    assert (await analysis(agreement_id=vg_health_care)).total.total == 5


async def test_the_demo_disputes_climb_västra_götalands_ladder_and_fill_the_compilation(vg_health_care):
    await load_demo_cases()
    rows = await list_disputes(vg_health_care)
    assert sorted((r["state"], r["level"]) for r in rows) == [
        ("open", "Lokal nivå"),
        ("resolved", "Delregional vårdsamverkan"),
    ]
    opened = next(r for r in rows if r["state"] == "open")
    assert (await load_dispute(opened["id"])).report_id is not None  # grown from a report
    compiled = await compilation("vastra-gotaland", 2026)
    demo = [d for d in compiled.disputes if f"({REFERENCE})" in d.agreement]
    assert sorted(d.state for d in demo) == ["open", "resolved"]
    ((_, items),) = [(a, ds) for a, ds in compiled.clarifications if f"({REFERENCE})" in a]
    assert "korttidsplats" in items[0].clarification
