"""The web pages: what each shows, in Swedish, for whom; the forms, their errors and redirects."""

from __future__ import annotations

import re

from tests.agreements import HARRYDA_ADOPTS, create_agreement, decide, recommend, unique


async def test_the_start_page_lists_agreements_by_state_the_overdue_parties_and_the_next_dates(client):
    # given a recommended agreement whose decision deadline has passed, one party adopted
    agreement = await create_agreement(client, title=unique("Startsideavtal"), decision_due="2026-10-01")
    await recommend(client, agreement["id"])
    await decide(client, agreement["id"], "1401", HARRYDA_ADOPTS)
    # when
    response = await client.get("/")
    # then
    html = response.text
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert agreement["title"] in html
    overdue = html.split(f'<tr data-agreement="{agreement["id"]}">')[1].split("</tr>")[0]
    assert "1 oktober 2026" in overdue and "49 parter" in overdue and "Partille" in overdue
    assert "Härryda" not in overdue  # it has decided
    assert "Närmaste datum" in html


async def test_the_agreement_page_shows_facts_process_adoption_term_and_calendar_links(client):
    agreement = await create_agreement(client, title=unique("Hälso- och sjukvårdsavtal"))
    await recommend(client, agreement["id"])
    await decide(client, agreement["id"], "1401", HARRYDA_ADOPTS)
    response = await client.get(f"/agreements/{agreement['id']}")
    html = response.text
    assert response.status_code == 200
    row = _party_row(html, "1401")
    assert "Antagen" in row and "§ 77" in row and "KS 2022/123" in row and "23 maj 2022" in row
    assert "Laga kraft" in row and "21 juni 2022" in row
    assert "Ej beslutat" in _party_row(html, "1402")
    assert "SRO rekommenderar parterna att anta" in html  # the timeline, in the template's words
    assert html.count('role="img"') == 2  # the adoption curve and the process timeline
    assert '<title id="curve-t">Antagandekurva</title>' in html
    assert f'href="webcal://testserver.local/feeds/agreements/{agreement["id"]}.ics?token=' in html
    assert f'href="http://testserver.local/feeds/agreements/{agreement["id"]}.ics?token=' in html
    feed = re.search(r'href="http://testserver.local(/feeds/agreements/[^"]+)"', html).group(1)
    calendar = await client.get(feed.replace("&amp;", "&"))
    assert calendar.status_code == 200 and "BEGIN:VCALENDAR" in calendar.text
    assert "29 december 2029" not in html and "31 december 2029" in html  # extended term
    history = html.split('id="historik"')[1].split("</section>")[0]
    assert (
        "<td>Härryda (1401)</td><td>Registrerade beslut: Antagen, Kommunfullmäktige 23 maj 2022, § 77</td>"
        in history
    )
    assert "<td>Alla parter</td><td>Registrerade processteg: " in history
    assert "system:" not in history and "party_decision" not in history


async def test_a_reader_without_sign_in_sees_no_forms(anonymous_client, client):
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    for path in (f"/agreements/{agreement['id']}", "/parties/1401"):
        response = await anonymous_client.get(path)
        assert response.status_code == 200
        assert 'method="post"' not in response.text
        assert "Logga in" in response.text


async def test_an_administrator_gets_the_decision_step_and_notice_forms(client):
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    html = (await client.get(f"/agreements/{agreement['id']}")).text
    assert f'action="/agreements/{agreement["id"]}/decisions#antagande"' in html
    assert f'action="/agreements/{agreement["id"]}/notices#giltighet"' in html
    step_form = html.split(f'action="/agreements/{agreement["id"]}/steps#process"')[1].split("</form>")[0]
    # only the steps the template allows after the recommendation
    assert re.findall(r'<option value="([a-z_]+)"', step_form) == ["vastkom", "revidering", "avbruten"]


