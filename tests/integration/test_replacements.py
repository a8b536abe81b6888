"""Many into one through the API (seed 004: the county's 17 agreements into about seven): a new
agreement replaces several; each ends the day before the new one enters into force, its later
deadlines go, and both name each other."""

from __future__ import annotations

from datetime import date

import pytest

from core.clock import freeze
from tests.agreements import create_agreement, unique

TODAY = date(2026, 11, 23)
OLD = {
    "structure": "stockholm",
    "status": "active",
    "term": {"kind": "until_further_notice", "start": "2014-01-01", "notice_months": 6},
    "declared_in_force_from": "2014-01-01",
    "annual_follow_up": "11-15",
    "entry_rule": "when_all_final",
    "entry_fixed_date": None,
}


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


async def _consolidation(client) -> tuple[dict, dict, dict]:
    logopedi = await create_agreement(client, **OLD, title=unique("Logopedinsatser och medicinsk fotvård"))
    munhalsa = await create_agreement(client, **OLD, title=unique("Munhälsa"))
    new = await create_agreement(
        client,
        **{**OLD, "status": "draft", "declared_in_force_from": None, "term": {"kind": "none"}},
        title=unique("Samverkan kring personer på särskilt boende"),
    )
    return logopedi, munhalsa, new


async def test_a_new_agreement_replaces_two_and_they_end_when_it_enters_into_force(client):
    logopedi, munhalsa, new = await _consolidation(client)
    # when the new agreement is said to replace both
    response = await client.put(
        f"/api/agreements/{new['id']}/replaces", json={"replaces": [munhalsa["id"], logopedi["id"]]}
    )
    # then it lists them, and each names it
    assert response.status_code == 200, response.text
    assert [r["id"] for r in response.json()["replaces"]] == sorted([logopedi["id"], munhalsa["id"]])
    old = (await client.get(f"/api/agreements/{logopedi['id']}")).json()
    assert old["replaced_by"] == {"id": new["id"], "reference": "", "title": new["title"]}
    assert (old["status"], old["replaced_from"]) == ("active", None)  # the new one is not in force

    # when the new one is to enter into force on 1 January 2027
    patched = await client.patch(
        f"/api/agreements/{new['id']}", json={"declared_in_force_from": "2027-01-01"}
    )
    assert patched.status_code == 200, patched.text
    old = (await client.get(f"/api/agreements/{logopedi['id']}")).json()
    assert (old["status"], old["replaced_from"]) == ("active", "2027-01-01")
    term = (await client.get(f"/api/agreements/{logopedi['id']}/term")).json()
    assert term["runs_until"] == "2026-12-31"
    deadlines = (
        await client.get("/api/deadlines", params={"agreement": logopedi["id"], "cancelled": "true"})
    ).json()["items"]
    annual = {d["key"]: d["cancelled"] for d in deadlines if d["kind"] == "follow_up_annual"}
    assert annual["follow_up_annual:2026"] is False  # 15 November 2026, before its end
    assert annual["follow_up_annual:2027"] is True  # after it: cancelled, its reminders stop

    # and from that day it has ended
    with freeze(date(2027, 1, 1)):
        old = (await client.get(f"/api/agreements/{logopedi['id']}")).json()
        assert old["status"] == "ended"
        assert (await client.get(f"/api/agreements/{logopedi['id']}/term")).json()["ended"] is True

    history = (await client.get(f"/api/agreements/{logopedi['id']}/history")).json()
    assert any(e["after"] == {"replaced_by": new["id"]} for e in history)

    # when the new one no longer replaces Munhälsa, Munhälsa runs on
    response = await client.put(f"/api/agreements/{new['id']}/replaces", json={"replaces": [logopedi["id"]]})
    assert [r["id"] for r in response.json()["replaces"]] == [logopedi["id"]]
    kept = (await client.get(f"/api/agreements/{munhalsa['id']}")).json()
    assert (kept["replaced_by"], kept["replaced_from"]) == (None, None)
    assert (await client.get(f"/api/agreements/{munhalsa['id']}/term")).json()["runs_until"] is None


async def test_replacements_that_cannot_be_are_refused_with_swedish_messages(client):
    logopedi, munhalsa, new = await _consolidation(client)
    url = "/api/agreements/{}/replaces"
    itself = await client.put(url.format(new["id"]), json={"replaces": [new["id"]]})
    assert (itself.status_code, itself.json()["detail"]) == (
        422,
        "En överenskommelse kan inte ersätta sig själv.",
    )
    vg = await create_agreement(client)
    other = await client.put(url.format(new["id"]), json={"replaces": [vg["id"]]})
    assert other.status_code == 422
    assert "hör till en annan samverkansstruktur" in other.json()["detail"]
    missing = await client.put(url.format(new["id"]), json={"replaces": [10**8]})
    assert (missing.status_code, missing.json()["detail"]) == (
        422,
        "Det finns ingen överenskommelse med id 100000000.",
    )

    assert (await client.put(url.format(new["id"]), json={"replaces": [logopedi["id"]]})).status_code == 200
    cycle = await client.put(url.format(logopedi["id"]), json={"replaces": [new["id"]]})
    assert cycle.status_code == 422
    assert "de kan inte ersätta varandra" in cycle.json()["detail"]
    taken = await client.put(url.format(munhalsa["id"]), json={"replaces": [logopedi["id"]]})
    assert taken.status_code == 409
    assert taken.json()["detail"] == f"”{logopedi['title']}” ersätts redan av ”{new['title']}”."
    nowhere = await client.put(url.format(10**8), json={"replaces": []})
    assert nowhere.status_code == 404


