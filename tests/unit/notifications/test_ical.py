"""The calendar feed, read back by icalendar and by the independent `ics` package."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import ics
import pytest
from icalendar import Calendar

from notifications.ical import Feed, FeedEvent, feed_etag, render_feed, webcal_url

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MODIFIED = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
LONG_SUMMARY = (
    "Sista dag för uppsägning av Hälso- och sjukvårdsavtalet för Härryda, Öckerö och Ale; se §§ 12–14"
)

NOTICE = FeedEvent(
    uid="deadline-41-notice@samverkan.example",
    day=date(2028, 6, 30),
    summary="Sista dag för uppsägning: Hälso- och sjukvårdsavtalet",
    description="Uppsägningen ska vara skriftlig och nå samtliga parter.",
    url="https://samverkan.example/overenskommelser/41",
    sequence=0,
    last_modified=MODIFIED,
    cancelled=False,
    alarm_days_before=14,
    categories=["Uppsägning"],
)
FOLLOW_UP = FeedEvent(
    uid="deadline-7-follow-up@samverkan.example",
    day=date(2027, 3, 1),
    summary="Uppföljning ett år efter ikraftträdande: Hjälpmedelsöverenskommelsen",
    description="",
    url="https://samverkan.example/overenskommelser/7",
    sequence=3,
    last_modified=datetime(2026, 10, 1, 14, 5, 7, tzinfo=STOCKHOLM),
    cancelled=False,
    alarm_days_before=None,
    categories=[],
)


def _feed(*events: FeedEvent, name: str = "Härryda kommun – tidsfrister") -> Feed:
    return Feed(name=name, events=list(events))


def _icalendar_events(body: bytes) -> dict[str, object]:
    return {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def _ics_events(body: bytes) -> dict[str, ics.Event]:
    return {e.uid: e for e in ics.Calendar(body.decode("utf-8")).events}


def _physical_lines(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n")
    lines = body[:-2].split(b"\r\n")
    assert not any(b"\n" in line or b"\r" in line for line in lines)  # no bare LF or CR anywhere
    return lines


def test_the_calendar_declares_version_scale_method_name_zone_and_refresh() -> None:
    body = render_feed(_feed(NOTICE))

    calendar = Calendar.from_ical(body)

    assert str(calendar["PRODID"]) == "-//samverkan//Tidsfrister//SV"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Härryda kommun – tidsfrister"
    assert str(calendar["NAME"]) == "Härryda kommun – tidsfrister"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Stockholm"
    assert calendar.refresh_interval == timedelta(hours=12)
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in body
    assert b"\r\nX-PUBLISHED-TTL:PT12H\r\n" in body


def test_the_refresh_interval_follows_the_feed() -> None:
    body = render_feed(replace(_feed(NOTICE), refresh_hours=6))

    assert Calendar.from_ical(body).refresh_interval == timedelta(hours=6)
    assert b"\r\nX-PUBLISHED-TTL:PT6H\r\n" in body


def test_an_event_on_2028_06_30_is_all_day_on_that_date_for_icalendar() -> None:
    event = _icalendar_events(render_feed(_feed(NOTICE)))[NOTICE.uid]

    assert event["DTSTART"].dt == date(2028, 6, 30)
    assert not isinstance(event["DTSTART"].dt, datetime)
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event["DTEND"].dt == date(2028, 7, 1)
    assert event["DTEND"].params["VALUE"] == "DATE"


def test_an_event_on_2028_06_30_is_all_day_on_that_date_for_ics() -> None:
    event = _ics_events(render_feed(_feed(NOTICE)))[NOTICE.uid]

    assert event.all_day is True
    assert event.begin.date() == date(2028, 6, 30)
    assert event.end.date() == date(2028, 7, 1)


def test_all_day_events_need_no_vtimezone_and_the_feed_names_no_tzid() -> None:
    body = render_feed(_feed(NOTICE, FOLLOW_UP))

    assert b"VTIMEZONE" not in body
    assert b"TZID" not in body


def test_an_event_carries_uid_stamp_sequence_link_status_and_transparency() -> None:
    body = render_feed(_feed(FOLLOW_UP))
    event = _icalendar_events(body)[FOLLOW_UP.uid]

    # 14:05:07 in Stockholm in October (summer time) is 12:05:07 UTC
    assert b"\r\nDTSTAMP:20261001T120507Z\r\n" in body
    assert b"\r\nLAST-MODIFIED:20261001T120507Z\r\n" in body
    assert event["DTSTAMP"].dt == datetime(2026, 10, 1, 12, 5, 7, tzinfo=UTC)
    assert event["LAST-MODIFIED"].dt == datetime(2026, 10, 1, 12, 5, 7, tzinfo=UTC)
    assert event["SEQUENCE"] == 3
    assert str(event["URL"]) == "https://samverkan.example/overenskommelser/7"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert "CATEGORIES" not in event


def test_the_description_ends_with_the_link_back() -> None:
    events = _icalendar_events(render_feed(_feed(NOTICE, FOLLOW_UP)))

    assert str(events[NOTICE.uid]["DESCRIPTION"]) == (
        "Uppsägningen ska vara skriftlig och nå samtliga parter.\n\n"
        "https://samverkan.example/overenskommelser/41"
    )
    assert str(events[FOLLOW_UP.uid]["DESCRIPTION"]) == "https://samverkan.example/overenskommelser/7"


def test_a_confirmed_event_rings_a_display_alarm_14_days_before_in_both_parsers() -> None:
    body = render_feed(_feed(NOTICE))

    (alarm,) = _icalendar_events(body)[NOTICE.uid].walk("VALARM")
    (ics_alarm,) = _ics_events(body)[NOTICE.uid].alarms

    assert b"\r\nTRIGGER:-P14D\r\n" in body
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(days=-14)
    assert str(alarm["DESCRIPTION"]) == NOTICE.summary
    assert ics_alarm.trigger == timedelta(days=-14)
    assert ics_alarm.display_text == NOTICE.summary


def test_an_alarm_zero_days_before_rings_at_the_start_of_the_day() -> None:
    body = render_feed(_feed(replace(NOTICE, alarm_days_before=0)))

    (alarm,) = _icalendar_events(body)[NOTICE.uid].walk("VALARM")
    assert b"\r\nTRIGGER:PT0S\r\n" in body
    assert alarm["TRIGGER"].dt == timedelta(0)


def test_an_event_without_alarm_days_has_no_alarm() -> None:
    body = render_feed(_feed(FOLLOW_UP))

    assert _icalendar_events(body)[FOLLOW_UP.uid].walk("VALARM") == []
    assert b"VALARM" not in body


def test_a_cancelled_event_has_status_cancelled_and_no_alarm_in_both_parsers() -> None:
    cancelled = replace(NOTICE, cancelled=True, sequence=1, last_modified=MODIFIED + timedelta(days=2))

    body = render_feed(_feed(cancelled))

    event = _icalendar_events(body)[NOTICE.uid]
    assert str(event["STATUS"]) == "CANCELLED"
    assert event.walk("VALARM") == []
    assert b"VALARM" not in body
    ics_event = _ics_events(body)[NOTICE.uid]
    assert ics_event.status == "CANCELLED"
    assert ics_event.alarms == []


def test_events_are_sorted_by_day_then_uid() -> None:
    same_day = replace(NOTICE, uid="deadline-40-notice@samverkan.example")

    calendar = Calendar.from_ical(render_feed(_feed(NOTICE, FOLLOW_UP, same_day)))

    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [
        "deadline-7-follow-up@samverkan.example",
        "deadline-40-notice@samverkan.example",
        "deadline-41-notice@samverkan.example",
    ]


def test_the_same_events_in_any_order_render_the_same_bytes_and_etag() -> None:
    first = render_feed(_feed(NOTICE, FOLLOW_UP))
    second = render_feed(_feed(FOLLOW_UP, NOTICE))

    assert first == second
    assert feed_etag(first) == feed_etag(second)


def test_the_uid_is_the_given_one_in_every_render() -> None:
    renders = [render_feed(_feed(NOTICE)), render_feed(_feed(FOLLOW_UP, replace(NOTICE, sequence=5)))]

    for body in renders:
        assert NOTICE.uid in _icalendar_events(body)
        assert NOTICE.uid in _ics_events(body)


def test_a_changed_event_shows_a_higher_sequence_a_later_last_modified_and_a_new_etag() -> None:
    before = render_feed(_feed(NOTICE))
    moved = replace(
        NOTICE, day=date(2028, 7, 3), sequence=1, last_modified=datetime(2027, 1, 2, 8, tzinfo=UTC)
    )

    after = render_feed(_feed(moved))

    old, new = _icalendar_events(before)[NOTICE.uid], _icalendar_events(after)[NOTICE.uid]
    assert (old["SEQUENCE"], new["SEQUENCE"]) == (0, 1)
    assert old["LAST-MODIFIED"].dt == datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert new["LAST-MODIFIED"].dt == datetime(2027, 1, 2, 8, tzinfo=UTC)
    assert new["DTSTAMP"].dt == datetime(2027, 1, 2, 8, tzinfo=UTC)
    assert new["DTSTART"].dt == date(2028, 7, 3)
    assert feed_etag(before) != feed_etag(after)


def test_every_physical_line_is_at_most_75_octets() -> None:
    event = replace(
        NOTICE,
        summary=LONG_SUMMARY,
        description="Överenskommelsen löper ut 2029-12-31; uppsägning ska ske skriftligen. " * 5,
        categories=["Uppsägning", "Hälso- och sjukvård", "Västra Götaland", "Region Västra Götaland"],
    )

    body = render_feed(_feed(event, name="Tidsfrister för Göteborgsregionens kommunalförbund – " * 3))

    lengths = [len(line) for line in _physical_lines(body)]
    assert max(lengths) == 75
    assert sum(1 for line in _physical_lines(body) if line.startswith(b" ")) >= 8


def test_a_long_swedish_summary_round_trips_exactly_in_both_parsers() -> None:
    body = render_feed(_feed(replace(NOTICE, summary=LONG_SUMMARY)))

    assert str(_icalendar_events(body)[NOTICE.uid]["SUMMARY"]) == LONG_SUMMARY
    assert _ics_events(body)[NOTICE.uid].name == LONG_SUMMARY
    # 74 octets, not 75: the 75th is the first of the two octets of "ä", which moves to the next line
    assert (
        "\r\nSUMMARY:Sista dag för uppsägning av Hälso- och sjukvårdsavtalet för H\r\n"
        " ärryda\\, Öckerö och Ale\\; se §§ 12–14\r\n".encode()
    ) in body
    assert len("SUMMARY:Sista dag för uppsägning av Hälso- och sjukvårdsavtalet för H".encode()) == 74


def test_commas_semicolons_backslashes_and_newlines_are_escaped_and_round_trip() -> None:
    summary = r"Remissvar: ÄO, SoL; dnr KS 2022\123"
    description = "Första raden, med komma; och semikolon.\nAndra raden\r\nTredje raden\\slut"
    body = render_feed(_feed(replace(NOTICE, summary=summary, description=description)))

    assert b"\r\nSUMMARY:Remissvar: \xc3\x84O\\, SoL\\; dnr KS 2022\\\\123\r\n" in body
    expected_description = (
        "Första raden, med komma; och semikolon.\nAndra raden\nTredje raden\\slut\n\n"
        "https://samverkan.example/overenskommelser/41"
    )
    event = _icalendar_events(body)[NOTICE.uid]
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == expected_description
    ics_event = _ics_events(body)[NOTICE.uid]
    assert ics_event.name == summary
    assert ics_event.description == expected_description


def test_control_characters_from_pasted_text_are_dropped_but_tabs_kept() -> None:
    body = render_feed(_feed(replace(NOTICE, summary="Avtal\x0b om\x0c\thjälpmedel\x00")))

    assert str(_icalendar_events(body)[NOTICE.uid]["SUMMARY"]) == "Avtal om\thjälpmedel"


def test_categories_are_one_property_with_their_commas_escaped() -> None:
    body = render_feed(_feed(replace(NOTICE, categories=["Uppsägning", "Hälso, sjukvård"])))

    assert b"\r\nCATEGORIES:Upps\xc3\xa4gning,H\xc3\xa4lso\\, sjukv\xc3\xa5rd\r\n" in body
    assert _icalendar_events(body)[NOTICE.uid]["CATEGORIES"].cats == ["Uppsägning", "Hälso, sjukvård"]
    assert _ics_events(body)[NOTICE.uid].categories == {"Uppsägning", "Hälso, sjukvård"}


def test_an_empty_feed_is_a_valid_calendar_without_events() -> None:
    body = render_feed(_feed())

    assert Calendar.from_ical(body).walk("VEVENT") == []
    assert len(ics.Calendar(body.decode()).events) == 0


def test_a_naive_last_modified_is_refused() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        render_feed(_feed(replace(NOTICE, last_modified=datetime(2026, 11, 23, 9, 30))))


def test_a_negative_alarm_is_refused() -> None:
    with pytest.raises(ValueError, match="must be a number of days, not negative"):
        render_feed(_feed(replace(NOTICE, alarm_days_before=-1)))


def test_a_url_with_a_line_break_is_refused() -> None:
    with pytest.raises(ValueError, match="control characters"):
        render_feed(_feed(replace(NOTICE, url="https://samverkan.example/\r\nX-EVIL:1")))


def test_the_etag_is_a_quoted_strong_tag_of_the_bytes() -> None:
    assert feed_etag(b"") == '"e3b0c44298fc1c149afbf4c8996fb924"'  # SHA-256 of nothing
    assert feed_etag(b"BEGIN:VCALENDAR") != feed_etag(b"BEGIN:VCALENDAR ")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://samverkan.example/kalender/part/1401.ics",
            "webcal://samverkan.example/kalender/part/1401.ics",
        ),
        ("http://127.0.0.1:8000/kalender/a/7.ics?t=abc", "webcal://127.0.0.1:8000/kalender/a/7.ics?t=abc"),
        ("HTTPS://samverkan.example/k.ics", "webcal://samverkan.example/k.ics"),
    ],
)
def test_webcal_url_swaps_the_http_scheme(url: str, expected: str) -> None:
    assert webcal_url(url) == expected


@pytest.mark.parametrize(
    "url", ["ftp://samverkan.example/k.ics", "samverkan.example/k.ics", "webcal://x/k.ics"]
)
def test_webcal_url_refuses_anything_but_http(url: str) -> None:
    with pytest.raises(ValueError, match="not an http"):
        webcal_url(url)
