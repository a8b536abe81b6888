"""The audit trail: admins read it through the API; nobody, not even the database owner, rewrites it."""

from __future__ import annotations

import asyncpg
import pytest

from api.access import declared_routes
from api.app import create_app
from audit.tables import AuditEvent
from tests.integration.conftest import bearer


async def test_an_admin_reads_a_users_events_newest_first(client, make_user):
    user = await make_user("viewer", name="Maria Sjö")
    response = await client.get("/api/audit", params={"entity": "user", "entity_id": str(user.id)})
    assert response.status_code == 200
    events = response.json()
    assert [(e["action"], e["actor"], e["entity"], e["entity_id"]) for e in events] == [
        ("create", "system: tests", "user", str(user.id))
    ]
    assert events[0]["after"] == {"email": user.email, "name": "Maria Sjö", "password": False}
    assert set(events[0]) == {
        "id",
        "at",
        "actor_user_id",
        "actor",
        "action",
        "entity",
        "entity_id",
        "agreement_id",
        "before",
        "after",
    }


async def test_the_trail_filters_by_agreement(client):
    created = await client.post(
        "/api/agreements", json={"structure": "orebro", "kind": "riktlinje", "title": "Granskningsprov"}
    )
    agreement_id = created.json()["id"]
    events = (await client.get("/api/audit", params={"agreement_id": agreement_id})).json()
    assert events != []
    assert {e["agreement_id"] for e in events} == {agreement_id}


async def test_the_trail_is_paged(client):
    first = (await client.get("/api/audit", params={"limit": 2})).json()
    second = (await client.get("/api/audit", params={"limit": 2, "offset": 1})).json()
    assert len(first) == 2
    assert first[1]["id"] == second[0]["id"]


async def test_a_viewer_may_not_read_the_trail(anonymous_client, make_user):
    viewer = await make_user("viewer")
    assert (await anonymous_client.get("/api/audit", headers=bearer(viewer))).status_code == 403


def test_no_route_changes_or_deletes_audit_events():
    routes = [(m, p) for m, p, _ in declared_routes(create_app(manage_pool=False)) if "audit" in p]
    assert routes == [("GET", "/api/audit")]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET actor = 'någon annan'",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
    ],
)
async def test_the_database_refuses_to_rewrite_the_trail(make_user, statement):
    await make_user()  # at least one event
    before = await AuditEvent.count()
    with pytest.raises(asyncpg.exceptions.RaiseError, match="audit_event is append-only"):
        await AuditEvent.raw(statement)
    assert await AuditEvent.count() == before
