"""Annexes through the API: they bind only their parent's parties, have no term or notice of
their own, and end for a party when it gives notice of the parent (seed 003)."""

from __future__ import annotations

from datetime import date

import pytest

from core.clock import freeze
from tests.agreements import create_agreement, unique

TODAY = date(2026, 11, 23)
PARTIES = ["1401", "1480", "1489", "1490"]


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


async def _annex(client, parent_id: int, **changes):
    return await client.post(
        "/api/agreements",
        json={
            "structure": "vastra-gotaland",
            "kind": "bilaga",
            "title": unique("Bilaga"),
            "parent_id": parent_id,
            **changes,
        },
    )


async def test_an_annex_takes_its_parents_parties_and_ends_for_a_party_with_the_parent(client):
    parent = await create_agreement(client, party_codes=PARTIES, status="active")
    made = await _annex(client, parent["id"], party_codes=["1401", "1480", "1490"])
    assert made.status_code == 201, made.text
    annex = made.json()
    # without party_codes it has the parent's
    whole = await _annex(client, parent["id"])
    assert whole.json()["party_count"] == 4

    response = await client.post(
        f"/api/agreements/{parent['id']}/parties/1401/notice", json={"given_on": "2025-03-01"}
    )
    assert response.status_code == 201, response.text

    term = (await client.get(f"/api/agreements/{annex['id']}/term", params={"party": "1401"})).json()
    assert term["inherited_from"] == parent["id"]
    assert (term["ends_for_party_on"], term["runs_until"], term["next_notice_deadline"]) == (
        "2026-12-31",
        "2026-12-31",
        None,
    )
    assert [n["party_code"] for n in term["notices"]] == ["1401"]
    stays = (await client.get(f"/api/agreements/{annex['id']}/term", params={"party": "1480"})).json()
    assert (stays["ends_for_party_on"], stays["next_notice_deadline"]) == (None, "2028-06-30")


async def test_an_annex_with_a_party_outside_its_parent_or_a_term_of_its_own_is_refused(client):
    parent = await create_agreement(client, party_codes=PARTIES)
    outside = await _annex(client, parent["id"], party_codes=["1401", "1415"])
    assert outside.status_code == 422
    assert outside.json()["detail"] == (
        "En bilaga eller tilläggsöverenskommelse kan bara gälla parter i huvudöverenskommelsen: "
        "Stenungsund (1415) är inte part i den."
    )
    own_term = await _annex(
        client,
        parent["id"],
        term={"kind": "fixed", "start": "2024-01-01", "end": "2027-12-31", "notice_months": 6},
    )
    assert own_term.status_code == 422
    assert own_term.json()["invalid-params"][0]["name"] == "term"
    annex = (await _annex(client, parent["id"])).json()
    patched = await client.patch(
        f"/api/agreements/{annex['id']}",
        json={"term": {"kind": "until_further_notice", "start": "2024-01-01"}},
    )
    assert patched.status_code == 422


async def test_a_notice_on_an_annex_is_refused_and_points_to_its_parent(client):
    parent = await create_agreement(client, party_codes=PARTIES)
    annex = (await _annex(client, parent["id"])).json()
    response = await client.post(
        f"/api/agreements/{annex['id']}/parties/1401/notice", json={"given_on": "2025-03-01"}
    )
    assert response.status_code == 409
    assert f"säg upp huvudöverenskommelsen (id {parent['id']})" in response.json()["detail"]
