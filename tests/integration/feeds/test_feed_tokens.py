"""The tokens that open feeds: what a bad one gets, rotation, revocation, who may manage them,
what is stored and what the trail records; and a user's own feed."""

from __future__ import annotations

import dataclasses
import hashlib

from audit.trail import history
from core.settings import get_settings
from notifications.feeds import tokens
from notifications.feeds.tables import FeedToken
from tests.agreements import recommend
from tests.integration.conftest import bearer
from tests.integration.feeds.conftest import (
    create_agreement,
    fetch,
    icalendar_events,
    ics_events,
    links,
    local,
    uid,
)

NOT_FOUND = "Det finns inget sådant kalenderflöde."


async def _new_token(client, scope: str, key: object, label: str = "Härrydas kalender", **kw) -> dict:
    response = await client.post("/api/feeds", json={"scope": scope, "key": key, "label": label}, **kw)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_bad_token_gets_the_same_404_as_an_unknown_feed(client, anonymous_client):
    agreement = await create_agreement(client)
    good = (await links(client, "agreement", agreement["id"]))["https"]
    path = local(good).split("?")[0]
    party_token = (await links(client, "party", "1401"))["https"].split("token=")[1]
    answers = [
        await anonymous_client.get(f"{path}?token=svf_{'A' * 43}"),  # well-formed, unknown
        await anonymous_client.get(f"{path}?token=nonsense"),
        await anonymous_client.get(path),  # none at all
        await anonymous_client.get(f"{path}?token={party_token}"),  # another feed's token
        await anonymous_client.get(f"/feeds/agreements/999999.ics?token={party_token}"),  # no such feed
        await anonymous_client.get(f"/feeds/agreements/{agreement['id']}.ical?token={party_token}"),
        await anonymous_client.get(f"/feeds/me/{party_token}.ics"),  # not a personal token
    ]
    for answer in answers:
        assert answer.status_code == 404
        assert answer.json()["detail"] == NOT_FOUND
    assert {a.json()["title"] for a in answers} == {"Hittades inte"}


async def test_only_the_hash_of_a_token_is_stored_and_the_list_never_shows_it(client, anonymous_client):
    agreement = await create_agreement(client)
    created = await _new_token(client, "agreement", agreement["id"])
    token = created["token"]
    assert created["https"] == f"http://testserver.local/feeds/agreements/{agreement['id']}.ics?token={token}"
    assert (
        created["webcal"] == f"webcal://testserver.local/feeds/agreements/{agreement['id']}.ics?token={token}"
    )
    assert (await fetch(anonymous_client, created["https"])).status_code == 200

    row = await FeedToken.select().where(FeedToken.id == created["id"]).first()
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(v) for v in row.values()}
    listed = (await client.get(f"/api/feeds?scope=agreement&key={agreement['id']}")).json()
    mine = next(t for t in listed if t["id"] == created["id"])
    assert "token" not in mine and token not in str(listed)
    assert mine["prefix"] == token[:10]
    assert mine["feed_path"] == f"/feeds/agreements/{agreement['id']}.ics"
    assert mine["label"] == "Härrydas kalender"
    assert mine["last_used_at"] is not None  # the fetch above


async def test_a_revoked_token_gets_404(client, anonymous_client):
    created = await _new_token(client, "party", "1401")
    assert (await fetch(anonymous_client, created["https"])).status_code == 200

    assert (await client.delete(f"/api/feeds/{created['id']}")).status_code == 204

    gone = await fetch(anonymous_client, created["https"])
    assert gone.status_code == 404
    assert gone.json()["detail"] == NOT_FOUND
    assert (await client.delete(f"/api/feeds/{created['id']}")).status_code == 404


async def test_a_rotated_token_works_and_the_old_one_does_not(client, anonymous_client):
    created = await _new_token(client, "structure", "vastra-gotaland")

    response = await client.post(f"/api/feeds/{created['id']}/rotate")
    assert response.status_code == 201, response.text
    rotated = response.json()

    assert rotated["token"] != created["token"]
    assert rotated["label"] == created["label"]
    assert (await fetch(anonymous_client, rotated["https"])).status_code == 200
    assert (await fetch(anonymous_client, created["https"])).status_code == 404
    assert (await client.post(f"/api/feeds/{created['id']}/rotate")).status_code == 404  # revoked already


