"""A round for a group of parties: GR's members among Västra Götaland's health-care agreement's
parties are asked, no one else (a kommunalförbund and its own members, seed 003)."""

from __future__ import annotations

from datetime import date

import pytest

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
