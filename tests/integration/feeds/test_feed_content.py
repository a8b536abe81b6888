"""What a feed holds and how it reads: every feed parsed back by icalendar and by `ics`."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar

from notifications.feeds import build
from notifications.feeds.scopes import Scope, ScopeKind
from notifications.ical_text import FOLD_LIMIT
from piccolo_conf import DB
from tests.agreements import recommend, unique
from tests.integration.feeds.conftest import create_agreement, fetch, icalendar_events, ics_events, links, uid

BASE = "http://testserver.local"  # BASE_URL in tests (tests/conftest.py)
SWEDISH_TITLE = "Åtgärder för äldre, barn; unga – öppen vård"


async def test_an_agreement_feed_reads_back_alike_in_icalendar_and_ics(client, anonymous_client):
    # given a recommended agreement with a fixed term: notice deadlines and 50 decision deadlines
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    # when its feed is fetched through its subscribe link
    response = await fetch(anonymous_client, (await links(client, "agreement", agreement["id"]))["https"])
    # then both parsers see the same events
    assert response.status_code == 200, response.text
    by_icalendar = icalendar_events(response.content)
    by_ics = ics_events(response.content)
    assert set(by_icalendar) == set(by_ics)
    notice = uid(agreement["id"], "notice:2029-12-31")
    assert notice in by_icalendar
    assert uid(agreement["id"], "decision_due:1401") in by_icalendar
    assert len([u for u in by_icalendar if "decision_due" in u]) == 50
    assert by_ics[notice].begin.date() == date(2028, 6, 30)
    assert by_ics[notice].name == by_icalendar[notice]["SUMMARY"]


async def test_every_physical_line_is_at_most_75_octets_and_ends_in_crlf(client, anonymous_client):
    agreement = await create_agreement(client, title=SWEDISH_TITLE + " " + "långt namn " * 12)
    await recommend(client, agreement["id"])
    body = (
        await fetch(anonymous_client, (await links(client, "agreement", agreement["id"]))["https"])
    ).content

    assert body.endswith(b"\r\n")
    lines = body[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= FOLD_LIMIT
    assert any(line.startswith(b" ") for line in lines)  # long Swedish lines were folded...
    for line in lines:
        line.decode("utf-8")  # ...never inside a UTF-8 sequence


async def test_swedish_text_is_escaped_and_reads_back_exactly(client, anonymous_client):
    # given an agreement whose title has å ä ö, a comma, a semicolon and a dash
    agreement = await create_agreement(client, title=SWEDISH_TITLE)
    feed = await fetch(anonymous_client, (await links(client, "agreement", agreement["id"]))["https"])
    body = feed.content
    # then the text is escaped in the feed (RFC 5545 3.3.11) ...
    unfolded = body.replace(b"\r\n ", b"")
    assert "Åtgärder för äldre\\, barn\\; unga – öppen vård".encode() in unfolded
    assert "\\nGäller: alla parter\\n".encode() in unfolded  # line breaks of DESCRIPTION as \n
    # ... and both parsers give back exactly the words
    notice = uid(agreement["id"], "notice:2029-12-31")
    summary = f"Sista dag för uppsägning: {SWEDISH_TITLE} (alla parter)"
    description = (
        "Sista dag att skriftligen säga upp överenskommelsen till 31 december 2029 "
        "(18 månaders uppsägningstid)\n"
        f"Gäller: alla parter\nÖverenskommelse: {SWEDISH_TITLE}\n\n{BASE}/agreements/{agreement['id']}"
    )
    event = icalendar_events(body)[notice]
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == description
    assert ics_events(body)[notice].name == summary
    assert ics_events(body)[notice].description == description


async def test_a_deadline_is_an_all_day_event_with_its_link_sequence_and_alarm(client, anonymous_client):
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    body = (
        await fetch(anonymous_client, (await links(client, "agreement", agreement["id"]))["https"])
    ).content
    events = icalendar_events(body)

    notice = events[uid(agreement["id"], "notice:2029-12-31")]
    assert notice["DTSTART"].dt == date(2028, 6, 30)
    assert notice["DTEND"].dt == date(2028, 7, 1)
    assert str(notice["URL"]) == f"{BASE}/agreements/{agreement['id']}"
    assert notice["SEQUENCE"] == 0
    assert str(notice["STATUS"]) == "CONFIRMED"
    assert notice["LAST-MODIFIED"].dt == notice["DTSTAMP"].dt
    [alarm] = notice.walk("VALARM")
    assert alarm["TRIGGER"].dt == timedelta(days=-30)  # notice deadlines: a month ahead

    harryda = events[uid(agreement["id"], "decision_due:1401")]
    assert str(harryda["SUMMARY"]) == f"Sista dag för beslut: {agreement['title']} – Härryda"
    assert "Gäller: Härryda (1401)" in str(harryda["DESCRIPTION"])
    [alarm] = harryda.walk("VALARM")
    assert alarm["TRIGGER"].dt == timedelta(days=-7)

    ics_notice = ics_events(body)[uid(agreement["id"], "notice:2029-12-31")]
    assert ics_notice.all_day
    assert [a.trigger for a in ics_notice.alarms] == [timedelta(days=-30)]


async def test_the_calendar_is_named_in_swedish_in_stockholm_time(client, anonymous_client):
    agreement = await create_agreement(client)
    body = (
        await fetch(anonymous_client, (await links(client, "agreement", agreement["id"]))["https"])
    ).content
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == f"samverkan – {agreement['title']}"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Stockholm"
    assert calendar.refresh_interval == timedelta(hours=12)

    party = Calendar.from_ical(
        (await fetch(anonymous_client, (await links(client, "party", "1401"))["https"])).content
    )
    assert str(party["X-WR-CALNAME"]) == "samverkan – Härryda"
    structure = await fetch(anonymous_client, (await links(client, "structure", "vastra-gotaland"))["https"])
    assert (
        str(Calendar.from_ical(structure.content)["X-WR-CALNAME"])
        == "samverkan – Samverkan Västra Götaland (SRO/VVG)"
    )


async def test_a_feed_answers_as_a_calendar_that_only_the_client_may_cache(client, anonymous_client):
    agreement = await create_agreement(client)
    response = await fetch(anonymous_client, (await links(client, "agreement", agreement["id"]))["https"])
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"] == "private, max-age=300"
    assert response.headers["etag"].startswith('"')
    assert response.headers["last-modified"].endswith(" GMT")
    assert (
        response.headers["content-disposition"]
        == f'inline; filename="samverkan-agreement-{agreement["id"]}.ics"'
    )


async def test_a_party_feed_has_its_own_deadlines_and_its_agreements_common_ones_only(
    client, anonymous_client
):
    # given an agreement for every party, and one that Härryda is not a party to
    every = await create_agreement(client)
    await recommend(client, every["id"])
    others = await create_agreement(client, party_codes=["1402", "14"])
    # when Härryda's feed is read
    body = (await fetch(anonymous_client, (await links(client, "party", "1401"))["https"])).content
    events = ics_events(body)
    # then it has its own decision deadline and the agreement-wide notice deadline...
    assert uid(every["id"], "decision_due:1401") in events
    assert uid(every["id"], "notice:2029-12-31") in events
    assert events[uid(every["id"], "notice:2029-12-31")].name.endswith("(alla parter)")
    # ...but no other party's deadline, nor anything of an agreement it is not party to
    assert uid(every["id"], "decision_due:1402") not in events
    assert not [u for u in events if u.startswith(f"agreement-{others['id']}-")]
    assert set(icalendar_events(body)) == set(events)


async def test_a_structure_feed_has_its_agreements_and_no_other_structures(client, anonymous_client):
    here = await create_agreement(client)
    elsewhere = await create_agreement(client, structure="orebro", title=unique("Örebroavtalet"))
    body = (
        await fetch(anonymous_client, (await links(client, "structure", "vastra-gotaland"))["https"])
    ).content
    events = ics_events(body)
    assert uid(here["id"], "notice:2029-12-31") in events
    assert not [u for u in events if u.startswith(f"agreement-{elsewhere['id']}-")]
    assert set(icalendar_events(body)) == set(events)


async def test_the_kind_filter_keeps_only_the_kinds_asked_for(client, anonymous_client):
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    url = (await links(client, "agreement", agreement["id"]))["https"]

    notices = icalendar_events((await fetch(anonymous_client, url + "&kind=notice")).content)
    both = icalendar_events((await fetch(anonymous_client, url + "&kind=notice&kind=decision_due")).content)
    everything = icalendar_events((await fetch(anonymous_client, url)).content)

    assert notices and all("-notice-" in u for u in notices)
    assert set(both) == {u for u in everything if "-notice-" in u or "-decision_due-" in u}
    assert len(both) == len(notices) + 50
    assert any("-term_end-" in u for u in everything)
    unknown = await fetch(anonymous_client, url + "&kind=birthday")
    assert unknown.status_code == 400


async def test_subscribe_links_name_the_feed_in_https_and_webcal_and_can_be_filtered(client):
    agreement = await create_agreement(client)
    first = await links(client, "agreement", agreement["id"])
    again = await links(client, "agreement", agreement["id"])
    assert first == again  # the published token is made once, then shown again
    assert first["name"] == agreement["title"]
    assert first["https"].startswith(f"{BASE}/feeds/agreements/{agreement['id']}.ics?token=svf_")
    assert first["webcal"] == "webcal://" + first["https"].removeprefix("http://")
    filtered = await client.get(f"/api/agreements/{agreement['id']}/feed?kind=notice")
    assert filtered.json()["https"] == first["https"] + "&kind=notice"
    assert (await client.get("/api/parties/9999/feed")).status_code == 404
    assert (await client.get("/api/structures/ingen-struktur/feed")).status_code == 404
    assert (await client.get("/api/agreements/999999/feed")).status_code == 404


async def test_a_feed_is_loaded_with_one_query_for_its_events_whatever_their_number(client, monkeypatch):
    # given a structure with at least one recommended agreement: 50 party deadlines and more
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    token = (await links(client, "structure", "vastra-gotaland"))["https"].split("token=")[1]
    scope = Scope(ScopeKind.STRUCTURE, "vastra-gotaland")
    await build.published_feed(scope, token)  # the first use stamps the token's last_used_at
    statements: list[str] = []
    run = type(DB).run_querystring

    async def counted(engine, querystring, *args, **kwargs):
        statements.append(str(querystring))
        return await run(engine, querystring, *args, **kwargs)

    monkeypatch.setattr(type(DB), "run_querystring", counted)  # the engine's class: it has slots
    # when the feed is built again (not the rendering kept for this data version and day)
    build.kept.clear()
    feed = await build.published_feed(scope, token)
    # then two statements ran: the token's check, and one for every event (and the data version,
    # unless this process knows it)
    statements = [sql for sql in statements if "data_version" not in sql]
    assert len(statements) == 2, statements
    assert "FROM feed_token" in statements[0] and "JOIN deadline" in statements[1]
    assert feed.body.count(b"BEGIN:VEVENT") >= 50


async def test_a_rounds_events_name_the_round_in_their_summary(client, anonymous_client):
    # given a survey round on an agreement, asking Härryda and Ale
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    title = unique("Enkät om hemsjukvård")
    opened = await client.post(
        "/api/rounds",
        json={
            "agreement_id": agreement["id"],
            "kind": "enkat",
            "title": title,
            "reply_by": "2027-02-15",
            "parties": ["1401", "1440"],
        },
    )
    assert opened.status_code == 201, opened.text
    round_id = opened.json()["id"]
    # when Härryda's feed is fetched
    response = await fetch(anonymous_client, (await links(client, "party", "1401"))["https"])
    events = icalendar_events(response.content)
    # then its reply event names the round, then the agreement and the party
    reply = events[uid(agreement["id"], f"round:{round_id}:1401")]
    assert str(reply["SUMMARY"]) == f"Sista dag att svara: {title} ({agreement['title']}) – Härryda"
    # and another deadline of the agreement still names the agreement alone
    decision = events[uid(agreement["id"], "decision_due:1401")]
    assert str(decision["SUMMARY"]) == f"Sista dag för beslut: {agreement['title']} – Härryda"
