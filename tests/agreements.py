"""The agreement most tests make: Västra Götaland's health-care agreement (seed 003), taken
through its process to the political steering group's recommendation, and Härryda's decision
adopting it. Integration tests make it through the API with these helpers; the browser tests
(sync httpx) use the same data."""

from __future__ import annotations

import uuid

VG_HEALTH_CARE = {
    "structure": "vastra-gotaland",
    "kind": "overenskommelse",
    "summary": "Ansvarsfördelning mellan kommunerna och regionen för hälso- och sjukvård.",
    "target_group": "Personer med behov av hälso- och sjukvård från båda huvudmännen",
    "law_refs": ["Hälso- och sjukvårdslag (2017:30)"],
    "term": {
        "kind": "fixed",
        "start": "2023-01-01",
        "end": "2026-12-31",
        "notice_months": 18,
        "renewal_years": 3,
    },
    "entry_rule": "fixed_date_once_all_adopted",
    "entry_fixed_date": "2023-01-01",
}
# Need → assignment → proposal → remiss → revision → preparation → recommendation (SRO).
RECOMMENDED = [
    ("uppdrag", "2021-03-01"),
    ("forslag", "2021-06-01"),
    ("remiss", "2021-09-01"),
    ("revidering", "2021-11-15"),
    ("beredning", "2022-01-20"),
    ("rekommendation_sro", "2022-02-24"),
]
HARRYDA_ADOPTS = {
    "body": "Kommunfullmäktige",
    "meeting_date": "2022-05-23",
    "outcome": "adopted",
    "paragraph": "§ 77",
    "case_number": "KS 2022/123",
    "justering_date": "2022-05-27",
    "anslag_date": "2022-05-30",
}


def unique(prefix: str) -> str:
    """A title no other test uses."""
    return f"{prefix} {uuid.uuid4().hex[:8]}"


async def create_agreement(client, **changes) -> dict:
    response = await client.post(
        "/api/agreements", json={**VG_HEALTH_CARE, "title": unique("HoS-avtal"), **changes}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def recommend(client, agreement_id: int, steps=RECOMMENDED) -> None:
    for step, taken_on in steps:
        response = await client.post(
            f"/api/agreements/{agreement_id}/steps", json={"step": step, "taken_on": taken_on}
        )
        assert response.status_code == 201, response.text


async def decide(client, agreement_id: int, party: str, decision: dict) -> dict:
    response = await client.post(f"/api/agreements/{agreement_id}/parties/{party}/decisions", json=decision)
    assert response.status_code == 201, response.text
    return response.json()
