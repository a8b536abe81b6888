"""Preparatory decisions through the API and the page (seed 003: in Härryda välfärdsnämnden
prepares the case and kommunstyrelsen proposes that kommunfullmäktige decide as the nämnd
proposed): shown in the party's row and the forecast, never counted as the party's decision."""

from __future__ import annotations

from datetime import date

import pytest

from core.clock import freeze
from tests.agreements import HARRYDA_ADOPTS, create_agreement, decide, recommend, unique

TODAY = date(2026, 11, 23)
WELFARE = {
    "body": "Välfärdsnämnden",
    "meeting_date": "2022-05-04",
    "paragraph": "52",
    "case_number": "2022VFN175 779",
    "proposal": "Välfärdsnämnden föreslår att kommunfullmäktige antar hälso- och sjukvårdsavtalet.",
}
BOARD = {
    "body": "Kommunstyrelsen",
    "meeting_date": "2022-05-16",
    "paragraph": "§ 80",
    "case_number": "2022VFN175 779",
    "proposal": "Kommunstyrelsen föreslår att kommunfullmäktige beslutar enligt välfärdsnämndens förslag.",
}


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


async def _propose(client, agreement_id: int, party: str, proposal: dict):
    return await client.post(f"/api/agreements/{agreement_id}/parties/{party}/proposals", json=proposal)


async def _recommended(client) -> int:
    agreement = await create_agreement(client, party_codes=["1401", "1480", "1489"])
    await recommend(client, agreement["id"])
    return agreement["id"]


def _row(overview: dict, code: str) -> dict:
    return next(p for p in overview["parties"] if p["party_code"] == code)


async def test_a_partys_proposals_show_in_its_row_and_never_count_as_its_decision(client):
    agreement_id = await _recommended(client)
    first = await _propose(client, agreement_id, "1401", WELFARE)
    assert first.status_code == 201, first.text
    assert (first.json()["paragraph"], first.json()["party_name"]) == ("§ 52", "Härryda")
    assert (await _propose(client, agreement_id, "1401", BOARD)).status_code == 201

    overview = (await client.get(f"/api/agreements/{agreement_id}/adoption")).json()
    row = _row(overview, "1401")
    assert (row["status"], row["decided_on"], row["legally_final_on"], row["decision"]) == (
        "pending",
        None,
        None,
        None,
    )
    assert [(p["body"], p["meeting_date"], p["paragraph"]) for p in row["proposals"]] == [
        ("Välfärdsnämnden", "2022-05-04", "§ 52"),
        ("Kommunstyrelsen", "2022-05-16", "§ 80"),
    ]
    assert overview["counts"]["pending"] == 3 and overview["entry"]["waiting_for"] == ["1401", "1480", "1489"]
    assert overview["forecast"]["in_preparation"] == ["1401"]
    assert (await client.get(f"/api/agreements/{agreement_id}/decisions")).json() == []
    deadlines = (
        await client.get("/api/deadlines", params={"agreement": agreement_id, "party": "1401"})
    ).json()
    # still asked to decide by its decide-by date; no legally-final date
    assert [d["kind"] for d in deadlines["items"] if d["party_code"] == "1401"] == ["decision_due"]
    listed = (await client.get(f"/api/agreements/{agreement_id}/proposals", params={"party": "1401"})).json()
    assert [p["body"] for p in listed] == ["Välfärdsnämnden", "Kommunstyrelsen"]
    # as of a day before the board met, only the nämnd's proposal is there
    earlier = (
        await client.get(f"/api/agreements/{agreement_id}/adoption", params={"as_of": "2022-05-10"})
    ).json()
    assert [p["body"] for p in _row(earlier, "1401")["proposals"]] == ["Välfärdsnämnden"]

    # when the council adopts, the party is decided and no longer in preparation
    await decide(client, agreement_id, "1401", {**HARRYDA_ADOPTS, "meeting_date": "2022-05-23"})
    after = (await client.get(f"/api/agreements/{agreement_id}/adoption")).json()
    assert _row(after, "1401")["status"] == "adopted"
    assert len(_row(after, "1401")["proposals"]) == 2
    assert after["forecast"]["in_preparation"] == []


