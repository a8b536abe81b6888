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
    assert forecast == {"in_force_from": None, "holding_back": [], "without_plan": ["1407"], "blocked_by": []}

    # once it plans one, earlier than Partille's: Partille's meeting 2027-04-19 sets the date
    await decide(client, agreement["id"], "1407", {**PLANNED, "meeting_date": "2027-03-08"})
    forecast = (await client.get(url)).json()["forecast"]
    assert forecast == {
        "in_force_from": "2027-05-27",
        "holding_back": ["1402"],
        "without_plan": [],
        "blocked_by": [],
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
