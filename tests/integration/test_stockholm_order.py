"""Stockholm's order of recommendations (seed 004): the VIS political steering group recommends
"kommunerna respektive regionen", so Region Stockholm may decide from it; the kommuner decide
from Storsthlm's board's recommendation."""

from __future__ import annotations

from datetime import date

import pytest

from core.clock import freeze
from tests.agreements import create_agreement, recommend

TODAY = date(2024, 6, 1)
THROUGH_VIS = [
    ("behov_identifierat", "2023-09-01"),
    ("arbete_inlett", "2023-09-15"),
    ("arbetsgrupp_tillsatt", "2023-10-01"),
    ("forslag", "2023-11-01"),
    ("remiss", "2023-11-15"),
    ("revidering", "2024-01-15"),
    ("beredning", "2024-02-01"),
    ("rekommendation_politisk_styrgrupp", "2024-03-15"),
]
DECISION = {"meeting_date": "2024-04-09", "outcome": "adopted", "paragraph": "§ 12"}


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


async def test_region_stockholm_decides_after_vis_and_the_kommuner_after_storsthlm(client):
    agreement = await create_agreement(
        client, structure="stockholm", term={"kind": "none"}, entry_rule="when_all_final"
    )
    await recommend(client, agreement["id"], THROUGH_VIS)
    url = f"/api/agreements/{agreement['id']}/parties/{{}}/decisions"

    region = await client.post(url.format("01"), json={**DECISION, "body": "Regionfullmäktige"})
    assert region.status_code == 201, region.text
    kommun = await client.post(url.format("0180"), json={**DECISION, "body": "Kommunfullmäktige"})
    assert kommun.status_code == 409
    assert "inte rekommenderad" in kommun.json()["detail"]

    await recommend(client, agreement["id"], [("rekommendation_storsthlm", "2024-04-26")])
    early = await client.post(url.format("0180"), json={**DECISION, "body": "Kommunfullmäktige"})
    assert early.status_code == 422  # 2024-04-09 is before Storsthlm's board recommended
    late = await client.post(
        url.format("0180"), json={**DECISION, "body": "Kommunfullmäktige", "meeting_date": "2024-05-20"}
    )
    assert late.status_code == 201, late.text
