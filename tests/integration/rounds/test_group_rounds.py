"""A round for a group of parties: GR's members among Västra Götaland's health-care agreement's
parties are asked, no one else (a kommunalförbund and its own members, seed 003)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from markupsafe import escape

from core.clock import freeze
from tests.agreements import create_agreement

TODAY = date(2026, 11, 23)
ROUND = {"kind": "enkat", "title": "Enkät till GR:s kommuner", "reply_by": "2026-12-18"}


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


async def test_a_round_for_gr_asks_its_twelve_members_among_the_parties(client):
    agreement = await create_agreement(client)
    opened = await client.post("/api/rounds", json={**ROUND, "agreement_id": agreement["id"], "group": "gr"})
    assert opened.status_code == 201, opened.text
    gr = {m["code"] for m in (await client.get("/api/groups/gr")).json()["members"]}
    assert opened.json()["asked"] == 12
    assert {a["party_code"] for a in opened.json()["parties"]} == gr


@pytest.mark.parametrize(
    ("change", "parties", "message"),
    [
        (
            {"group": "gr", "parties": ["1401"]},
            None,
            "Ange antingen parter eller en grupp av parter, inte båda.",
        ),
        (
            {"group": "ingen"},
            None,
            "'ingen' är ingen grupp av parter i överenskommelsens samverkansstruktur.",
        ),
        ({"group": "gr"}, ["14", "1490", "1491"], "Ingen av GR:s medlemmar är part i överenskommelsen."),
    ],
)
async def test_a_round_for_a_group_that_cannot_be_asked_is_refused_in_swedish(
    client, change, parties, message
):
    agreement = await create_agreement(client, **({"party_codes": parties} if parties else {}))
    refused = await client.post("/api/rounds", json={**ROUND, "agreement_id": agreement["id"], **change})
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"] == message


FORM = {"kind": "enkat", "title": "Enkät till GR:s kommuner", "reply_by": "2026-12-18"}


async def _asked(client, location: str) -> set[str]:
    round_id = location.split("?")[0].rsplit("/", 1)[1]
    return {p["party_code"] for p in (await client.get(f"/api/rounds/{round_id}")).json()["parties"]}


async def test_the_form_asks_all_parties_a_group_or_a_chosen_set(client):
    agreement = await create_agreement(client)
    new = (await client.get(f"/agreements/{agreement['id']}/rounds/new")).text
    # all is the default; the structure's four förbund are offered with their members among the parties
    assert 'id="round-asked-all" name="asked" value="all" checked' in new
    assert "Alla överenskommelsens parter (50)" in new
    assert '<option value="gr">Göteborgsregionens kommunalförbund (GR): 12 av parterna</option>' in new
    select = new[new.index('id="round-group"') : new.index("</select>", new.index('id="round-group"'))]
    assert re.findall(r'<option value="(\w*)"', select) == ["", "sjuharad", "fyrbodal", "gr", "skaraborg"]
    action = f"/agreements/{agreement['id']}/rounds"
    gr = {m["code"] for m in (await client.get("/api/groups/gr")).json()["members"]}
    parties = await client.get("/api/parties", params={"structure": "vastra-gotaland", "limit": 100})
    everyone = {p["code"] for p in parties.json()["items"]}
    assert len(everyone) == 50
    cases = [
        ({"asked": "group", "group": "gr", "parties": ["1401"]}, gr),  # the ticked boxes do not count
        ({"asked": "all", "parties": ["1401"]}, everyone),
        ({"asked": "chosen", "parties": ["1401", "1402"]}, {"1401", "1402"}),
        ({"parties": ["1480"]}, {"1480"}),  # a form that does not say asks the ticked ones
    ]
    for change, asked in cases:
        opened = await client.post(action, data={**FORM, **change}, follow_redirects=False)
        assert opened.status_code == 303, opened.text
        assert await _asked(client, opened.headers["location"]) == asked, change


@pytest.mark.parametrize(
    ("change", "parties", "field", "message"),
    [
        ({"asked": "group", "group": ""}, None, "group", "Välj vilken grupp av parter som ska tillfrågas."),
        (
            {"asked": "group", "group": "ingen"},
            None,
            "group",
            "'ingen' är ingen grupp av parter i överenskommelsens samverkansstruktur.",
        ),
        (
            {"asked": "group", "group": "gr"},
            ["14", "1490", "1491"],
            "group",
            "Ingen av GR:s medlemmar är part i överenskommelsen.",
        ),
        ({"asked": "chosen"}, None, "parties", "Välj minst en part att fråga."),
        (
            {"asked": "några"},
            None,
            "asked",
            "Välj vilka parter som tillfrågas: alla, en grupp eller utvalda parter.",
        ),
    ],
)
async def test_the_forms_choice_of_parties_is_refused_beside_its_field_in_swedish(
    client, change, parties, field, message
):
    agreement = await create_agreement(client, **({"party_codes": parties} if parties else {}))
    refused = await client.post(
        f"/agreements/{agreement['id']}/rounds", data={**FORM, **change}, follow_redirects=False
    )
    assert refused.status_code == 422, refused.text
    page = refused.text
    message = str(escape(message))  # as the page writes it
    hidden = '<span class="visually-hidden">Fel: </span>'
    error = f'<p class="field-error" id="round-{field}-error">{hidden}{message}</p>'
    assert error in page  # beside the field, which names it (aria-describedby)
    assert f'aria-describedby="round-{field}-error" aria-invalid="true"' in page or (
        f'aria-describedby="round-{field}-hint round-{field}-error" aria-invalid="true"' in page
    )
    assert f'<a href="#round-{field}">{message}</a>' in page  # and in the summary, linked to it
    assert "Enkät till GR:s kommuner" in page  # what was typed is kept


async def test_a_structure_without_groups_offers_none(client):
    agreement = await create_agreement(client, structure="orebro", party_codes=None)
    new = (await client.get(f"/agreements/{agreement['id']}/rounds/new")).text
    assert 'id="round-asked-all"' in new and 'id="round-asked-group"' not in new