async def test_both_pages_name_the_other(client):
    logopedi, munhalsa, new = await _consolidation(client)
    await client.put(
        f"/api/agreements/{new['id']}/replaces", json={"replaces": [logopedi["id"], munhalsa["id"]]}
    )
    await client.patch(f"/api/agreements/{new['id']}", json={"declared_in_force_from": "2027-01-01"})
    page = (await client.get(f"/agreements/{new['id']}")).text
    listed = page.split('<h3 id="ersatter">Ersätter</h3>')[1].split("</ul>")[0]
    assert f'<a href="/agreements/{logopedi["id"]}">{logopedi["title"]}</a>' in listed
    assert f'<a href="/agreements/{munhalsa["id"]}">{munhalsa["title"]}</a>' in listed
    old = (await client.get(f"/agreements/{logopedi['id']}")).text
    said = old.split('<dd id="ersatts-av">')[1].split("</dd>")[0]
    assert said == (
        f'<a href="/agreements/{new["id"]}">{new["title"]}</a>, som träder i kraft 1 januari 2027: '
        "den här gäller till och med dagen före"
    )


async def _register_says(client, agreement: dict, status: str) -> bool:
    """Whether the register's status filter lists the agreement under `status`."""
    found = await client.get(
        "/api/agreements", params={"structure": "stockholm", "status": status, "q": agreement["title"]}
    )
    assert found.status_code == 200, found.text
    return [a["id"] for a in found.json()["items"]] == [agreement["id"]]


async def _matrix_says(agreement: dict) -> str:
    from lifecycle.services.matrix import structure_matrix

    found = await structure_matrix("stockholm", page=None)
    (row,) = [r for r in found.rows if r.agreement_id == agreement["id"]]
    return row.status


async def test_register_and_matrix_store_a_replaced_agreement_as_ended_when_its_replacement_enters_into_force(
    client,
):
    from notifications.daily import refresh_all

    logopedi, munhalsa, new = await _consolidation(client)
    await client.put(f"/api/agreements/{new['id']}/replaces", json={"replaces": [logopedi["id"]]})
    # when the new one is to enter into force on 1 January 2027: on 23 November 2026 both run on
    await client.patch(f"/api/agreements/{new['id']}", json={"declared_in_force_from": "2027-01-01"})
    assert await _register_says(client, logopedi, "active")
    assert await _matrix_says(logopedi) == "active"

    # when the day comes and the daily run refreshes the live agreements
    with freeze(date(2027, 1, 1)):
        await refresh_all(date(2027, 1, 1))
        # then the register's filter and the matrix say it has ended, and the other runs on
        assert await _register_says(client, logopedi, "ended")
        assert not await _register_says(client, logopedi, "active")
        assert await _matrix_says(logopedi) == "ended"
        assert await _register_says(client, munhalsa, "active")
        # and the system wrote it to the agreement's history
        history = (await client.get(f"/api/agreements/{logopedi['id']}/history")).json()
        by_system = [(e["before"], e["after"]) for e in history if e["actor"] == "system: ersättning"]
        assert by_system == [({"status": "active"}, {"status": "ended"})]


async def test_a_replaced_agreements_stored_status_follows_its_replacements_entry_into_force_at_once(
    client,
):
    logopedi, _, new = await _consolidation(client)
    # given a new agreement in force since 1 November 2026 (before today, 23 November 2026)
    await client.patch(f"/api/agreements/{new['id']}", json={"declared_in_force_from": "2026-11-01"})
    # when it is said to replace Logopedi: Logopedi is stored as ended at once
    await client.put(f"/api/agreements/{new['id']}/replaces", json={"replaces": [logopedi["id"]]})
    assert await _register_says(client, logopedi, "ended")
    assert await _matrix_says(logopedi) == "ended"
    # when its entry into force moves to 1 June 2027: Logopedi is active again, as the register had it
    await client.patch(f"/api/agreements/{new['id']}", json={"declared_in_force_from": "2027-06-01"})
    assert await _register_says(client, logopedi, "active")
    assert (await client.get(f"/api/agreements/{logopedi['id']}")).json()["status"] == "active"
    # when it moves back to 1 November 2026, then Logopedi is dropped from the list: it runs on
    await client.patch(f"/api/agreements/{new['id']}", json={"declared_in_force_from": "2026-11-01"})
    assert await _register_says(client, logopedi, "ended")
    await client.put(f"/api/agreements/{new['id']}/replaces", json={"replaces": []})
    assert await _register_says(client, logopedi, "active")
    assert await _matrix_says(logopedi) == "active"


async def test_a_status_the_secretariat_sets_on_a_replaced_agreement_is_what_it_returns_to(client):
    logopedi, _, new = await _consolidation(client)
    await client.patch(f"/api/agreements/{new['id']}", json={"declared_in_force_from": "2026-11-01"})
    await client.put(f"/api/agreements/{new['id']}/replaces", json={"replaces": [logopedi["id"]]})
    # when the secretariat marks it as a draft while its replacement is in force: it stays ended
    patched = await client.patch(f"/api/agreements/{logopedi['id']}", json={"status": "draft"})
    assert patched.json()["status"] == "ended"
    assert await _register_says(client, logopedi, "ended")
    # and once the replacement no longer replaces it, it is the draft the secretariat said
    await client.put(f"/api/agreements/{new['id']}/replaces", json={"replaces": []})
    assert await _register_says(client, logopedi, "draft")
