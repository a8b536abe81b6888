"""How long a party's calendar feed of 5,000 deadlines takes to render. Run by hand:

    .venv/bin/python bench/feed_bench.py [--events 5000] [--runs 21] [--no-reference] [--no-check]

Prints the median (and min/max) of `render_feed` over the runs, the size, and the ETag's cost;
then the same feed built with `icalendar`'s own API and `to_ical()` (the reference, timed over
fewer runs: it is why `notifications.ical_text` exists); then checks that both parsers read our
bytes back, and that they decode to exactly what icalendar's reference rendering decodes to.
Target: render under 100 ms on the build machine; 62 ms there (2 CPUs, load 0.7, 2026-11-23).
The whole build, with the database query, is bench/feed_route_bench.py.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import ics
from icalendar import Alarm, Calendar, Event, vDuration
from ics.grammar.parse import GRAMMAR

from notifications.ical import Feed, FeedEvent, description_with_link, feed_etag, render_feed

AGREEMENTS = [
    "Hälso- och sjukvårdsavtalet",
    "Överenskommelse om samverkan kring personer med psykisk funktionsnedsättning",
    "Hjälpmedelsöverenskommelsen",
    "Överenskommelse om logopedi och fotvård",
    "Riktlinje för samordnad individuell plan (SIP)",
    "Överenskommelse om ungdomsmottagningar",
    "Tilläggsöverenskommelse om läkemedel i särskilt boende",
    "Överenskommelse om barn och unga med psykisk ohälsa; bilaga 2",
]
DEADLINES = [
    ("Sista dag för uppsägning", "Uppsägning", 30),
    ("Uppföljning ett år efter ikraftträdande", "Uppföljning", 14),
    ("Årlig uppföljning", "Uppföljning", 14),
    ("Sista dag för remissvar", "Remiss", 7),
    ("Beslut i kommunfullmäktige senast", "Beslut", None),
]


def party_feed(events: int, seed: int = 4) -> Feed:
    """A feed like Härryda's would be with `events` deadlines: Swedish text, commas and
    semicolons, a few cancelled, most with an alarm."""
    rng = random.Random(seed)
    result = []
    for n in range(events):
        title = rng.choice(AGREEMENTS)
        kind, category, alarm = rng.choice(DEADLINES)
        result.append(
            FeedEvent(
                uid=f"deadline-{n}@samverkan.example",
                day=date(2026, 1, 1) + timedelta(days=rng.randrange(3 * 365)),
                summary=f"{kind}: {title}",
                description=(
                    f"{kind} för {title}, Härryda kommun.\n"
                    "Beslutet ska fattas av kommunfullmäktige; protokollet ska justeras och anslås."
                ),
                url=f"https://samverkan.example/overenskommelser/{n // 3}",
                sequence=rng.randrange(4),
                last_modified=datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
                - timedelta(minutes=rng.randrange(10**6)),
                cancelled=rng.random() < 0.05,
                alarm_days_before=alarm,
                categories=[category, "Härryda"],
            )
        )
    return Feed(name="Härryda kommun – tidsfrister", events=result)


def render_with_icalendar(feed: Feed) -> bytes:
    """The reference: the same feed through icalendar's API (the module's first version)."""
    calendar = Calendar()
    calendar.add("prodid", "-//samverkan//Tidsfrister//SV")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", feed.name)
    calendar.add("x-wr-calname", feed.name)
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    refresh = timedelta(hours=feed.refresh_hours)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    for e in sorted(feed.events, key=lambda e: (e.day, e.uid)):
        modified = e.last_modified.astimezone(UTC).replace(microsecond=0)
        event = Event()
        for name, value in [
            ("uid", e.uid),
            ("dtstamp", modified),
            ("last-modified", modified),
            ("sequence", e.sequence),
            ("dtstart", e.day),
            ("dtend", e.day + timedelta(days=1)),
            ("summary", e.summary),
            ("description", description_with_link(e.description, e.url)),
            ("url", e.url),
            ("categories", list(e.categories)),
            ("status", "CANCELLED" if e.cancelled else "CONFIRMED"),
            ("transp", "TRANSPARENT"),
        ]:
            event.add(name, value)
        if e.alarm_days_before is not None and not e.cancelled:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -timedelta(days=e.alarm_days_before))
            alarm.add("description", e.summary)
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()


def timed(work: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return times


def decoded(body: bytes) -> list[tuple[dict[str, object], list[dict[str, object]]]]:
    """Every event as icalendar decodes it: its properties and its alarms' properties."""

    def props(component: Any) -> dict[str, object]:
        return {name: component.decoded(name) for name in component}

    return [(props(e), [props(a) for a in e.walk("VALARM")]) for e in Calendar.from_ical(body).walk("VEVENT")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--no-reference", action="store_true", help="skip the icalendar timing")
    parser.add_argument("--no-check", action="store_true", help="skip parsing the feed back")
    args = parser.parse_args()

    # a busy machine stretches every figure below; say how busy it was
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    feed = party_feed(args.events)
    body = render_feed(feed)
    times = timed(lambda: render_feed(feed), args.runs)
    etag = timed(lambda: feed_etag(body), args.runs)
    print(f"render_feed, {args.events} events, {args.runs} runs: median {statistics.median(times):.1f} ms")
    print(f"  min {min(times):.1f} ms, max {max(times):.1f} ms; {len(body):,} bytes")
    print(f"feed_etag: median {statistics.median(etag):.1f} ms")

    if not args.no_reference:
        runs = max(3, args.runs // 7)
        reference_times = timed(lambda: render_with_icalendar(feed), runs)
        median = statistics.median(reference_times)
        print(f"icalendar {icalendar.__version__} Calendar.to_ical(), {runs} runs: median {median:.0f} ms")

    if not args.no_check:
        # ics 0.7's TatSu grammar calls colorama.init() on every line unless told not to colour;
        # a feed this size would wrap sys.stdout past the recursion limit
        GRAMMAR.config = dataclasses.replace(GRAMMAR.config, colorize=False)
        start = time.perf_counter()
        assert decoded(body) == decoded(render_with_icalendar(feed)), "differs from icalendar's rendering"
        assert len(ics.Calendar(body.decode()).events) == args.events
        assert all(len(line) <= 75 for line in body.split(b"\r\n"))
        took = time.perf_counter() - start
        print(f"check passed ({took:.1f} s): icalendar decodes the feed as it does its own rendering,")
        print(f"  ics reads all {args.events} events, every line is 75 octets or fewer")


if __name__ == "__main__":
    main()
