"""Structures and parties through the API, on the reference data."""

from __future__ import annotations

import uuid

import pytest


async def test_health_reports_postgres_and_redis_up(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "postgres": "ok", "redis": "ok"}


async def test_the_four_structures_are_listed_with_their_party_counts(client):
    response = await client.get("/api/structures")
    assert response.status_code == 200
    counts = {s["slug"]: s["party_count"] for s in response.json()}
    assert counts == {"stockholm": 27, "vastra-gotaland": 50, "orebro": 13, "vastmanland": 11}


@pytest.mark.parametrize(
    ("slug", "total", "region"),
    [("stockholm", 27, "01"), ("vastra-gotaland", 50, "14"), ("orebro", 13, "18"), ("vastmanland", 11, "19")],
)
async def test_parties_of_a_structure_are_its_kommuner_and_its_region(client, slug, total, region):
    response = await client.get("/api/parties", params={"structure": slug, "limit": 500})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == total
    assert len(body["items"]) == total
    regions = [p["code"] for p in body["items"] if p["kind"] == "region"]
    assert regions == [region]
    assert all(p["structure"] == slug for p in body["items"])


async def test_parties_are_paginated(client):
    first = (await client.get("/api/parties", params={"structure": "vastra-gotaland", "limit": 20})).json()
    third = (
        await client.get("/api/parties", params={"structure": "vastra-gotaland", "limit": 20, "offset": 40})
    ).json()
    assert [len(first["items"]), len(third["items"])] == [20, 10]
    assert first["items"][0]["code"] == "14"  # the region first, then kommuner by code
    assert first["items"][1] == {
        "code": "1401",
        "name": "Härryda",
        "kind": "kommun",
        "county_code": "14",
        "structure": "vastra-gotaland",
    }


async def test_parties_filter_by_kind_and_county(client):
    regions = (await client.get("/api/parties", params={"kind": "region"})).json()
    assert [p["code"] for p in regions["items"]] == ["01", "14", "18", "19"]
    orebro = (await client.get("/api/parties", params={"county": "18", "kind": "kommun"})).json()
    assert orebro["total"] == 12


async def test_an_unknown_structure_is_named_in_a_problem_answer(client):
    response = await client.get("/api/parties", params={"structure": "gotland"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert "gotland" in problem["detail"]
    assert "stockholm" in problem["detail"]
    assert problem["invalid-params"] == [{"name": "structure", "reason": problem["detail"]}]


async def test_a_limit_out_of_range_is_a_400_problem(client):
    response = await client.get("/api/parties", params={"limit": 0})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "limit" in response.json()["detail"]


async def test_one_party_has_its_name_and_contacts(client):
    response = await client.get("/api/parties/1401")
    assert response.status_code == 200
    assert response.json()["name"] == "Härryda"
    assert isinstance(response.json()["contacts"], list)


async def test_an_unknown_party_code_is_404(client):
    response = await client.get("/api/parties/9999")
    assert response.status_code == 404
    assert "9999" in response.json()["detail"]


async def test_an_unknown_route_is_a_404_problem(client):
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_contacts_can_be_added_once_and_removed(client):
    email = f"registrator-{uuid.uuid4().hex[:8]}@harryda.example"
    added = await client.post("/api/parties/1401/contacts", json={"email": email, "name": "Registrator"})
    assert added.status_code == 201
    again = await client.post("/api/parties/1401/contacts", json={"email": email})
    assert again.status_code == 409
    contact_id = added.json()["id"]
    assert email in [c["email"] for c in (await client.get("/api/parties/1401")).json()["contacts"]]
    assert (await client.delete(f"/api/parties/1401/contacts/{contact_id}")).status_code == 204
    assert (await client.delete(f"/api/parties/1401/contacts/{contact_id}")).status_code == 404


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"email": "inte-en-adress"}, 422, "email"),
        # an address no e-mail can be sent to is refused when stored, not when the reminder fails
        ({"email": "åsa@harryda.se"}, 422, "email"),
        ({"email": "registrator@harryda"}, 422, "email"),
        ({"email": "a@b.se", "role": "kung"}, 422, "role"),
        ({"mail": "a@b.se"}, 400, None),
    ],
)
async def test_a_bad_contact_is_refused_with_the_field_named(client, payload, status, field):
    response = await client.post("/api/parties/1401/contacts", json=payload)
    assert response.status_code == status
    if field:
        assert response.json()["invalid-params"][0]["name"] == field


async def test_malformed_json_is_a_400_not_a_500(client):
    response = await client.post(
        "/api/parties/1401/contacts", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400


async def test_the_openapi_document_lists_every_route(client):
    schema = (await client.get("/schema/openapi.json")).json()
    assert {"/health", "/api/structures", "/api/parties", "/api/parties/{party_code}"} <= set(schema["paths"])


async def test_adding_and_removing_a_contact_leaves_two_audit_events(client):
    from audit.trail import history

    email = f"audit-{uuid.uuid4().hex[:8]}@ale.example"
    contact_id = (await client.post("/api/parties/1440/contacts", json={"email": email})).json()["id"]
    await client.delete(f"/api/parties/1440/contacts/{contact_id}")
    events = await history(entity="contact", entity_id=contact_id)
    assert [(e["action"], (e["after"] or e["before"])["email"]) for e in events] == [
        ("delete", email),
        ("create", email),
    ]
