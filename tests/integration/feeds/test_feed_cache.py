"""Rendered feeds kept per data version, day and token (notifications.feeds.build): a feed is
given again only to the token that opened it, never past a change."""

from __future__ import annotations

from tests.agreements import unique
from tests.integration.feeds.conftest import create_agreement, fetch, links, local


async def _new_token(client, scope: str, key: object) -> dict:
    response = await client.post("/api/feeds", json={"scope": scope, "key": key, "label": "Cachetest"})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_kept_feed_is_given_only_to_the_token_that_opened_it(client, anonymous_client):
    # given Härryda's feed kept for its published token
    published = (await links(client, "party", "1401"))["https"]
    await fetch(anonymous_client, published)
    kept = await fetch(anonymous_client, published)
    assert kept.status_code == 200
    path = local(published).split("?")[0]
    # then a well-formed token nobody made, and another party's token, still get 404
    unknown = await anonymous_client.get(f"{path}?token=svf_{'B' * 43}")
    other = (await links(client, "party", "1402"))["https"].split("token=")[1]
    elsewhere = await anonymous_client.get(f"{path}?token={other}")
    assert (unknown.status_code, elsewhere.status_code) == (404, 404)
    # and a second token of the same feed opens its own, which its revocation closes at once
    private = await _new_token(client, "party", "1401")
    assert (await fetch(anonymous_client, private["https"])).content == (
        await fetch(anonymous_client, published)
    ).content
    assert (await client.delete(f"/api/feeds/{private['id']}")).status_code == 204
    assert (await fetch(anonymous_client, private["https"])).status_code == 404
    assert (await fetch(anonymous_client, published)).status_code == 200


async def test_a_kept_feed_costs_no_feed_query_and_a_change_gives_the_new_feed(
    client, anonymous_client, statements
):
    agreement = await create_agreement(client)
    url = (await links(client, "agreement", agreement["id"]))["https"]
    first = await fetch(anonymous_client, url)
    # when it is asked for again, nothing changed
    with statements.counting():
        again = await fetch(anonymous_client, url)
    # then the same bytes, without the token's check or the events' query
    assert (again.content, again.headers["etag"]) == (first.content, first.headers["etag"])
    assert not [sql for sql in statements.sql if "feed_token" in sql or "deadline" in sql]
    # when the agreement is renamed, the next answer names it so
    title = unique("Omdöpt avtal")
    renamed = await client.patch(f"/api/agreements/{agreement['id']}", json={"title": title})
    assert renamed.status_code == 200, renamed.text
    changed = await fetch(anonymous_client, url)
    assert title.encode() in changed.content and changed.headers["etag"] != first.headers["etag"]