async def test_a_proposal_that_cannot_be_one_is_refused(client):
    agreement_id = await _recommended(client)
    council = await _propose(client, agreement_id, "1401", {**BOARD, "body": "Kommunfullmäktige"})
    assert council.status_code == 422
    assert council.json()["detail"] == (
        "Kommunfullmäktige fattar partens beslut och lämnar inget förslag. Logga det som ett beslut."
    )
    future = await _propose(client, agreement_id, "1401", {**BOARD, "meeting_date": "2026-12-01"})
    assert future.status_code == 422
    assert future.json()["invalid-params"][0]["name"] == "meeting_date"
    bad_paragraph = await _propose(client, agreement_id, "1401", {**BOARD, "paragraph": "femtio"})
    assert bad_paragraph.status_code == 422
    outsider = await _propose(client, agreement_id, "0180", BOARD)
    assert outsider.status_code == 422
    assert outsider.json()["detail"] == "Stockholm (0180) är inte part i den här överenskommelsen."
    assert (await _propose(client, agreement_id, "1401", BOARD)).status_code == 201
    again = await _propose(client, agreement_id, "1401", BOARD)
    assert again.status_code == 409
    assert again.json()["detail"] == (
        "Kommunstyrelsen i Härryda (1401) har redan ett förslag från 16 maj 2022 om den här överenskommelsen."
    )
    guideline = (
        await client.post(
            "/api/agreements",
            json={"structure": "vastra-gotaland", "kind": "riktlinje", "title": unique("Riktlinje")},
        )
    ).json()
    refused = await _propose(client, guideline["id"], "1401", BOARD)
    assert refused.status_code == 409


def _party_row(html: str, code: str) -> str:
    return html.split(f'<tr data-party="{code}">')[1].split("</tr>")[0]


async def test_the_page_records_a_proposal_and_shows_it_in_the_row_the_forecast_and_the_history(client):
    agreement_id = await _recommended(client)
    planned = {"body": "Kommunfullmäktige", "meeting_date": "2026-12-14", "outcome": "planned"}
    for code in ("1401", "1480", "1489"):
        await decide(client, agreement_id, code, planned)

    response = await client.post(
        f"/agreements/{agreement_id}/proposals",
        data={"party_code": "1401", **BOARD},
        follow_redirects=False,
    )

    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/agreements/{agreement_id}?sparat=forslag#antagande"
    html = (await client.get(response.headers["location"])).text
    assert "Förslaget är registrerat. Det räknas inte som partens beslut." in html
    row = _party_row(html, "1401")
    assert "Ej beslutat" in row and "Förslag: Kommunstyrelsen 16 maj 2022, § 80" in row
    forecast = html.split('id="prognos"')[1].split("</p>")[0]
    assert "Under beredning (förslag finns, beslut väntar): Härryda (1401)." in forecast
    history = html.split('id="historik"')[1].split("</section>")[0]
    assert (
        "<td>Härryda (1401)</td><td>Registrerade förslag (beredning): Kommunstyrelsen 16 maj 2022, § 80</td>"
        in history
    )


async def test_a_proposal_the_form_cannot_save_comes_back_with_the_error_beside_its_field(client):
    agreement_id = await _recommended(client)
    response = await client.post(
        f"/agreements/{agreement_id}/proposals",
        data={"party_code": "1401", **BOARD, "body": "Kommunfullmäktige"},
    )
    assert response.status_code == 422
    assert 'id="proposal-body-error"' in response.text
    assert 'value="Kommunfullmäktige"' in response.text


def _proposal_url(agreement_id: int, party: str, proposal_id: int) -> str:
    return f"/api/agreements/{agreement_id}/parties/{party}/proposals/{proposal_id}"


async def test_a_proposal_is_corrected_in_place_and_the_history_says_what_changed(client):
    agreement_id = await _recommended(client)
    board = (await _propose(client, agreement_id, "1401", {**BOARD, "paragraph": "§ 81"})).json()
    # when the clerk corrects the paragraph (the minutes say § 80) and the proposal's words
    response = await client.patch(
        _proposal_url(agreement_id, "1401", board["id"]),
        json={"paragraph": "80", "proposal": " Kommunstyrelsen föreslår att fullmäktige antar avtalet. "},
    )
    # then the same proposal holds the corrected fields, tidied as a new one would be
    assert response.status_code == 200, response.text
    corrected = response.json()
    assert (corrected["id"], corrected["paragraph"], corrected["proposal"], corrected["body"]) == (
        board["id"],
        "§ 80",
        "Kommunstyrelsen föreslår att fullmäktige antar avtalet.",
        "Kommunstyrelsen",
    )
    listed = (await client.get(f"/api/agreements/{agreement_id}/proposals", params={"party": "1401"})).json()
    assert [(p["id"], p["paragraph"]) for p in listed] == [(board["id"], "§ 80")]
    # and the history names the party, the body and the meeting, and what changed
    (event,) = [
        e
        for e in (await client.get(f"/api/agreements/{agreement_id}/history")).json()
        if e["entity"] == "preparatory_decision" and e["action"] == "update"
    ]
    assert event["before"]["paragraph"] == "§ 81" and event["after"]["paragraph"] == "§ 80"
    assert (event["after"]["party_code"], event["after"]["body"], event["after"]["meeting_date"]) == (
        "1401",
        "Kommunstyrelsen",
        "2022-05-16",
    )
    assert "case_number" not in event["after"]  # unchanged
    page = (await client.get(f"/agreements/{agreement_id}")).text
    history = page.split('id="historik"')[1].split("</section>")[0]
    assert (
        "<td>Härryda (1401)</td><td>Ändrade förslag (beredning): Kommunstyrelsen 16 maj 2022, § 80</td>"
        in history
    )


