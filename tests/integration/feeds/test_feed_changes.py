"""An event followed through change and cancellation, and the feed's ETag, 304 and HEAD answers."""

from __future__ import annotations

from datetime import date, timedelta

from core.clock import freeze
from lifecycle.tables import StoredDeadline
from tests.agreements import recommend
from tests.integration.conftest import bearer
from tests.integration.feeds.conftest import (
    TERM,
    TODAY,
    create_agreement,
    fetch,
    icalendar_events,
    ics_events,
    links,
    local,
    uid,
)


async def _deadline_row(agreement_id: int, key: str) -> dict:
    (row,) = await StoredDeadline.raw(
        "SELECT id, due, notice_months, sequence, updated_at FROM deadline WHERE agreement = {} AND key = {}",
        agreement_id,
        key,
    )
    return row


async def _events(anonymous_client, url: str) -> dict:
    body = (await fetch(anonymous_client, url)).content
    events = icalendar_events(body)
    assert set(ics_events(body)) == set(events)  # every version reads alike in both parsers
    return events


async def test_a_moved_deadline_keeps_its_uid_with_a_higher_sequence_and_its_new_date(
    client, anonymous_client
):
    # given a recommended agreement whose parties are asked to decide by 2023-06-30
    agreement = await create_agreement(client, decision_due="2023-06-30")
    await recommend(client, agreement["id"])
    url = (await links(client, "agreement", agreement["id"]))["https"]
    harryda = uid(agreement["id"], "decision_due:1401")
    before = (await _events(anonymous_client, url))[harryda]
    # when the secretariat moves the date
    response = await client.patch(f"/api/agreements/{agreement['id']}", json={"decision_due": "2023-09-30"})
    assert response.status_code == 200, response.text
    after = (await _events(anonymous_client, url))[harryda]
    # then the same event has moved, one version later
    assert before["DTSTART"].dt == date(2023, 6, 30)
    assert after["DTSTART"].dt == date(2023, 9, 30)
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert str(after["STATUS"]) == "CONFIRMED"
    assert after["DTSTAMP"].dt >= before["DTSTAMP"].dt


async def test_a_changed_notice_period_moves_the_notice_event_in_place(client, anonymous_client):
    # given an agreement whose next notice deadline is 2028-06-30: 18 months before the period
    # that ends 2029-12-31, which is what its key (and so its UID) names
    agreement = await create_agreement(client)
    url = (await links(client, "agreement", agreement["id"]))["https"]
    notice = uid(agreement["id"], "notice:2029-12-31")
    earlier = await _events(anonymous_client, url)
    before = earlier[notice]
    row = await _deadline_row(agreement["id"], "notice:2029-12-31")
    # when the notice period becomes 6 months (a day later, so the change has a later stamp)
    with freeze(TODAY + timedelta(days=1)):
        response = await client.patch(
            f"/api/agreements/{agreement['id']}", json={"term": {**TERM, "notice_months": 6}}
        )
    assert response.status_code == 200, response.text
    events = await _events(anonymous_client, url)
    # then the same event has moved to 2029-06-30, one version later, and no new event has
    # appeared beside it
    after = events[notice]
    assert before["DTSTART"].dt == date(2028, 6, 30)
    assert after["DTSTART"].dt == date(2029, 6, 30)
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert str(after["STATUS"]) == "CONFIRMED"
    assert "6 månaders uppsägningstid" in str(after["DESCRIPTION"])
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt
    assert set(events) <= set(earlier)
    # and it is the same stored row, updated in place
    moved = await _deadline_row(agreement["id"], "notice:2029-12-31")
    assert moved["id"] == row["id"]
    assert (moved["due"], moved["notice_months"]) == (date(2029, 6, 30), 6)
    assert moved["sequence"] == row["sequence"] + 1
    assert moved["updated_at"] > row["updated_at"]


async def test_a_removed_term_leaves_its_deadlines_cancelled_with_a_higher_sequence(client, anonymous_client):
    agreement = await create_agreement(client)
    url = (await links(client, "agreement", agreement["id"]))["https"]
    notice = uid(agreement["id"], "notice:2029-12-31")
    before = await _events(anonymous_client, url)
    assert str(before[notice]["STATUS"]) == "CONFIRMED"

    response = await client.patch(f"/api/agreements/{agreement['id']}", json={"term": {"kind": "none"}})
    assert response.status_code == 200, response.text
    after = await _events(anonymous_client, url)

    assert set(after) == set(before)  # nothing vanishes at once
    for key, event in after.items():
        assert str(event["STATUS"]) == "CANCELLED", key
        assert event["SEQUENCE"] > before[key]["SEQUENCE"]
    ics_notice = ics_events((await fetch(anonymous_client, url)).content)[notice]
    assert ics_notice.status == "CANCELLED"


