"""A follow-up round shows the agreement's samverkansbrister of the twelve months it follows up, on
its page and in its API answer, counted as the agreement's analysis counts them."""

from __future__ import annotations

from datetime import timedelta

from cases.rules.analysis import follow_up_period
from cases.tables import FailureReport
from core.clock import today
from tests.agreements import create_agreement, recommend
from tests.integration.cases.test_cases import _report


async def test_a_follow_up_round_counts_the_samverkansbrister_of_its_period(client, anonymous_client):
    made = await create_agreement(client)
    await recommend(client, made["id"])
    reply_by = today() + timedelta(days=20)
    start, end = follow_up_period(reply_by)
    # given four reports: two in the period (one on its last day), one the day before it, one of
    # another category in it, closed
    sip, discharge = "Samordnad individuell plan (SIP)", "Utskrivning från sluten vård"
    received = {sip: [end, end - timedelta(days=30), start - timedelta(days=1)], discharge: [start]}
    for category, days in received.items():
        for day in days:
            answer = await _report(anonymous_client, made["id"], category=category)
            assert answer.status_code == 201, answer.text
            case_id = answer.json()["id"]
            await FailureReport.update({FailureReport.received_on: day}).where(FailureReport.id == case_id)
    base = f"/api/agreements/{made['id']}/cases/{case_id}"
    assert (await client.post(f"{base}/take")).status_code == 200
    closed = await client.post(f"{base}/close", json={"conclusion": "Klart.", "measure": "none"})
    assert closed.status_code == 200
    # when a follow-up round and a survey are opened
    body = {"agreement_id": made["id"], "reply_by": reply_by.isoformat()}
    follow_up = await client.post("/api/rounds", json={**body, "kind": "uppfoljning", "title": "Uppföljning"})
    survey = await client.post("/api/rounds", json={**body, "kind": "enkat", "title": "Enkät"})
    assert (follow_up.status_code, survey.status_code) == (201, 201)
    # then the follow-up's API answer counts the three of its period, as the analysis does
    shown = (await anonymous_client.get(f"/api/rounds/{follow_up.json()['id']}")).json()["samverkansbrister"]
    assert (shown["period_from"], shown["period_to"]) == (start.isoformat(), end.isoformat())
    total = shown["analysis"]["total"]
    assert (total["total"], total["open"], total["closed"]) == (3, 2, 1)
    by_category = [(g["label"], g["total"]) for g in shown["analysis"]["by_category"]]
    assert by_category == [(sip, 2), (discharge, 1)]
    whole = (await anonymous_client.get(f"/api/agreements/{made['id']}/cases/analysis")).json()
    assert whole["total"]["total"] == 4  # the whole analysis has the one before the period too
    assert shown["analysis_url"] == f"/agreements/{made['id']}/samverkansbrister/analys"
    # and a survey has none
    assert (await anonymous_client.get(f"/api/rounds/{survey.json()['id']}")).json()[
        "samverkansbrister"
    ] is None
    # and the follow-up's page shows them, the survey's page not
    page = (await anonymous_client.get(f"/rounds/{follow_up.json()['id']}")).text
    assert "Samverkansbrister under perioden" in page
    assert '<table id="brister-kategori">' in page
    assert f'<th scope="row">{sip}</th><td class="num">2</td>' in page
    assert "<strong>3</strong>, 2 öppna, 1 avslutad" in page
    assert (
        "Samverkansbrister under perioden"
        not in (await anonymous_client.get(f"/rounds/{survey.json()['id']}")).text
    )
