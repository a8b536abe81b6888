"""A feed from its rows: each deadline as an all-day event, rendered by `notifications.ical`.

An event's UID is the agreement id and the deadline's key (`lifecycle.rules.deadlines`: the key
names the deadline's cause), so a deadline that moves keeps its UID, and SEQUENCE (bumped by
`lifecycle.store.refresh` on every change) tells calendars which version is newer. A deadline that
goes away stays in the feed as STATUS:CANCELLED for CANCELLED_KEPT, long enough for every
subscriber to have polled it (calendars poll hourly to daily) without feeds growing for ever.

A feed is a function of the data version, the day, and the token that opened it (its scope and
the kinds asked for), so a rendered feed is kept under exactly that (`_kept`): calendar programs
poll the same feeds all day, and a change anywhere moves the data version (revoking or rotating
a token too: each is audited). The token is part of the key: a feed is only ever given again to
the token that opened it, never to another token of the same scope. The cancelled events kept
are counted from the day's start, so the feed does not change within a day.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from operator import itemgetter

from core.clock import STOCKHOLM, today
from core.db import data_version
from core.kept import Kept
from core.settings import get_settings
from lifecycle.rules.deadlines import DeadlineKind
from lifecycle.tables import StoredDeadline
from notifications.feeds import queries
from notifications.feeds.scopes import CALENDAR_PREFIX, Scope, ScopeKind
from notifications.feeds.tokens import OpenedFeed, open_feed, stamp_use, token_hash
from notifications.ical import FeedEvent, feed_etag, render_calendar, render_events
from notifications.messages import KIND_SV, agreement_url

UID_DOMAIN = "samverkan"
# Not from DOMAIN.md: long enough for a calendar polled weekly to see the cancellation many times.
CANCELLED_KEPT = timedelta(days=90)
# The alarm ahead of each deadline, in days: a month for what needs a decision or preparation by
# the whole organisation (a notice must be decided by the bodies first), a week for a body's own
# deadlines and meetings, the day itself for a decision becoming final (check for an appeal). The
# e-mail reminders (lifecycle.rules.reminders) start earlier; an alarm is the last nudge.
ALARM_DAYS = {
    DeadlineKind.NOTICE: 30,
    DeadlineKind.TERM_END: 30,
    DeadlineKind.FOLLOW_UP_IMPLEMENTATION: 30,
    DeadlineKind.FOLLOW_UP_ANNUAL: 30,
    DeadlineKind.CONSULTATION_REPLY: 7,
    DeadlineKind.DECISION_DUE: 7,
    DeadlineKind.LEGALLY_FINAL: 0,
    DeadlineKind.PLANNED_MEETING: 7,
    DeadlineKind.ROUND_REPLY: 7,
    DeadlineKind.ROUND_LATE: 0,
    DeadlineKind.ROUND_ANSWERED: None,  # answered: nothing to be reminded of
    DeadlineKind.DISPUTE_REPLY: 7,
}
_ALARM = {kind.value: days for kind, days in ALARM_DAYS.items()}  # by the stored str: no enum per row
_WHAT = {kind.value: words for kind, words in KIND_SV.items()}
ALL_PARTIES = "alla parter"
PERSONAL_NAME = "mina tidsfrister"


@dataclass(frozen=True, slots=True)
class RenderedFeed:
    body: bytes
    etag: str
    last_modified: datetime | None  # the newest event's; None for a feed without events


def uid(agreement_id: int | None, key: str, structure_id: int | None = None) -> str:
    """The event's UID: "agreement-12-notice-2029-12-31@samverkan" for the key "notice:2029-12-31";
    a structure's deadline (no agreement): "structure-3-round-41-1880@samverkan"."""
    owner = f"agreement-{agreement_id}" if agreement_id is not None else f"structure-{structure_id}"
    return f"{owner}-{key.replace(':', '-')}@{UID_DOMAIN}"


def summary(kind: str, agreement_title: str, party: str | None, round_title: str | None = None) -> str:
    """What and for whom: "Sista dag för uppsägning: Hälso- och sjukvårdsavtalet (alla parter)"; a
    round's deadline names the round, its agreement after it: "Sista dag att svara: Remiss om
    hemsjukvård (Hälso- och sjukvårdsavtalet) – Härryda"."""
    what = _WHAT.get(kind, kind)
    subject = f"{round_title} ({agreement_title})" if round_title else agreement_title
    return f"{what}: {subject} – {party}" if party else f"{what}: {subject} ({ALL_PARTIES})"


def event(row: Mapping, base_url: str) -> FeedEvent:
    code = row["party_code"]
    party = (row["party_name"] or code) if code else None
    whom = f"{party} ({code})" if code else ALL_PARTIES
    if row["agreement"] is None:  # a structure's deadline: a round of the whole structure
        about, where = row["structure_name"], f"Samverkansstruktur: {row['structure_name']}"
        url, key = f"{base_url}/structures/{row['structure_slug']}", uid(None, row["key"], row["structure"])
    else:
        about, where = row["agreement_title"], f"Överenskommelse: {row['agreement_title']}"
        url, key = agreement_url(base_url, row["agreement"]), uid(row["agreement"], row["key"])
    return FeedEvent(
        uid=key,
        day=row["due"],
        summary=summary(row["kind"], about, party, row["round_title"]),
        description=f"{row['title']}\nGäller: {whom}\n{where}",
        url=url,
        sequence=row["sequence"],
        last_modified=row["modified"],
        cancelled=row["cancelled"],
        alarm_days_before=_ALARM.get(row["kind"], 7),
    )