async def test_a_decision_logged_in_the_form_redirects_back_and_shows_in_the_adoption_table(client):
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    response = await client.post(
        f"/agreements/{agreement['id']}/decisions",
        data={"party_code": "1402", **{k: v for k, v in HARRYDA_ADOPTS.items()}, "paragraph": "§ 12"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/agreements/{agreement['id']}?sparat=beslut#antagande"
    page = (await client.get(response.headers["location"])).text
    assert "Beslutet är sparat." in page
    assert "Antagen" in _party_row(page, "1402") and "§ 12" in _party_row(page, "1402")


async def test_a_form_with_a_mistyped_date_comes_back_with_the_error_beside_the_field_and_nothing_lost(
    client,
):
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    typed = {**HARRYDA_ADOPTS, "party_code": "1401", "meeting_date": "23 maj", "case_number": "KS 2022/999"}
    response = await client.post(f"/agreements/{agreement['id']}/decisions", data=typed)
    html = response.text
    assert response.status_code == 422
    assert 'id="decision-meeting_date-error"' in html
    assert 'aria-describedby="decision-meeting_date-error"' in html
    assert "ska vara ett datum som 2026-11-23" in html
    assert 'value="23 maj"' in html and 'value="KS 2022/999"' in html and 'value="§ 77"' in html
    assert '<option value="1401" selected>' in html


async def test_a_rule_broken_in_the_form_shows_the_rules_message_beside_its_field(client):
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    # the minutes cannot be approved before the meeting
    typed = {**HARRYDA_ADOPTS, "party_code": "1401", "justering_date": "2022-05-01"}
    response = await client.post(f"/agreements/{agreement['id']}/decisions", data=typed)
    assert response.status_code == 422
    assert 'id="decision-justering_date-error"' in response.text
    assert 'value="2022-05-01"' in response.text


async def test_a_step_out_of_turn_is_refused_beside_the_step_field(client):
    agreement = await create_agreement(client)
    response = await client.post(
        f"/agreements/{agreement['id']}/steps", data={"step": "rekommendation_sro", "taken_on": "2021-04-01"}
    )
    assert response.status_code == 409
    assert 'id="step-step-error"' in response.text
    assert 'value="2021-04-01"' in response.text


async def test_a_secretariat_records_a_step_in_the_form(client):
    agreement = await create_agreement(client)
    response = await client.post(
        f"/agreements/{agreement['id']}/steps",
        data={"step": "uppdrag", "taken_on": "2021-03-01", "body": "SRO", "note": "Start"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = (await client.get(response.headers["location"])).text
    assert "Processteget är registrerat." in page
    assert "1 mars 2021" in page


async def test_the_party_page_says_what_to_decide_by_when_with_its_calendar_and_form(client):
    agreement = await create_agreement(client, title=unique("Partisidans avtal"), decision_due="2027-03-31")
    await recommend(client, agreement["id"])
    html = (await client.get("/parties/1415")).text
    assert "<h1>Stenungsund</h1>" in html
    assert agreement["title"] in html and "31 mars 2027" in html
    assert 'href="webcal://testserver.local/feeds/parties/1415.ics?token=' in html
    response = await client.post(
        "/parties/1415/decisions",
        data={**HARRYDA_ADOPTS, "agreement_id": str(agreement["id"])},
        follow_redirects=False,
    )
    assert response.status_code == 303
    overview = (await client.get(f"/api/agreements/{agreement['id']}/adoption")).json()
    assert next(p for p in overview["parties"] if p["party_code"] == "1415")["status"] == "adopted"


async def test_the_party_form_keeps_what_was_typed_when_no_agreement_is_chosen(client):
    response = await client.post("/parties/1415/decisions", data={**HARRYDA_ADOPTS, "agreement_id": ""})
    assert response.status_code == 422
    assert 'id="decision-agreement_id-error"' in response.text
    assert 'value="KS 2022/123"' in response.text


async def test_a_page_that_does_not_exist_is_an_html_page(client):
    response = await client.get("/agreements/999999999")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Det finns ingen överenskommelse med id 999999999." in response.text


async def test_the_sign_in_page_signs_in_and_a_wrong_password_is_said_beside_the_form(
    anonymous_client, make_user
):
    user = await make_user("clerk", party="1401", password="ett-långt-lösenord-1")
    page = await anonymous_client.get("/login?next=/parties/1401")
    assert page.status_code == 200 and 'autocomplete="current-password"' in page.text
    token = anonymous_client.cookies.get("samverkan_csrf")
    wrong = await anonymous_client.post(
        "/login", data={"email": user.email, "password": "fel", "next": "/parties/1401", "_csrf_token": token}
    )
    assert wrong.status_code == 401 and "Fel e-postadress eller lösenord." in wrong.text
    assert f'value="{user.email}"' in wrong.text
    ok = await anonymous_client.post(
        "/login",
        data={
            "email": user.email,
            "password": "ett-långt-lösenord-1",
            "next": "/parties/1401",
            "_csrf_token": token,
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/parties/1401"
    assert "Inloggad som" in (await anonymous_client.get("/parties/1401")).text


def _party_row(html: str, code: str) -> str:
    return html.split(f'<tr data-party="{code}">')[1].split("</tr>")[0]