async def test_a_correction_that_cannot_be_is_refused(client):
    agreement_id = await _recommended(client)
    welfare = (await _propose(client, agreement_id, "1401", WELFARE)).json()
    await _propose(client, agreement_id, "1401", BOARD)
    url = _proposal_url(agreement_id, "1401", welfare["id"])
    council = await client.patch(url, json={"body": "Kommunfullmäktige"})
    assert (council.status_code, council.json()["detail"]) == (
        422,
        "Kommunfullmäktige fattar partens beslut och lämnar inget förslag. Logga det som ett beslut.",
    )
    future = await client.patch(url, json={"meeting_date": "2026-12-01"})
    assert (future.status_code, future.json()["invalid-params"][0]["name"]) == (422, "meeting_date")
    # the same body and meeting as the board's proposal: there is one already
    clash = await client.patch(url, json={"body": "Kommunstyrelsen", "meeting_date": "2022-05-16"})
    assert (clash.status_code, clash.json()["detail"]) == (
        409,
        "Kommunstyrelsen i Härryda (1401) har redan ett förslag från 16 maj 2022 "
        "om den här överenskommelsen.",
    )
    nothing = await client.patch(url, json={})
    assert (nothing.status_code, nothing.json()["detail"]) == (422, "Ange minst ett fält att rätta.")
    # another party's proposal, or one of another agreement, is not found under this one
    other = await client.patch(_proposal_url(agreement_id, "1480", welfare["id"]), json={"paragraph": "1"})
    assert (other.status_code, other.json()["detail"]) == (
        404,
        f"Göteborg (1480) har inget förslag med id {welfare['id']} om den här överenskommelsen.",
    )
    elsewhere = await _recommended(client)
    moved = await client.patch(_proposal_url(elsewhere, "1401", welfare["id"]), json={"paragraph": "1"})
    assert moved.status_code == 404
    # and nothing changed
    kept = (await client.get(f"/api/agreements/{agreement_id}/proposals", params={"party": "1401"})).json()
    assert [(p["body"], p["meeting_date"], p["paragraph"]) for p in kept] == [
        ("Välfärdsnämnden", "2022-05-04", "§ 52"),
        ("Kommunstyrelsen", "2022-05-16", "§ 80"),
    ]


async def test_the_party_page_lists_its_proposals_and_corrects_one(client):
    agreement_id = await _recommended(client)
    board = (await _propose(client, agreement_id, "1401", {**BOARD, "paragraph": "§ 81"})).json()
    html = (await client.get("/parties/1401")).text
    # the party page lists the proposal with its agreement, body, meeting and paragraph
    section = html.split('<h2 id="forslag">')[1].split("</section>")[0]
    row = section.split(f'<tr data-proposal="{board["id"]}">')[1].split("</tr>")[0]
    assert "<td>Kommunstyrelsen</td>" in row and "16 maj 2022" in row and "§ 81" in row
    assert f'action="/parties/1401/proposals/{board["id"]}#forslag-{board["id"]}"' in section
    assert f'id="proposal-{board["id"]}-paragraph" name="paragraph" type="text" value="§ 81"' in section

    # when the clerk corrects the paragraph in the form
    form = {"agreement_id": str(agreement_id), **BOARD, "paragraph": "§ 80"}
    response = await client.post(f"/parties/1401/proposals/{board['id']}", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/parties/1401?sparat=forslag-rattat#forslag-{board['id']}"
    html = (await client.get(response.headers["location"])).text
    assert "Förslaget är rättat." in html
    row = html.split(f'<tr data-proposal="{board["id"]}">')[1].split("</tr>")[0]
    assert "§ 80" in row and "§ 81" not in row

    # and a correction the rules refuse comes back open, with the error beside its field
    refused = await client.post(
        f"/parties/1401/proposals/{board['id']}", data={**form, "body": "Kommunfullmäktige"}
    )
    assert refused.status_code == 422
    assert f'<details id="forslag-{board["id"]}" open>' in refused.text
    assert f'id="proposal-{board["id"]}-body-error"' in refused.text