async def test_rotating_a_published_token_changes_the_subscribe_link(client, anonymous_client):
    agreement = await create_agreement(client)
    before = await links(client, "agreement", agreement["id"])
    published = next(
        t
        for t in (await client.get(f"/api/feeds?scope=agreement&key={agreement['id']}")).json()
        if t["published"]
    )

    rotated = (await client.post(f"/api/feeds/{published['id']}/rotate")).json()
    after = await links(client, "agreement", agreement["id"])

    assert after["https"] == rotated["https"] != before["https"]
    assert rotated["published"]
    assert (await fetch(anonymous_client, after["https"])).status_code == 200
    assert (await fetch(anonymous_client, before["https"])).status_code == 404


async def test_a_new_secret_key_replaces_the_published_token(client, anonymous_client, monkeypatch):
    agreement = await create_agreement(client)
    before = await links(client, "agreement", agreement["id"])
    changed = dataclasses.replace(get_settings(), secret_key="another-secret")
    monkeypatch.setattr(tokens, "get_settings", lambda: changed)

    after = await links(client, "agreement", agreement["id"])

    assert after["https"] != before["https"]
    assert (await fetch(anonymous_client, after["https"])).status_code == 200
    assert (await fetch(anonymous_client, before["https"])).status_code == 404
    assert await links(client, "agreement", agreement["id"]) == after


async def test_creation_rotation_and_revocation_are_in_the_audit_trail(client, admin):
    agreement = await create_agreement(client)
    created = await _new_token(client, "agreement", agreement["id"], label="Förvaltarens kalender")
    rotated = (await client.post(f"/api/feeds/{created['id']}/rotate")).json()
    await client.delete(f"/api/feeds/{rotated['id']}")

    events = await history(entity="feed_token", agreement_id=agreement["id"])
    trail = [(e["action"], e["entity_id"], e["actor_user_id"]) for e in reversed(events)]
    assert trail == [
        ("create", str(created["id"]), admin.id),
        ("rotate", str(created["id"]), admin.id),
        ("revoke", str(rotated["id"]), admin.id),
    ]
    assert events[-1]["after"] == {
        "scope": "agreement",
        "key": str(agreement["id"]),
        "label": "Förvaltarens kalender",
    }
    assert events[1]["after"]["replaced_by"] == rotated["id"]


async def test_a_clerk_manages_the_tokens_of_their_own_party_only(client, anonymous_client, make_user):
    clerk = await make_user("clerk", party="1401")
    mine = await _new_token(client, "party", "1401", headers=bearer(clerk))
    others = await _new_token(client, "party", "1402")  # by the admin

    refused = await client.post("/api/feeds", json={"scope": "party", "key": "1402"}, headers=bearer(clerk))
    assert refused.status_code == 403
    assert (
        await client.post(
            "/api/feeds", json={"scope": "structure", "key": "vastra-gotaland"}, headers=bearer(clerk)
        )
    ).status_code == 403
    assert (await client.post(f"/api/feeds/{others['id']}/rotate", headers=bearer(clerk))).status_code == 403
    assert (await client.delete(f"/api/feeds/{others['id']}", headers=bearer(clerk))).status_code == 403
    listed = {t["id"] for t in (await client.get("/api/feeds", headers=bearer(clerk))).json()}
    assert mine["id"] in listed and others["id"] not in listed
    assert (await client.get("/api/feeds?scope=party&key=1402", headers=bearer(clerk))).status_code == 403
    assert (await client.delete(f"/api/feeds/{mine['id']}", headers=bearer(clerk))).status_code == 204

    viewer = await make_user("viewer")
    assert (
        await client.post("/api/feeds", json={"scope": "party", "key": "1401"}, headers=bearer(viewer))
    ).status_code == 403
    anonymous = await anonymous_client.get("/api/feeds")
    assert anonymous.status_code == 401


async def test_token_requests_for_what_does_not_exist_are_refused(client):
    for body, status in [
        ({"scope": "party", "key": "9999"}, 404),
        ({"scope": "agreement", "key": 999999}, 404),
        ({"scope": "structure", "key": "ingen-struktur"}, 404),
        ({"scope": "agreement", "key": "tolv"}, 422),
        ({"scope": "user", "key": "1"}, 422),
        ({"scope": "kommunen", "key": "1401"}, 422),
        ({"scope": "party", "key": "1401", "label": "x" * 101}, 422),
    ]:
        response = await client.post("/api/feeds", json=body)
        assert response.status_code == status, (body, response.text)
    assert (await client.post("/api/feeds/999999/rotate")).status_code == 404


