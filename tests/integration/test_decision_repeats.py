"""A party's decisions as they are really taken: a referral back that cannot be appealed, and a
repeat final decision that must say whether it corrects the one that counts or is a new one."""

from __future__ import annotations

from datetime import date

import pytest

from core.clock import freeze
from tests.agreements import HARRYDA_ADOPTS, create_agreement, decide, recommend

TODAY = date(2026, 11, 23)
REFERRAL = {
    "body": "Kommunfullmäktige",
    "meeting_date": "2022-04-25",
    "outcome": "referred_back",
    "paragraph": "§ 50",
    "justering_date": "2022-04-28",
    "anslag_date": "2022-04-29",
}


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


async def _recommended(client) -> int:
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    return agreement["id"]


async def test_a_referral_back_has_no_appeal_day_and_is_never_final(client):
    agreement_id = await _recommended(client)
    referral = await decide(client, agreement_id, "1401", REFERRAL)

    assert (referral["last_appeal_day"], referral["legally_final_on"]) == (None, None)
    assert referral["legal_state"] == "not_appealable"
    deadlines = (
        await client.get("/api/deadlines", params={"agreement": agreement_id, "kind": "legally_final"})
    ).json()
    assert deadlines["items"] == []
    page = (await client.get(f"/agreements/{agreement_id}")).text
    row = page.split('<tr data-party="1401">')[1].split("</tr>")[0]
    assert "Kan inte överklagas" in row and "Laga kraft" not in row


async def test_the_page_shows_the_last_appeal_day_while_appealable_and_the_final_date_once_final(client):
    agreement_id = await _recommended(client)
    await decide(client, agreement_id, "1401", HARRYDA_ADOPTS)
    with freeze(date(2022, 6, 10)):  # anslag 2022-05-30: last appeal day Monday 2022-06-20
        row = (await client.get(f"/agreements/{agreement_id}")).text.split('<tr data-party="1401">')[1]
        assert (
            'Kan överklagas<br><span class="meta nowrap">t.o.m. 20 juni 2022</span>' in row.split("</tr>")[0]
        )
    row = (await client.get(f"/agreements/{agreement_id}")).text.split('<tr data-party="1401">')[1]
    assert 'Laga kraft<br><span class="meta nowrap">från 21 juni 2022</span>' in row.split("</tr>")[0]


async def test_a_repeat_adoption_is_refused_naming_the_decision_that_counts(client):
    # given Härryda's adoption, legally final since 2022-06-21
    agreement_id = await _recommended(client)
    first = await decide(client, agreement_id, "1401", HARRYDA_ADOPTS)
    again = {
        **HARRYDA_ADOPTS,
        "meeting_date": "2022-09-26",
        "paragraph": "§ 99",
        "justering_date": None,
        "anslag_date": None,
    }

    # when the same adoption is logged again without saying what it is
    response = await client.post(f"/api/agreements/{agreement_id}/parties/1401/decisions", json=again)

    # then it is refused and nothing changed
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Härryda (1401) har redan antagit överenskommelsen (Kommunfullmäktige, 23 maj 2022, § 77, "
        f"laga kraft 21 juni 2022; beslut {first['id']}). Ett nytt beslut ersätter det och räknar om laga "
        f"kraft och ikraftträdande. Ange om det rättar beslut {first['id']} eller är ett nytt beslut."
    )
    assert response.json()["invalid-params"][0]["name"] == "replaces"
    decisions = (
        await client.get(f"/api/agreements/{agreement_id}/decisions", params={"party": "1401"})
    ).json()
    assert [d["id"] for d in decisions] == [first["id"]]
    harryda = next(
        p
        for p in (await client.get(f"/api/agreements/{agreement_id}/adoption")).json()["parties"]
        if p["party_code"] == "1401"
    )
    assert (harryda["status"], harryda["legally_final_on"]) == ("adopted", "2022-06-21")


async def test_replaces_corrects_the_decision_in_place_and_confirm_new_adds_one(client):
    agreement_id = await _recommended(client)
    first = await decide(client, agreement_id, "1401", HARRYDA_ADOPTS)

    corrected = await decide(
        client, agreement_id, "1401", {**HARRYDA_ADOPTS, "paragraph": "§ 78", "replaces": first["id"]}
    )
    assert corrected["id"] == first["id"] and corrected["paragraph"] == "§ 78"

    new = await decide(
        client,
        agreement_id,
        "1401",
        {
            **HARRYDA_ADOPTS,
            "meeting_date": "2022-09-26",
            "paragraph": "§ 99",
            "justering_date": "2022-09-29",
            "anslag_date": "2022-09-30",
            "confirm_new": True,
        },
    )
    decisions = (
        await client.get(f"/api/agreements/{agreement_id}/decisions", params={"party": "1401"})
    ).json()
    assert [(d["id"], d["paragraph"]) for d in decisions] == [(first["id"], "§ 78"), (new["id"], "§ 99")]


async def test_replaces_naming_another_partys_decision_is_refused(client):
    agreement_id = await _recommended(client)
    other = await decide(client, agreement_id, "1402", HARRYDA_ADOPTS)
    response = await client.post(
        f"/api/agreements/{agreement_id}/parties/1401/decisions",
        json={**HARRYDA_ADOPTS, "replaces": other["id"]},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        f"Beslut {other['id']} är inte ett beslut av Härryda (1401) om den här överenskommelsen."
    )


async def test_the_form_asks_whether_a_repeat_corrects_the_decision_or_is_a_new_one(client):
    agreement_id = await _recommended(client)
    first = await decide(client, agreement_id, "1401", HARRYDA_ADOPTS)
    typed = {
        **HARRYDA_ADOPTS,
        "party_code": "1401",
        "meeting_date": "2022-09-26",
        "paragraph": "§ 99",
        "justering_date": "",
        "anslag_date": "",
    }

    # the first try comes back with the question and everything typed kept
    asked = await client.post(f"/agreements/{agreement_id}/decisions", data=typed)
    assert asked.status_code == 409
    assert f'name="existing_decision" value="{first["id"]}"' in asked.text
    assert 'id="decision-repeat"' in asked.text and 'value="§ 99"' in asked.text
    assert "Härryda (1401) har redan antagit överenskommelsen" in asked.text

    # sent again without an answer, it asks again
    unanswered = await client.post(
        f"/agreements/{agreement_id}/decisions", data={**typed, "existing_decision": str(first["id"])}
    )
    assert unanswered.status_code == 422
    assert "Välj om beslutet rättar det tidigare beslutet eller är ett nytt beslut." in unanswered.text

    # answered "a new decision", it is saved beside the first
    saved = await client.post(
        f"/agreements/{agreement_id}/decisions",
        data={**typed, "existing_decision": str(first["id"]), "repeat": "new"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    decisions = (
        await client.get(f"/api/agreements/{agreement_id}/decisions", params={"party": "1401"})
    ).json()
    assert [d["paragraph"] for d in decisions] == ["§ 77", "§ 99"]
