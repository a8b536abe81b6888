"""The forecast of entry into force on the adoption overview and the agreement page."""

from __future__ import annotations

from datetime import date

import pytest

from core.clock import freeze
from tests.agreements import HARRYDA_ADOPTS, create_agreement, decide, recommend

TODAY = date(2026, 11, 23)
PLANNED = {"body": "Kommunfullmäktige", "meeting_date": "2027-04-19", "outcome": "planned"}


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


async def test_a_forecast_appears_from_the_planned_meetings_with_the_party_that_holds_it_back(client):
    agreement = await create_agreement(
        client, party_codes=["1401", "1402", "1407"], entry_rule="when_all_final"
    )
    await recommend(client, agreement["id"])
    await decide(client, agreement["id"], "1401", HARRYDA_ADOPTS)
    await decide(client, agreement["id"], "1402", PLANNED)
    url = f"/api/agreements/{agreement['id']}/adoption"

    # Öckerö (1407) has no meeting planned: no date yet, and it is named
    forecast = (await client.get(url)).json()["forecast"]
    assert forecast == {
        "in_force_from": None,
        "holding_back": [],
        "without_plan": ["1407"],
        "blocked_by": [],
        "in_preparation": [],
    }

    # once it plans one, earlier than Partille's: Partille's meeting 2027-04-19 sets the date
    await decide(client, agreement["id"], "1407", {**PLANNED, "meeting_date": "2027-03-08"})
    forecast = (await client.get(url)).json()["forecast"]
    assert forecast == {
        "in_force_from": "2027-05-27",
        "holding_back": ["1402"],
        "without_plan": [],
        "blocked_by": [],
        "in_preparation": [],
    }
    page = (await client.get(f"/agreements/{agreement['id']}")).text
    line = " ".join(page.split('id="prognos">')[1].split("</p>")[0].split())
    assert line == (
        "<strong>Prognos:</strong> i kraft tidigast 27 maj 2027 om alla beslutar som planerat. "
        "Det avgörs av Partille (1402)."
    )


async def test_no_forecast_once_every_decision_is_final(client):
    agreement = await create_agreement(client, party_codes=["1401", "1402"], entry_rule="when_all_final")
    await recommend(client, agreement["id"])
    await decide(client, agreement["id"], "1401", HARRYDA_ADOPTS)
    await decide(client, agreement["id"], "1402", HARRYDA_ADOPTS)
    assert (await client.get(f"/api/agreements/{agreement['id']}/adoption")).json()["forecast"] is None


async def test_entry_after_two_of_three_adoptions_plus_thirty_days_through_the_api(client):
    agreement = await create_agreement(
        client,
        party_codes=["1401", "1402", "1407"],
        entry_rule="after_n_adoptions",
        entry_count=2,
        entry_offset_days=30,
        entry_fixed_date=None,
    )
    assert (agreement["entry_count"], agreement["entry_offset_days"]) == (2, 30)
    await recommend(client, agreement["id"])
    await decide(client, agreement["id"], "1401", HARRYDA_ADOPTS)  # final 2022-06-21
    url = f"/api/agreements/{agreement['id']}/adoption"
    assert (await client.get(url)).json()["entry"]["agreement_from"] is None

    await decide(
        client, agreement["id"], "1402", {**HARRYDA_ADOPTS, "anslag_date": "2022-06-03"}
    )  # 2022-06-28
    overview = (await client.get(url)).json()
    assert overview["entry"]["agreement_from"] == "2022-07-28"
    rows = {p["party_code"]: p["in_force_from"] for p in overview["parties"]}
    assert rows == {"1401": "2022-07-28", "1402": "2022-07-28", "1407": None}


async def test_after_n_without_a_count_or_with_too_many_is_refused(client):
    response = await client.post(
        "/api/agreements",
        json={
            "structure": "vastra-gotaland",
            "kind": "overenskommelse",
            "title": "För många",
            "party_codes": ["1401", "1402"],
            "entry_rule": "after_n_adoptions",
            "entry_count": 3,
            "entry_offset_days": 30,
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Ange hur många parter som ska ha antagit överenskommelsen (1–2)."


async def test_the_page_says_how_many_parties_entry_into_force_waits_for_in_good_swedish(client):
    agreement = await create_agreement(
        client, party_codes=["1401", "1402", "1407"], entry_rule="when_all_final"
    )
    await recommend(client, agreement["id"])
    await decide(client, agreement["id"], "1401", HARRYDA_ADOPTS)

    def summary(page: str) -> str:
        return " ".join(page.split('class="summary-line">')[1].split("</p>")[0].split())

    page = (await client.get(f"/agreements/{agreement['id']}")).text
    assert summary(page).endswith("Ikraftträdandet väntar på 2 parter.")
    await decide(client, agreement["id"], "1402", HARRYDA_ADOPTS)
    page = (await client.get(f"/agreements/{agreement['id']}")).text
    assert summary(page).endswith("Ikraftträdandet väntar på 1 part.")
