"""A remiss round through the API: Örebro's 13 parties, two questions, answers, reminders, close."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.clock import today
from lifecycle.tables import ProcessStep, StoredDeadline
from notifications.sweep import sweep
from notifications.tables import Delivery
from parties.tables import Party
from tests.integration.conftest import bearer
from tests.integration.reminders.helpers import make_agreement

QUESTIONS = [
    {"kind": "yes_no", "text": "Ställer ni er bakom förslaget?"},
    {"kind": "choice", "text": "Vilken modell föredrar ni?", "options": ["Gemensam", "Lokal"]},
]


@pytest.fixture
async def orebro():
    codes = [
        r["code"]
        for r in await Party.raw(
            "SELECT p.code FROM party p JOIN structure s ON s.id = p.structure "
            "WHERE s.slug = 'orebro' ORDER BY p.code"
        )
    ]
    assert len(codes) == 13
    made = await make_agreement(
        structure="orebro", parties=tuple(codes), status="draft", term={"term_kind": "none"}
    )
    await ProcessStep.insert(
        ProcessStep(agreement=made.agreement_id, step="behov_identifierat", taken_on=date(2026, 1, 10)),
        ProcessStep(agreement=made.agreement_id, step="forslag", taken_on=date(2026, 3, 10)),
    )
    yield made, codes
    await made.cleanup()


async def test_a_remiss_round_for_orebros_13_parties_from_opening_to_closing(client, make_user, orebro):
    made, codes = orebro
    reply_by = today() + timedelta(days=14)
    # given: a secretariat of Örebro opens the round with two questions
    secretariat = await make_user("secretariat", structure="orebro")
    opened = await client.post(
        "/api/rounds",
        headers=bearer(secretariat),
        json={
            "agreement_id": made.agreement_id,
            "kind": "remiss",
            "title": "Remiss: ny överenskommelse",
            "reply_by": reply_by.isoformat(),
            "questions": QUESTIONS,
        },
    )
    assert opened.status_code == 201, opened.text
    round_ = opened.json()
    assert (round_["asked"], round_["answered"]) == (13, 0)
    step = await ProcessStep.select().where(ProcessStep.id == round_["process_step_id"]).first()
    assert (step["step"], step["reply_by"]) == ("remiss", reply_by)

    # when: one clerk submits, one declines, one saves a draft
    first, second, third = codes[1], codes[2], codes[3]
    clerks = {c: await make_user("clerk", party=c) for c in (first, second, third)}
    url = f"/api/rounds/{round_['id']}/answers"
    answer = {
        "state": "submitted",
        "answers": {"q1": "ja", "q2": "Gemensam"},
        "decided_body": "Socialnämnden",
        "decided_paragraph": "§ 12",
        "decided_on": (today() - timedelta(days=1)).isoformat(),
    }
    r = await client.put(f"{url}/{first}", headers=bearer(clerks[first]), json=answer)
    assert r.status_code == 200, r.text
    r = await client.put(f"{url}/{second}", headers=bearer(clerks[second]), json={"state": "declined"})
    assert r.status_code == 200, r.text
    r = await client.put(
        f"{url}/{third}", headers=bearer(clerks[third]), json={"state": "draft", "answers": {"q1": "nej"}}
    )
    assert r.status_code == 200, r.text

    # then: 2 of 13 answered; the draft's content is the party's own
    view = (await client.get(f"/api/rounds/{round_['id']}")).json()
    assert (view["asked"], view["answered"]) == (13, 2)
    assert view["counts"] == {"not_started": 10, "draft": 1, "submitted": 1, "declined": 1}
    drafted = next(p for p in view["parties"] if p["party_code"] == third)
    assert (drafted["state"], drafted["answers"]) == ("draft", {})
    assert view["summaries"][1]["counts"] == {"Gemensam": 1, "Lokal": 0}
    own = await client.get(f"{url}/{third}", headers=bearer(clerks[third]))
    assert own.json()["answers"] == {"q1": False, "q2": None}
    # a clerk cannot answer for another party, nor the secretariat for one
    refused = await client.put(f"{url}/{third}", headers=bearer(clerks[first]), json={"state": "declined"})
    assert refused.status_code == 403
    refused = await client.put(f"{url}/{third}", headers=bearer(secretariat), json={"state": "declined"})
    assert refused.status_code == 403
    # a submission with an open question comes back with its field
    bad = await client.put(
        f"{url}/{third}", headers=bearer(clerks[third]), json={"state": "submitted", "answers": {"q1": "nej"}}
    )
    assert bad.status_code == 422
    assert "Besvara fråga 2" in bad.json()["detail"]

    # the sweep a week ahead e-mails only the 11 parties that have not answered
    result = await sweep(reply_by - timedelta(days=7))
    rows = await Delivery.select(Delivery.recipient, Delivery.kind, Delivery.party_code).where(
        (Delivery.agreement == made.agreement_id) & Delivery.id.is_in(result.deadline_deliveries or [0])
    )
    assert {r["kind"] for r in rows} == {"round_reply"}
    not_answered = set(codes) - {first, second}
    assert len(not_answered) == 11
    assert {r["party_code"] for r in rows} == not_answered
    # each party's registrator, and the clerk who only saved a draft (clerks follow their party)
    expected = {made.address(f"registrator{c}") for c in not_answered} | {clerks[third].email}
    assert {r["recipient"] for r in rows} == expected

    # closing records the remiss step as done, and no deadline of the round is left
    closed = await client.post(
        f"/api/rounds/{round_['id']}/close", headers=bearer(secretariat), json={"compilation": "Två svar."}
    )
    assert closed.status_code == 200, closed.text
    step = await ProcessStep.select().where(ProcessStep.id == round_["process_step_id"]).first()
    assert step["completed_on"] == today()
    live = await StoredDeadline.select(StoredDeadline.key).where(
        (StoredDeadline.agreement == made.agreement_id) & (StoredDeadline.cancelled == False)  # noqa: E712
    )
    assert [d["key"] for d in live] == []
    late = await client.put(f"{url}/{third}", headers=bearer(clerks[third]), json={"state": "declined"})
    assert late.status_code == 409
    assert "stängdes" in late.json()["detail"]


async def test_bad_input_gets_a_swedish_4xx(client, orebro):
    made, _ = orebro
    body = {"agreement_id": made.agreement_id, "kind": "enkat", "title": "Enkät", "reply_by": "2020-01-01"}
    r = await client.post("/api/rounds", json=body)
    assert r.status_code == 422 and "Sista svarsdag kan inte vara före" in r.json()["detail"]
    r = await client.post("/api/rounds", json={**body, "kind": "hemligt", "reply_by": "2099-01-01"})
    assert r.status_code == 422 and "Okänd typ av runda" in r.json()["detail"]
    r = await client.post("/api/rounds", json={**body, "reply_by": "2099-01-01", "parties": ["1401"]})
    assert r.status_code == 422 and "inte parter i överenskommelsen" in r.json()["detail"]
    r = await client.get("/api/rounds/999999")
    assert r.status_code == 404


async def test_the_rounds_api_is_in_the_openapi_document(client):
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    assert {
        "/api/rounds",
        "/api/rounds/{round_id}",
        "/api/rounds/{round_id}/close",
        "/api/rounds/{round_id}/answers/{party_code}",
    } <= set(paths)
    assert set(paths["/api/rounds/{round_id}/answers/{party_code}"]) == {"get", "put"}