async def test_cancelled_events_stay_ninety_days_then_leave_the_feed(client, anonymous_client):
    agreement = await create_agreement(client)
    url = (await links(client, "agreement", agreement["id"]))["https"]
    notice = uid(agreement["id"], "notice:2029-12-31")
    await client.patch(f"/api/agreements/{agreement['id']}", json={"term": {"kind": "none"}})  # on TODAY

    with freeze(TODAY + timedelta(days=89)):
        assert str((await _events(anonymous_client, url))[notice]["STATUS"]) == "CANCELLED"
    with freeze(TODAY + timedelta(days=91)):
        assert notice not in await _events(anonymous_client, url)


async def test_an_unchanged_feed_answers_304_and_a_change_gives_a_new_etag(client, anonymous_client):
    agreement = await create_agreement(client, decision_due="2023-06-30")
    await recommend(client, agreement["id"])
    url = (await links(client, "agreement", agreement["id"]))["https"]
    first = await fetch(anonymous_client, url)
    etag, modified = first.headers["etag"], first.headers["last-modified"]

    # unchanged: the same ETag, and 304 without a body to If-None-Match and If-Modified-Since
    assert (await fetch(anonymous_client, url)).headers["etag"] == etag
    by_etag = await fetch(anonymous_client, url, **{"If-None-Match": etag})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag.headers["etag"] == etag
    assert by_etag.headers["cache-control"] == "private, max-age=300"
    assert (await fetch(anonymous_client, url, **{"If-None-Match": f'"x", W/{etag}'})).status_code == 304
    assert (await fetch(anonymous_client, url, **{"If-Modified-Since": modified})).status_code == 304

    # changed (a day later: the frozen clock would stamp the change with the same instant): a
    # new ETag, and the old one (or the old date) gets the whole feed
    with freeze(TODAY + timedelta(days=1)):
        await client.patch(f"/api/agreements/{agreement['id']}", json={"decision_due": "2023-09-30"})
    changed = await fetch(anonymous_client, url, **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert (await fetch(anonymous_client, url, **{"If-Modified-Since": modified})).status_code == 200
    # and If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)
    stale = await fetch(
        anonymous_client, url, **{"If-None-Match": etag, "If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}
    )
    assert stale.status_code == 200


async def test_a_renamed_agreement_renames_its_events_with_a_later_stamp(client, anonymous_client):
    agreement = await create_agreement(client)
    url = (await links(client, "agreement", agreement["id"]))["https"]
    notice = uid(agreement["id"], "notice:2029-12-31")
    before = (await _events(anonymous_client, url))[notice]

    with freeze(TODAY + timedelta(days=1)):
        await client.patch(
            f"/api/agreements/{agreement['id']}", json={"title": agreement["title"] + " (reviderad)"}
        )
        after = (await _events(anonymous_client, url))[notice]

    assert str(after["SUMMARY"]).endswith("(reviderad) (alla parter)")
    assert after["DTSTAMP"].dt > before["DTSTAMP"].dt  # calendars take the later DTSTAMP
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt


async def test_head_answers_as_get_does_without_the_body(client, anonymous_client, make_user):
    # calendar programs and link checkers ask with HEAD before they GET
    agreement = await create_agreement(client)
    url = (await links(client, "agreement", agreement["id"]))["https"]
    got = await fetch(anonymous_client, url)

    head = await anonymous_client.head(local(url))

    assert head.status_code == 200
    assert head.content == b""
    for name in ("content-type", "etag", "last-modified", "cache-control", "content-disposition"):
        assert head.headers[name] == got.headers[name], name
    assert head.headers["content-length"] == str(len(got.content))
    unchanged = await anonymous_client.head(local(url), headers={"If-None-Match": got.headers["etag"]})
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert unchanged.headers["etag"] == got.headers["etag"]
    bad = await anonymous_client.head(local(url).replace("token=", "token=x"))
    assert (bad.status_code, bad.content) == (404, b"")
    # the personal feed too
    own = (await client.post("/api/feeds/me", headers=bearer(await make_user("clerk", party="1401")))).json()
    personal = await anonymous_client.head(local(own["https"]))
    assert (personal.status_code, personal.content) == (200, b"")
    assert personal.headers["content-type"].startswith("text/calendar")
