"""The term for one party (DOMAIN.md rule 5, "Notices that come late"): Härryda gives notice in
time, Alingsås late; each gets its own end, no further notice deadline, and its later notice and
term-end deadlines cancelled in its own deadlines and calendar feed, while Göteborg keeps its."""

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
    # seed 003's term: 2023-01-01 – 2026-12-31, 18 months' notice (2025-06-30), 3-year renewals
    agreement = await create_agreement(client, status="active")
    for party, given_on in (("1401", "2025-03-01"), ("1489", "2025-09-01")):
        response = await client.post(
            f"/api/agreements/{agreement['id']}/parties/{party}/notice", json={"given_on": given_on}
        )
        assert response.status_code == 201, response.text
    return agreement["id"]


async def _term(client, agreement_id: int, **params) -> dict:
    response = await client.get(f"/api/agreements/{agreement_id}/term", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _answer(term: dict) -> tuple:
    return term["party"], term["ends_for_party_on"], term["runs_until"], term["next_notice_deadline"]


async def test_each_party_gets_its_own_term(client, noticed):
    assert _answer(await _term(client, noticed, party="1401")) == ("1401", "2026-12-31", "2026-12-31", None)
    assert _answer(await _term(client, noticed, party="1489")) == ("1489", "2029-12-31", "2029-12-31", None)
    assert _answer(await _term(client, noticed, party="1480")) == ("1480", None, "2029-12-31", "2028-06-30")
    assert _answer(await _term(client, noticed)) == (None, None, "2029-12-31", "2028-06-30")


async def test_as_of_answers_as_it_stood_that_day(client, noticed):
    before_notice = await _term(client, noticed, party="1401", as_of="2025-02-01")
    assert _answer(before_notice) == ("1401", None, "2026-12-31", "2025-06-30")
    assert before_notice["notices"] == []
    after = await _term(client, noticed, party="1401", as_of="2025-03-01")
    assert [n["party_code"] for n in after["notices"]] == ["1401"]


async def test_a_party_not_in_the_agreement_or_a_day_out_of_bounds_is_refused(client, noticed):
    response = await client.get(f"/api/agreements/{noticed}/term", params={"party": "0180"})
    assert response.status_code == 422
    assert response.json()["detail"] == "Part 0180 är inte part i den här överenskommelsen."
    response = await client.get(f"/api/agreements/{noticed}/term", params={"as_of": "1066-10-14"})
    assert response.status_code == 422
    assert response.json()["invalid-params"][0]["name"] == "as_of"
    response = await client.get(f"/api/agreements/{noticed}/adoption", params={"as_of": "3000-01-01"})
    assert response.status_code == 422


async def _keys(client, noticed: int, party: str, **params) -> dict[str, bool]:
    response = await client.get(
        "/api/deadlines", params={"agreement": noticed, "party": party, "kind": "notice", **params}
    )
    return {d["key"]: d["cancelled"] for d in response.json()["items"]}


async def test_the_later_notice_deadlines_leave_the_deadlines_of_the_parties_that_gave_notice(
    client, noticed
):
    assert await _keys(client, noticed, "1480") == {
        "notice:2026-12-31": False,
        "notice:2029-12-31": False,
        "notice:2032-12-31": False,
    }
    # Alingsås missed 2025-06-30 (it stays in its history); Härryda had given notice before it
    assert await _keys(client, noticed, "1489") == {"notice:2026-12-31": False}
    assert await _keys(client, noticed, "1401") == {}
    assert await _keys(client, noticed, "1401", cancelled="true") == {
        "notice:2026-12-31": True,
        "notice:2029-12-31": True,
        "notice:2032-12-31": True,
    }


async def test_a_partys_calendar_feed_marks_them_cancelled(client, noticed):
    links = (await client.get("/api/parties/1401/feed")).json()
    feed = (await client.get(links["https"].removeprefix("http://testserver.local"))).text.replace(
        "\r\n ", ""
    )
    event = feed.split(f"UID:agreement-{noticed}-notice-2029-12-31@samverkan")[1].split("END:VEVENT")[0]
    assert "STATUS:CANCELLED" in event
    links = (await client.get("/api/parties/1480/feed")).json()
    feed = (await client.get(links["https"].removeprefix("http://testserver.local"))).text.replace(
        "\r\n ", ""
    )
    event = feed.split(f"UID:agreement-{noticed}-notice-2029-12-31@samverkan")[1].split("END:VEVENT")[0]
    assert "STATUS:CANCELLED" not in event
