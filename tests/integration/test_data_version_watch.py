"""The data version known in memory (core.db.VersionWatch) and the answers kept under it
(api.conditional): a change made elsewhere (another connection, as another process makes it)
reaches a kept answer through the listener; with the listener lost, every request reads the
version again and nothing stale is given; a signed-in user's answer never reaches the public."""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import UTC, datetime

import asyncpg
import pytest

from api.security import CSRF_COOKIE, CSRF_HEADER
from tests.agreements import HARRYDA_ADOPTS, create_agreement, decide, recommend

PASSWORD = "rätt-hästbatteri-häftstift"


@pytest.fixture
async def agreement(client) -> dict:
    made = await create_agreement(client)
    await recommend(client, made["id"])
    await decide(client, made["id"], "1401", HARRYDA_ADOPTS)
    return made


async def _retitle_elsewhere(agreement_id: int, title: str) -> int:
    """A change on a connection of its own, audited as every change is; the data version after it."""
    connection = await asyncpg.connect(dsn=os.environ["DATABASE_URL"])
    try:
        async with connection.transaction():
            await connection.execute("UPDATE agreement SET title = $1 WHERE id = $2", title, agreement_id)
            await connection.execute(
                "INSERT INTO audit_event (at, actor, action, entity, entity_id, agreement_id) "
                "VALUES ($1, 'tests: elsewhere', 'update', 'agreement', $2, $3)",
                datetime.now(UTC),
                str(agreement_id),
                agreement_id,
            )
        return await connection.fetchval("SELECT version FROM data_version")
    finally:
        await connection.close()


async def _heard(version: int) -> None:
    from core import db

    async with asyncio.timeout(30):  # not heard at all is the failure, whatever the time
        await db.versions.heard(version)


async def _until(condition) -> None:
    """Until the listener's state is as wanted (the server and the loop decide when, not a clock)."""
    async with asyncio.timeout(30):
        while not condition():  # noqa: ASYNC110 (asyncpg's callbacks set the state, no event)
            await asyncio.sleep(0.01)


async def test_a_change_made_on_another_connection_replaces_the_kept_answer_once_heard(
    anonymous_client, statements, agreement
):
    from core import db

    path = f"/api/agreements/{agreement['id']}/adoption"
    await anonymous_client.get(path)
    kept = await anonymous_client.get(path)
    assert db.versions.listening
    # when another connection changes the agreement, this process writing nothing
    title = f"Ändrad på annat håll {uuid.uuid4().hex[:6]}"
    version = await _retitle_elsewhere(agreement["id"], title)
    await _heard(version)
    # then the next answer is worked out afresh, without reading the version, and shows it
    with statements.counting():
        changed = await anonymous_client.get(path)
    assert changed.json()["title"] == title
    assert changed.headers["etag"] != kept.headers["etag"]
    assert "data_version" not in " ".join(statements.sql)
    # and the client's old copy is no longer current
    again = await anonymous_client.get(path, headers={"If-None-Match": kept.headers["etag"]})
    assert (again.status_code, again.json()["title"]) == (200, title)


async def test_with_the_listener_lost_every_request_reads_the_version_and_sees_a_change_at_once(
    anonymous_client, statements, agreement
):
    from core import db

    path = f"/api/agreements/{agreement['id']}/adoption"
    await anonymous_client.get(path)
    assert db.versions.listening
    # given the listener's connection ended by the server
    admin = await asyncpg.connect(dsn=os.environ["DATABASE_URL"])
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", db.versions._connection.get_server_pid())
    finally:
        await admin.close()
    await _until(lambda: not db.versions.listening)
    # when another connection changes the agreement, nothing notifying this process
    title = f"Ändrad utan lyssnare {uuid.uuid4().hex[:6]}"
    await _retitle_elsewhere(agreement["id"], title)
    # then the very next answer reads the version and shows the change
    with statements.counting():
        changed = await anonymous_client.get(path)
    assert changed.json()["title"] == title
    assert any("data_version" in sql for sql in statements.sql)
    # and a kept answer costs that one statement while the listener is away
    if not db.versions.listening:
        with statements.counting():
            await anonymous_client.get(path)
        assert [sql for sql in statements.sql if "data_version" in sql] == statements.sql != []
    # once back, it hears changes again
    await _until(lambda: db.versions.listening and db.versions.known is not None)
    title = f"Ändrad efter återkomsten {uuid.uuid4().hex[:6]}"
    await _heard(await _retitle_elsewhere(agreement["id"], title))
    assert (await anonymous_client.get(path)).json()["title"] == title


async def _signed_in(client, make_user, name: str) -> None:
    user = await make_user("clerk", party="1401", password=PASSWORD, name=name)
    await client.get("/health")
    response = await client.post(
        "/api/auth/login",
        json={"email": user.email, "password": PASSWORD},
        headers={CSRF_HEADER: client.cookies[CSRF_COOKIE]},
    )
    assert response.status_code == 200


async def test_a_signed_in_users_page_is_never_given_to_the_public_nor_the_publics_to_them(
    anonymous_client, make_user, agreement
):
    from api.conditional import answers

    path = f"/agreements/{agreement['id']}"
    name = f"Läsare {uuid.uuid4().hex[:8]}"
    # given the public's page kept (a first view makes the page's published feed token)
    await anonymous_client.get(path)
    public = await anonymous_client.get(path)
    assert public.status_code == 200 and name not in public.text
    # when a signed-in user asks for the same page
    await _signed_in(anonymous_client, make_user, name)
    kept = answers.size
    theirs = await anonymous_client.get(path)
    # then they get their own page (their name on it), not the kept one, and it is not kept
    assert theirs.status_code == 200 and name in theirs.text
    assert theirs.headers["cache-control"] == "private, no-cache"
    assert theirs.headers["etag"] != public.headers["etag"]
    assert answers.size == kept
    again = await anonymous_client.get(path)
    assert name in again.text
    # and the public, asking after them, gets the public's page (the sign-in moved the version)
    anonymous_client.cookies.clear()
    after = await anonymous_client.get(path)
    assert after.headers["cache-control"] == "no-cache" and name not in after.text
    assert after.text.count("<form") == public.text.count("<form")


async def test_a_kept_answer_carries_the_same_headers_as_the_first_and_a_new_csrf_cookie(
    anonymous_client, agreement
):
    path = f"/agreements/{agreement['id']}"
    await anonymous_client.get(path)  # a first view makes the page's published feed token
    anonymous_client.cookies.clear()
    first = await anonymous_client.get(path)
    anonymous_client.cookies.clear()
    kept = await anonymous_client.get(path)
    wanted = ("etag", "cache-control", "content-type", "content-security-policy", "x-frame-options")
    assert {h: kept.headers[h] for h in wanted} == {h: first.headers[h] for h in wanted}
    assert kept.cookies[CSRF_COOKIE] and kept.cookies[CSRF_COOKIE] != first.cookies[CSRF_COOKIE]
    # a reader that has the cookie keeps it
    again = await anonymous_client.get(path)
    assert CSRF_COOKIE not in again.cookies
    # and a 304 for its copy
    unchanged = await anonymous_client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
