"""The deadlines list as it stood on another day (`GET /api/deadlines?as_of=`): derived by the rules
as of that day, so a party that gave notice later still has its notice deadline before it did."""

from __future__ import annotations

from datetime import date

import pytest

from core.clock import freeze
from tests.agreements import create_agreement

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


@pytest.fixture
async def noticed(client) -> int:
    # seed 003's term: 2023-01-01 – 2026-12-31, 18 months' notice (2025-06-30), 3-year renewals;
    # Härryda gives notice in time on 2025-03-01
    agreement = await create_agreement(client, status="active", party_codes=["1401", "1480", "1489"])
    response = await client.post(
        f"/api/agreements/{agreement['id']}/parties/1401/notice", json={"given_on": "2025-03-01"}
    )
    assert response.status_code == 201, response.text
    return agreement["id"]


async def _deadlines(client, agreement_id: int, **params) -> dict:
    response = await client.get("/api/deadlines", params={"agreement": agreement_id, **params})
    assert response.status_code == 200, response.text
    return response.json()


def _notices(page: dict) -> dict[str, tuple[str, bool]]:
    return {d["key"]: (d["due"], d["cancelled"]) for d in page["items"] if d["kind"] == "notice"}


async def test_before_its_notice_a_party_still_has_its_notice_deadlines(client, noticed):
    page = await _deadlines(client, noticed, party="1401", as_of="2025-02-01")

    assert page["as_of"] == "2025-02-01"
    assert _notices(page) == {
        "notice:2026-12-31": ("2025-06-30", False),
        "notice:2029-12-31": ("2028-06-30", False),
    }
    # the rows are the stored ones: the same ids the stored list gives
    stored = await _deadlines(client, noticed, party="1480")
    ids = {d["key"]: d["id"] for d in stored["items"]}
    assert {d["key"]: d["id"] for d in page["items"]} == {
        k: ids[k] for k in (d["key"] for d in page["items"])
    }


async def test_after_its_notice_the_party_has_none_and_the_others_keep_theirs(client, noticed):
    assert _notices(await _deadlines(client, noticed, party="1401", as_of="2025-03-01")) == {}
    cancelled = await _deadlines(client, noticed, party="1401", as_of="2025-03-01", cancelled="true")
    assert _notices(cancelled) == {
        "notice:2026-12-31": ("2025-06-30", True),
        "notice:2029-12-31": ("2028-06-30", True),
    }
    assert _notices(await _deadlines(client, noticed, party="1480", as_of="2025-03-01")) == {
        "notice:2026-12-31": ("2025-06-30", False),
        "notice:2029-12-31": ("2028-06-30", False),
    }


async def test_as_of_takes_the_lists_filters_and_pages(client, noticed):
    page = await _deadlines(client, noticed, as_of="2025-02-01", kind="notice", limit=1, offset=1)
    assert (page["total"], [d["key"] for d in page["items"]]) == (2, ["notice:2029-12-31"])
    later = await _deadlines(
        client, noticed, as_of="2025-02-01", **{"from": "2026-12-31", "to": "2029-12-30"}
    )
    assert [(d["key"], d["due"]) for d in later["items"]] == [
        ("term_end:2026-12-31", "2026-12-31"),
        ("notice:2029-12-31", "2028-06-30"),
    ]


async def test_a_day_out_of_bounds_or_an_unknown_kind_is_refused(client, noticed):
    response = await client.get("/api/deadlines", params={"agreement": noticed, "as_of": "1066-10-14"})
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "Datumet (as_of) ska ligga mellan 23 november 1996 och 23 november 2056, inte 1066-10-14."
    )
    assert response.json()["invalid-params"][0]["name"] == "as_of"
    response = await client.get("/api/deadlines", params={"as_of": "2025-02-01", "kind": "uppsägning"})
    assert response.status_code == 422
    assert response.json()["invalid-params"][0]["name"] == "kind"
