"""iCalendar (RFC 5545) feeds of deadlines, for Outlook, Google Calendar and Apple Calendar (pure).

Every deadline is a calendar date, so every event is all-day: `DTSTART;VALUE=DATE` and `DTEND` the
next day. DATE values carry no time zone (RFC 5545 3.3.4), so the feed uses no `TZID` and therefore
needs no `VTIMEZONE` (one is required only per `TZID` used, 3.2.19). `X-WR-TIMEZONE` still tells
Google and Apple to show the feed in Stockholm time; `DTSTAMP`/`LAST-MODIFIED` are UTC.

The bytes are deterministic: events sorted by day then UID, properties in a fixed order, and
`DTSTAMP` = the event's `last_modified`. RFC 5545 3.8.7.2 makes DTSTAMP, under a METHOD, the time
the object was created; we take that to be when this version of the event came to be, not when
the request came in, so that an unchanged feed keeps its bytes and its `ETag`, and clients polling
with `If-None-Match` cost us a hash. Clients order versions by SEQUENCE, then DTSTAMP, so both
grow on every change. The content lines are written by `notifications.ical_text` (why not
`icalendar`'s serializer: see there).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter
from typing import Any

from notifications.ical_text import all_day, escape_text, escape_text_list, fold, format_utc, uri

PRODID = "-//samverkan//Tidsfrister//SV"
# Deadlines are dates that move seldom and are announced months ahead; twice a day is plenty.
# Google and Outlook poll on their own schedule anyway; Apple Calendar honours REFRESH-INTERVAL.
DEFAULT_REFRESH_HOURS = 12


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which made building
# the 5,000 events of bench/feed_route_bench.py's feed 9 ms slower (measured). Treat it as a value.
@dataclass(slots=True)
class FeedEvent:
    """One deadline as it appears in a calendar. `uid` must stay the same for the same deadline;
    `sequence` and `last_modified` must grow whenever anything shown about it changes."""

    uid: str
    day: date
    summary: str
    description: str
    url: str
    sequence: int
    last_modified: datetime  # aware
    cancelled: bool = False
    alarm_days_before: int | None = None
    categories: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Feed:
    name: str
    events: Sequence[FeedEvent] = field(default_factory=tuple)
    refresh_hours: int = DEFAULT_REFRESH_HOURS


def render_feed(feed: Feed) -> bytes:
    """The feed as an iCalendar document: UTF-8, CRLF line ends, lines folded at 75 octets."""
    ordered = sorted(feed.events, key=attrgetter("day", "uid"))
    return render_calendar(feed.name, render_events(ordered), feed.refresh_hours)


def render_calendar(name: str, events: Sequence[bytes], refresh_hours: int = DEFAULT_REFRESH_HOURS) -> bytes:
    """The calendar around its events, already rendered (`render_events`) and in their order (by
    day, then UID): what `render_feed` gives for the same events."""
    if refresh_hours < 1:
        raise ValueError(f"refresh_hours must be at least 1, got {refresh_hours}")
    escaped = escape_text(name)
    head = (
        b"BEGIN:VCALENDAR",
        b"PRODID:" + PRODID.encode(),
        b"VERSION:2.0",
        b"CALSCALE:GREGORIAN",
        b"METHOD:PUBLISH",
        fold(f"NAME:{escaped}"),  # RFC 7986
        fold(f"X-WR-CALNAME:{escaped}"),  # what Outlook, Google and Apple read
        b"X-WR-TIMEZONE:Europe/Stockholm",
        b"REFRESH-INTERVAL;VALUE=DURATION:PT%dH" % refresh_hours,  # RFC 7986
        b"X-PUBLISHED-TTL:PT%dH" % refresh_hours,  # Outlook's name for it
    )
    return b"\r\n".join((*head, *events, b"END:VCALENDAR", b""))


def render_events(events: Sequence[FeedEvent]) -> list[bytes]:
    """Each event's VEVENT, in the order given. An event's bytes depend on the event alone, so a
    caller may keep them (`notifications.feeds.build` does, per row)."""
    # Events of one feed share their summaries (an agreement's deadlines of one kind) and their
    # stamps (deadlines refreshed together): each is escaped, folded or formatted once per call.
    summaries, stamps = _Memo(_summary_lines), _Memo(format_utc)
    return [_vevent(event, summaries, stamps) for event in events]


class _Memo(dict):
    """What `make` gives for each key, made on first use: for one render, never kept."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: object) -> Any:
        value = self[key] = self.make(key)
        return value


def _summary_lines(summary: str) -> tuple[bytes, bytes]:
    """The event's SUMMARY line and its alarm's DESCRIPTION line (the alarm shows the summary)."""
    escaped = escape_text(summary)
    return fold("SUMMARY:" + escaped), fold("DESCRIPTION:" + escaped)


# One VEVENT, unfolded lines from `fold` and `all_day` filled in. Bytes %-formatting is one C call;
# this is the loop of a 5,000-event feed. TRANSP:TRANSPARENT: a deadline makes no one busy.
_VEVENT = (
    b"BEGIN:VEVENT\r\n"
    b"%b\r\n"  # UID
    b"DTSTAMP:%b\r\n"
    b"LAST-MODIFIED:%b\r\n"
    b"SEQUENCE:%d\r\n"
    b"%b\r\n"  # DTSTART, DTEND
    b"%b\r\n"  # SUMMARY
    b"%b\r\n"  # DESCRIPTION
    b"%b"  # URL
    b"%b\r\n"  # CATEGORIES, when there are any
    b"STATUS:%b\r\n"
    b"TRANSP:TRANSPARENT"
    b"%b\r\n"  # VALARM, unless cancelled or not wanted
    b"END:VEVENT"
)
_VALARM = b"\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:%b\r\n%b\r\nEND:VALARM"


def _vevent(event: FeedEvent, summaries: _Memo, stamps: _Memo) -> bytes:
    modified = stamps[event.last_modified]
    summary, alarm_description = summaries[event.summary]
    description = escape_text(description_with_link(event.description, event.url))
    categories = (
        b"\r\n" + fold("CATEGORIES:" + escape_text_list(event.categories)) if event.categories else b""
    )
    # a cancelled deadline rings no alarm
    alarm = b"" if event.cancelled or event.alarm_days_before is None else _valarm(event, alarm_description)
    return _VEVENT % (
        fold("UID:" + escape_text(event.uid)),
        modified,
        modified,
        event.sequence,
        all_day(event.day),
        summary,
        fold("DESCRIPTION:" + description),
        fold("URL:" + uri(event.url)),
        categories,
        b"CANCELLED" if event.cancelled else b"CONFIRMED",
        alarm,
    )


def _valarm(event: FeedEvent, description: bytes) -> bytes:
    days = event.alarm_days_before
    if days is None or days < 0:
        raise ValueError(f"alarm_days_before of {event.uid} must be a number of days, not negative")
    # RFC 5545 3.3.6 dur-day, relative to DTSTART: midnight starting the deadline's day, local time
    trigger = b"-P%dD" % days if days else b"PT0S"
    return _VALARM % (trigger, description)


def description_with_link(description: str, url: str) -> str:
    """The description, ending with the link back (clients that hide URL still show it)."""
    return f"{description.rstrip()}\n\n{url}" if description.strip() else url


def feed_etag(body: bytes) -> str:
    """A strong ETag for a rendered feed: the same bytes give the same tag."""
    # 128 bits of SHA-256: collisions are out of reach; the full digest would only lengthen headers.
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def webcal_url(url: str) -> str:
    """The `webcal://` form of an http(s) feed URL: clicking it offers to subscribe."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url!r}")
    return f"webcal://{rest}"
