"""Content-line escaping and folding, octet by octet, and for any text hypothesis can think of."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import ics
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from notifications.ical import Feed, FeedEvent, render_feed
from notifications.ical_text import all_day, escape_text, fold, format_date, format_utc

EVENT = FeedEvent(
    uid="deadline-1@samverkan.example",
    day=date(2028, 6, 30),
    summary="",
    description="",
    url="https://samverkan.example/overenskommelser/1",
    sequence=0,
    last_modified=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
    alarm_days_before=7,
)


def test_a_line_of_exactly_75_octets_stays_whole() -> None:
    line = "X:" + "a" * 73

    assert fold(line) == line.encode()


def test_a_line_of_76_octets_folds_after_75_and_the_next_starts_with_a_space() -> None:
    assert fold("X:" + "a" * 74) == ("X:" + "a" * 73 + "\r\n a").encode()


def test_continuation_lines_hold_74_octets_after_their_space() -> None:
    folded = fold("X:" + "a" * 73 + "b" * 74 + "c" * 10)

    assert folded.decode().split("\r\n") == ["X:" + "a" * 73, " " + "b" * 74, " " + "c" * 10]


def test_a_fold_never_splits_the_two_octets_of_a_swedish_letter() -> None:
    # "ö" would take octets 75 and 76: it moves whole to the next line
    assert fold("X:" + "a" * 72 + "ö" + "z").decode().split("\r\n") == ["X:" + "a" * 72, " öz"]


def test_a_fold_never_splits_a_four_octet_character() -> None:
    assert fold("X:" + "a" * 71 + "🗓" + "z").decode().split("\r\n") == ["X:" + "a" * 71, " 🗓z"]


def test_a_fold_never_separates_a_backslash_from_the_character_it_escapes() -> None:
    assert fold("X:" + "a" * 72 + "\\,b").decode().split("\r\n") == ["X:" + "a" * 72, " \\,b"]


def test_a_fold_may_follow_a_complete_escaped_backslash() -> None:
    assert fold("X:" + "a" * 71 + "\\\\b").decode().split("\r\n") == ["X:" + "a" * 71 + "\\\\", " b"]


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Hälso- och sjukvård", "Hälso- och sjukvård"),
        ("a, b; c", "a\\, b\\; c"),
        ("C:\\avtal", "C:\\\\avtal"),
        ("rad 1\nrad 2", "rad 1\\nrad 2"),
        ("rad 1\r\nrad 2\rrad 3", "rad 1\\nrad 2\\nrad 3"),
        ('kolon: och citat "så"', 'kolon: och citat "så"'),
        ("tab\tkvar, vt\x0bbort", "tab\tkvar\\, vtbort"),
    ],
)
def test_text_escaping_follows_rfc_5545(text: str, escaped: str) -> None:
    assert escape_text(text) == escaped


def test_dates_and_instants_are_written_in_their_basic_forms() -> None:
    assert format_date(date(2028, 6, 30)) == b"20280630"
    assert format_date(date(987, 1, 2)) == b"09870102"
    stockholm_winter = datetime(2027, 1, 15, 0, 30, 59, 999_999, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert format_utc(stockholm_winter) == b"20270114T233059Z"
    assert all_day(date(2028, 12, 31)) == b"DTSTART;VALUE=DATE:20281231\r\nDTEND;VALUE=DATE:20290101"


# Text as people paste it: any character but surrogates (not encodable) and CR (normalised to LF).
_any_text = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\r"), max_size=300)


def _as_calendar_text(text: str) -> str:
    """What a calendar shows of `text`: the control characters TEXT cannot hold are gone."""
    return "".join(c for c in text if c in "\n\t" or not (ord(c) < 0x20 or ord(c) == 0x7F))


def _unescape_text(raw: str) -> str:
    r"""RFC 5545 3.3.11 read back: "\\", "\;", "\," and "\n" (or "\N")."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


@settings(max_examples=300, deadline=None)
@given(summary=_any_text, category=_any_text.filter(lambda s: s.strip()))
def test_any_text_round_trips_through_icalendar_and_lines_stay_within_75_octets(
    summary: str, category: str
) -> None:
    body = render_feed(Feed(name=summary, events=[replace(EVENT, summary=summary, categories=[category])]))

    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    calendar = Calendar.from_ical(body)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == _as_calendar_text(summary)
    # icalendar keeps NAME and X-WR-CALNAME as it found them (unknown types to it); both are TEXT
    # (RFC 7986 5.1, RFC 5545 3.8.8.2), so a client reading them as TEXT gets the name back
    assert _unescape_text(str(calendar["NAME"])) == _as_calendar_text(summary)
    assert _unescape_text(str(calendar["X-WR-CALNAME"])) == _as_calendar_text(summary)
    assert event["CATEGORIES"].cats == [_as_calendar_text(category)]


@settings(max_examples=200, deadline=None)
@given(
    summary=st.text(st.sampled_from("aåäöÅÄÖé,;\\\n :§–🗓"), max_size=200),
    alarm=st.integers(min_value=0, max_value=400),
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
)
def test_swedish_text_with_every_special_character_round_trips_through_ics(
    summary: str, alarm: int, day: date
) -> None:
    body = render_feed(
        Feed(name="x", events=[replace(EVENT, summary=summary, day=day, alarm_days_before=alarm)])
    )

    (event,) = ics.Calendar(body.decode()).events
    assert event.name == summary
    assert event.begin.date() == day
    assert event.alarms[0].trigger == -timedelta(days=alarm)
