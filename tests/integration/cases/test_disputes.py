"""Disputes through the API: a manager's clerk account raises one under Västmanland's ladder
(seed 000 § 10), its deadline reaches the deadlines table, the reminders and the feed; it is
lifted to Chefsforum and settled with a proposed clarification, which the yearly compilation
shows; a samverkansbrist becomes a dispute once; and who may do what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from audit.tables import AuditEvent
from cases.tables import FailureReport
from core.clock import freeze
from lifecycle.tables import StoredDeadline
from notifications.sweep import sweep
from notifications.tables import Delivery
from tests.integration.conftest import bearer
from tests.integration.reminders.helpers import make_agreement

RAISE = {
    "raised_by_party": "1980",
    "description": "Vem ansvarar för hemsjukvård efter utskrivning en fredag?",
    "parties": [
        {"party_code": "1980", "interpretation": "Regionen ansvarar till måndagen."},
        {"party_code": "19", "interpretation": "Kommunen ansvarar från hemgång."},
    ],
    "reason": "Överenskommelsen säger inte vad som gäller under helgen.",
}


@pytest.fixture
async def vm():
    made = await make_agreement(structure="vastmanland", parties=("19", "1980", "1983"))
    yield made
    await made.cleanup()


async def _live(agreement_id: int) -> list[tuple[str, date]]:
    rows = await StoredDeadline.select(StoredDeadline.key, StoredDeadline.due).where(
        (StoredDeadline.agreement == agreement_id)
        & (StoredDeadline.kind == "dispute_reply")
        & (StoredDeadline.cancelled == False)  # noqa: E712
    )
    return sorted((r["key"], r["due"]) for r in rows)


async def test_a_dispute_climbs_the_ladder_with_its_deadlines_and_lands_in_the_compilation(
    client, make_user, vm
):
    a = vm.agreement_id
    url = f"/api/agreements/{a}/disputes"
    clerk = await make_user("clerk", party="1980")
    other_clerk = await make_user("clerk", party="0180")
    steward = await make_user("steward", agreement_id=a)

    ladder = (await client.get(f"{url}/ladder")).json()
    assert ladder["own"] is False
    assert [lv["name"] for lv in ladder["levels"]] == [
        "Ansvariga chefer lokalt",
        "Chefsforum",
        "Tjänstemannagruppen, Strategisk regional beredning",
    ]

    # a clerk may raise only for its own party, of an agreement its party is in
    assert (await client.post(url, json=RAISE, headers=bearer(other_clerk))).status_code == 403
    as_region = {**RAISE, "raised_by_party": "19"}
    assert (await client.post(url, json=as_region, headers=bearer(clerk))).status_code == 403
    bad = await client.post(url, json={**RAISE, "reason": "Gäller 19121212-1212."}, headers=bearer(clerk))
    assert bad.status_code == 422 and "”19121212-1212”" in bad.json()["detail"]

    # raised on 10 December 2026: two weeks ends on julafton, so the reply is due on 28 December
    with freeze(date(2026, 12, 10)):
        raised = await client.post(url, json=RAISE, headers=bearer(clerk))
    assert raised.status_code == 201, raised.text
    d = raised.json()
    assert (d["state"], d["level"], d["reply_by"]) == ("open", "Ansvariga chefer lokalt", "2026-12-28")
    assert [p["code"] for p in d["parties"]] == ["19", "1980"]
    assert await _live(a) == [
        (f"dispute:{d['id']}:1:19", date(2026, 12, 28)),
        (f"dispute:{d['id']}:1:1980", date(2026, 12, 28)),
    ]

    # the sweep a week ahead reminds the two parties' registrators, not the third party's
    result = await sweep(date(2026, 12, 21))
    rows = await Delivery.select(Delivery.recipient, Delivery.kind, Delivery.party_code).where(
        (Delivery.agreement == a) & Delivery.id.is_in(result.deadline_deliveries or [0])
    )
    reminded = {r["recipient"] for r in rows if r["kind"] == "dispute_reply"}
    assert {vm.address("registrator19"), vm.address("registrator1980")} <= reminded
    assert vm.address("registrator1983") not in reminded

    # the agreement's calendar feed has the event
    feed = (await client.get(f"/api/agreements/{a}/feed")).json()["https"]
    ics = await client.get("/" + feed.split("://", 1)[1].split("/", 1)[1])
    assert ics.status_code == 200 and f"Tvist {d['id']}: besked från Ansvariga chefer lokalt" in ics.text

    # a clerk reads but does not handle; the steward lifts it to Chefsforum
    step = {"outcome": "Cheferna enades inte.", "decided_on": "2026-12-15"}
    assert (
        await client.post(f"{url}/{d['id']}/escalate", json=step, headers=bearer(clerk))
    ).status_code == 403
    assert (await client.get(f"{url}/{d['id']}", headers=bearer(clerk))).status_code == 200
    assert (await client.get(f"{url}/{d['id']}", headers=bearer(other_clerk))).status_code == 403
    with freeze(date(2026, 12, 16)):
        lifted = await client.post(f"{url}/{d['id']}/escalate", json=step, headers=bearer(steward))
    assert lifted.status_code == 200, lifted.text
    assert (lifted.json()["level"], lifted.json()["reply_by"]) == ("Chefsforum", "2027-01-15")
    assert await _live(a) == [
        (f"dispute:{d['id']}:2:19", date(2027, 1, 15)),
        (f"dispute:{d['id']}:2:1980", date(2027, 1, 15)),
    ]
    early = {"outcome": "Enades.", "decided_on": "2026-12-14"}
    with freeze(date(2026, 12, 20)):
        refused = await client.post(f"{url}/{d['id']}/settle", json=early, headers=bearer(steward))
    assert refused.status_code == 422 and "före den dag tvisten nådde Chefsforum" in refused.json()["detail"]

    # Chefsforum settles it with a proposed clarification; no deadline is left
    done_body = {"outcome": "Regionen ansvarar till första vardagen.", "decided_on": "2026-12-22"}
    done_body["clarification"] = "Förtydliga avsnitt 5 om helger."
    with freeze(date(2026, 12, 22)):
        done = await client.post(f"{url}/{d['id']}/settle", json=done_body, headers=bearer(steward))
    assert done.status_code == 200, done.text
    assert (done.json()["state"], done.json()["reply_by"], done.json()["closed_on"]) == (
        "resolved",
        None,
        "2026-12-22",
    )
    assert [lv["result"] for lv in done.json()["levels"]] == ["escalated", "resolved"]
    assert await _live(a) == []
    again = await client.post(f"{url}/{d['id']}/escalate", json=step, headers=bearer(steward))
    assert again.status_code == 409

    events = await AuditEvent.select(AuditEvent.action).where(
        (AuditEvent.entity == "dispute") & (AuditEvent.entity_id == str(d["id"]))
    )
    assert [e["action"] for e in events] == ["raise", "escalate", "settle"]

    compiled = (await client.get("/api/structures/vastmanland/disputes/2026")).json()
    mine = next(x for x in compiled["disputes"] if x["id"] == d["id"])
    assert (mine["level_reached"], mine["state_sv"], mine["clarification"]) == (
        "Chefsforum",
        "Parterna enades",
        "Förtydliga avsnitt 5 om helger.",
    )
    assert compiled["total"] >= 1 and "description" not in mine  # the public sees no description
    page = await client.get("/structures/vastmanland/tvister/2026")
    assert page.status_code == 200 and "Förtydliga avsnitt 5 om helger." in page.text
    assert (await client.get("/api/structures/vastmanland/disputes/1999")).status_code == 422


async def test_an_agreements_own_ladder_replaces_the_structures_for_disputes_raised_after(client, vm):
    url = f"/api/agreements/{vm.agreement_id}/disputes"
    short = await client.put(f"{url}/ladder", json={"levels": [{"name": "Lokalt", "reply_days": 7}]})
    assert short.status_code == 422 and "2–5 nivåer" in short.json()["detail"]
    levels = [{"name": "Lokalt", "reply_days": 7}, {"name": "Chefsforum", "reply_months": 1}]
    own = await client.put(f"{url}/ladder", json={"levels": levels})
    assert own.status_code == 200 and own.json()["own"] is True
    with freeze(date(2027, 1, 31)):
        raised = await client.post(url, json=RAISE)
        assert raised.status_code == 201, raised.text
        # the last level decides: it cannot be lifted further
        lifted = await client.post(
            f"{url}/{raised.json()['id']}/escalate", json={"outcome": "Nej.", "decided_on": "2027-01-31"}
        )
    assert (
        lifted.json()["level"] == "Chefsforum" and lifted.json()["reply_by"] == "2027-03-01"
    )  # 28 Feb: Sunday
    with freeze(date(2027, 2, 1)):
        last = await client.post(
            f"{url}/{raised.json()['id']}/escalate", json={"outcome": "Nej.", "decided_on": "2027-02-01"}
        )
    assert last.status_code == 409 and "sista nivå" in last.json()["detail"]
    back = await client.put(f"{url}/ladder", json={"levels": []})
    assert back.json()["own"] is False and len(back.json()["levels"]) == 3
    # the dispute keeps the ladder it was raised under
    kept = (await client.get(f"{url}/{raised.json()['id']}")).json()
    assert [lv["name"] for lv in kept["ladder"]] == ["Lokalt", "Chefsforum"]


async def test_a_samverkansbrist_becomes_a_dispute_once(client, vm):
    url = f"/api/agreements/{vm.agreement_id}/disputes"
    rows = await FailureReport.raw(
        "INSERT INTO failure_report (agreement, occurred_on, category, what_happened, consequence, state, "
        "conclusion, received_on) VALUES ({}, '2026-11-02', 'Annat', 'x', 'y', 'received', '', '2026-11-03') "
        "RETURNING id",
        vm.agreement_id,
    )
    report = rows[0]["id"]
    first = await client.post(url, json={**RAISE, "report_id": report})
    assert first.status_code == 201 and first.json()["report_id"] == report
    second = await client.post(url, json={**RAISE, "report_id": report})
    assert (
        second.status_code == 409 and f"Rapport {report} har redan blivit en tvist" in second.json()["detail"]
    )
    other = await make_agreement(structure="vastmanland", parties=("19", "1980"))
    try:
        elsewhere = await client.post(
            f"/api/agreements/{other.agreement_id}/disputes", json={**RAISE, "report_id": report}
        )
        assert elsewhere.status_code == 404
    finally:
        await other.cleanup()
    listed = (await client.get(url)).json()
    assert [(x["id"], x["level"]) for x in listed] == [(first.json()["id"], "Ansvariga chefer lokalt")]
    assert timedelta(0) <= date.fromisoformat(listed[0]["reply_by"]) - date.fromisoformat(
        listed[0]["raised_on"]
    )