def calendar_name(scope: Scope, name: str) -> str:
    return CALENDAR_PREFIX + (PERSONAL_NAME if scope.kind is ScopeKind.USER else name)


class RenderedEvents:
    """Each row's rendered VEVENT (with its day and UID, the feed's order), by BASE_URL and the
    row's values: an event's bytes are a function of those alone, so a feed rendered
    again after a change renders only the events whose rows changed, and feeds sharing a deadline
    (a party's, its structure's) render it once. At most `limit` bytes, counting each entry's
    overhead; when full it starts afresh (cheaper than ordering every use)."""

    OVERHEAD = 400  # the key tuple and the entry, about (sys.getsizeof, measured)

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._events: dict[tuple, tuple[date, str, bytes]] = {}

    def get(self, key: tuple) -> tuple[date, str, bytes] | None:
        return self._events.get(key)

    def put(self, key: tuple, entry: tuple[date, str, bytes]) -> None:
        cost = len(entry[2]) + self.OVERHEAD
        if self.size + cost > self.limit:
            self.clear()
        self._events[key] = entry
        self.size += cost

    def clear(self) -> None:
        self._events.clear()
        self.size = 0


# 24 MiB: a national-scale party feed's 7,000 events are 5.3 MB
rendered_events = RenderedEvents(24 * 1024 * 1024)


def render(name: str, rows: Sequence[Mapping], base_url: str) -> RenderedFeed:
    """The feed of these rows: the same bytes as `render_feed` of their events, each event
    rendered only if no row with the same values was rendered before (`rendered_events`)."""
    base = base_url.rstrip("/")
    keys = [(base, *r.values()) for r in rows]  # a record's values, as a dict's
    entries = [rendered_events.get(key) for key in keys]
    missing = [i for i, entry in enumerate(entries) if entry is None]
    if missing:
        events = [event(rows[i], base) for i in missing]
        for i, made, body in zip(missing, events, render_events(events), strict=True):
            entries[i] = (made.day, made.uid, body)
            rendered_events.put(keys[i], entries[i])
    entries.sort(key=_ORDER)  # stable, as render_feed's sort of the same events in the same order
    body = render_calendar(name, [entry[2] for entry in entries])
    last = max((r["modified"] for r in rows), default=None)
    return RenderedFeed(body=body, etag=feed_etag(body), last_modified=last)


_ORDER = itemgetter(0, 1)  # by day, then UID


async def build_feed(opened: OpenedFeed, kinds: Sequence[str] = ()) -> RenderedFeed:
    """The feed a token opened, as it is now: one query, then rendering."""
    since = datetime.combine(today() - CANCELLED_KEPT, time.min, STOCKHOLM)
    rows = await queries.feed_rows(opened.scope, since=since, kinds=kinds)
    return render(calendar_name(opened.scope, opened.name), rows, get_settings().base_url)


async def published_feed(scope: Scope, token: str, kinds: Sequence[str] = ()) -> RenderedFeed:
    """A party's, an agreement's or a structure's feed, if `token` opens it (else FEED_NOT_FOUND)."""
    return await _kept(scope.kind, scope.key, token, kinds)


async def personal_feed(token: str, kinds: Sequence[str] = ()) -> RenderedFeed:
    """The feed of what the token's user is responsible for (else FEED_NOT_FOUND)."""
    return await _kept(ScopeKind.USER, None, token, kinds)


# 64 MiB: a dozen national-scale party feeds, or hundreds of agreements' (measured: Härryda's
# 6,890 events are 5.3 MB)
kept: Kept[tuple, tuple[OpenedFeed, RenderedFeed]] = Kept(64 * 1024 * 1024, size=lambda f: len(f[1].body))
_working: dict[tuple, asyncio.Lock] = {}


async def _kept(kind: ScopeKind, key: str | None, token: str, kinds: Sequence[str]) -> RenderedFeed:
    """The feed `token` opens, rendered once per data version and day (readers asking at once for
    one not yet kept wait for the one rendering it); the token's use is still stamped."""
    version = await data_version(StoredDeadline._meta.db)
    wanted = (version, today(), kind, key, token_hash(token), tuple(kinds))
    found = kept.get(wanted)
    if found is None:
        lock = _working.setdefault(wanted, asyncio.Lock())
        try:
            async with lock:
                found = kept.get(wanted)
                if found is None:
                    opened = await open_feed(kind, key, token)
                    found = (opened, await build_feed(opened, kinds))
                    kept.put(wanted, found)
                    return found[1]
        finally:
            if not lock.locked() and _working.get(wanted) is lock:
                del _working[wanted]
    opened, feed = found
    stamped = await stamp_use(opened.token_id, opened.last_used_at)
    if stamped is not opened.last_used_at:
        kept.replace(wanted, (replace(opened, last_used_at=stamped), feed))
    return feed
