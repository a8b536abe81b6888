"""Read answers carry a strong ETag and answer 304 while nothing has changed: after a change, on
another day, or to someone else, the ETag is another."""

from __future__ import annotations

from datetime import date

from core.clock import freeze
from tests.agreements import HARRYDA_ADOPTS, create_agreement, decide, recommend
from tests.integration.conftest import bearer


async def test_an_unchanged_read_answers_304_with_no_statement_and_a_change_gives_a_new_etag(
    client, anonymous_client, statements
):
    # given
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    path = f"/api/agreements/{agreement['id']}/adoption"
    first = await anonymous_client.get(path)
    etag = first.headers["etag"]
    assert first.status_code == 200 and etag.startswith('"') and not etag.startswith('"W/')
    assert first.headers["cache-control"] == "no-cache"
    # when the client asks again with its copy's ETag
    with statements.counting():
        again = await anonymous_client.get(path, headers={"if-none-match": etag})
    # then: 304, no body, and nothing read: the data version is known in memory
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert (len(statements), statements.connections) == (0, 0), statements.sql
    # when a party's decision is logged
    await decide(client, agreement["id"], "1401", HARRYDA_ADOPTS)
    changed = await anonymous_client.get(path, headers={"if-none-match": etag})
    # then the whole new answer, with another ETag
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["counts"]["adopted"] == 1


async def test_the_etag_is_another_on_another_day_and_for_another_reader(client, anonymous_client, make_user):
    agreement = await create_agreement(client)
    path = f"/agreements/{agreement['id']}"
    with freeze(date(2026, 11, 23)):
        today = (await anonymous_client.get(path)).headers["etag"]
        viewer = await make_user("viewer")
        as_viewer = await anonymous_client.get(path, headers=bearer(viewer))
    with freeze(date(2026, 11, 24)):
        tomorrow = await anonymous_client.get(path, headers={"if-none-match": today})
    assert tomorrow.status_code == 200 and tomorrow.headers["etag"] != today
    assert as_viewer.headers["etag"] != today
    assert as_viewer.headers["cache-control"] == "private, no-cache"


async def test_a_change_is_never_answered_304(client):
    agreement = await create_agreement(client)
    etag = (await client.get(f"/api/agreements/{agreement['id']}")).headers["etag"]
    response = await client.patch(
        f"/api/agreements/{agreement['id']}", json={"summary": "Ny"}, headers={"if-none-match": etag}
    )
    assert response.status_code == 200 and "etag" not in response.headers