async def test_a_clerks_own_feed_holds_their_partys_deadlines(client, anonymous_client, make_user):
    # given an agreement for every party, recommended, and a clerk of Härryda
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    clerk = await make_user("clerk", party="1401")
    # when the clerk makes their own feed
    response = await client.post("/api/feeds/me", headers=bearer(clerk))
    assert response.status_code == 201, response.text
    own = response.json()
    assert own["https"] == f"http://testserver.local/feeds/me/{own['token']}.ics"
    feed = await fetch(anonymous_client, own["https"])
    # then it holds Härryda's deadline and the common ones, not other parties'
    events = icalendar_events(feed.content)
    assert set(ics_events(feed.content)) == set(events)
    assert uid(agreement["id"], "decision_due:1401") in events
    assert uid(agreement["id"], "notice:2029-12-31") in events
    assert uid(agreement["id"], "decision_due:1402") not in events
    assert "X-WR-CALNAME:samverkan – mina tidsfrister" in feed.text
    listed = (await client.get("/api/feeds/me", headers=bearer(clerk))).json()
    assert [t["id"] for t in listed] == [own["id"]]
    assert "token" not in listed[0]


async def test_a_new_own_feed_token_replaces_the_old_and_can_be_revoked(client, anonymous_client, make_user):
    steward_agreement = await create_agreement(client)
    other = await create_agreement(client)
    steward = await make_user("steward", agreement_id=steward_agreement["id"])
    first = (await client.post("/api/feeds/me", headers=bearer(steward))).json()
    events = icalendar_events((await fetch(anonymous_client, first["https"])).content)
    assert uid(steward_agreement["id"], "notice:2029-12-31") in events
    assert not [u for u in events if u.startswith(f"agreement-{other['id']}-")]

    second = (await client.post("/api/feeds/me", headers=bearer(steward))).json()
    assert (await fetch(anonymous_client, first["https"])).status_code == 404
    assert (await fetch(anonymous_client, second["https"])).status_code == 200

    assert (await client.delete("/api/feeds/me", headers=bearer(steward))).status_code == 204
    assert (await fetch(anonymous_client, second["https"])).status_code == 404
    assert (await client.delete("/api/feeds/me", headers=bearer(steward))).status_code == 404
    # a personal token is not managed under /api/feeds/{id}
    assert (await client.post(f"/api/feeds/{second['id']}/rotate")).status_code == 404


async def test_a_secretariats_own_feed_holds_its_structures_agreements(client, anonymous_client, make_user):
    here = await create_agreement(client)
    elsewhere = await create_agreement(client, structure="orebro")
    secretariat = await make_user("secretariat", structure="vastra-gotaland")
    own = (await client.post("/api/feeds/me", headers=bearer(secretariat))).json()
    events = icalendar_events((await fetch(anonymous_client, own["https"])).content)
    assert uid(here["id"], "notice:2029-12-31") in events
    assert not [u for u in events if u.startswith(f"agreement-{elsewhere['id']}-")]

    viewer = await make_user("viewer")  # no scope of their own: an empty calendar, not an error
    empty = await fetch(
        anonymous_client, (await client.post("/api/feeds/me", headers=bearer(viewer))).json()["https"]
    )
    assert empty.status_code == 200
    assert icalendar_events(empty.content) == {}
    assert "last-modified" not in empty.headers


async def test_a_secretariat_lists_the_tokens_of_its_structure_checked_in_one_query(
    client, make_user, statements
):
    # given a secretariat of Västra Götaland, and tokens of its structure, one of its parties and
    # one of its agreements, beside tokens of Stockholm's
    secretariat = await make_user("secretariat", structure="vastra-gotaland")
    agreement = await create_agreement(client)
    ours = {
        (await _new_token(client, "party", "1401"))["id"],
        (await _new_token(client, "structure", "vastra-gotaland"))["id"],
        (await _new_token(client, "agreement", agreement["id"]))["id"],
    }
    theirs = {
        (await _new_token(client, "party", "0180"))["id"],
        (await _new_token(client, "structure", "stockholm"))["id"],
    }

    async def listed() -> tuple[set[int], int]:
        with statements.counting():
            response = await client.get("/api/feeds", headers=bearer(secretariat))
        assert response.status_code == 200, response.text
        return {t["id"] for t in response.json()}, len(statements)

    # when it lists the tokens, then it gets its own and none of Stockholm's
    shown, sent = await listed()
    assert ours <= shown and not shown & theirs
    # and tokens of more scopes of each kind cost no more statements: the scopes are resolved at once
    more = await create_agreement(client)
    ours |= {
        (await _new_token(client, "party", "1402"))["id"],
        (await _new_token(client, "agreement", more["id"]))["id"],
    }
    theirs.add((await _new_token(client, "party", "0181"))["id"])
    shown, sent_again = await listed()
    assert ours <= shown and not shown & theirs
    assert sent_again == sent, statements.sql
