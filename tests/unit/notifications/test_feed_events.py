"""Deadline rows as calendar events, and feed URLs as scopes (pure parts of notifications.feeds)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.errors import InvalidInput, NotFound
from notifications.feeds.build import calendar_name, event, render, summary, uid
from notifications.feeds.scopes import Scope, ScopeKind, parse_scope, scope_from_file, token_from_file

MODIFIED = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
ROW = {
    "agreement": 12,
    "key": "notice:2028-06-30",
    "kind": "notice",
    "due": date(2028, 6, 30),
    "party_code": None,
    "title": "Sista dag att skriftligen säga upp överenskommelsen till 2029-12-31",
    "cancelled": False,
    "sequence": 2,
    "modified": MODIFIED,
    "agreement_title": "Hälso- och sjukvårdsavtalet",
    "party_name": None,
    "round_title": None,
}


def test_the_uid_is_the_agreement_and_the_deadline_key() -> None:
    assert uid(12, "notice:2028-06-30") == "agreement-12-notice-2028-06-30@samverkan"
    assert uid(7, "final:1401:33") == "agreement-7-final-1401-33@samverkan"


def test_the_summary_says_what_and_for_whom_in_swedish() -> None:
    assert (
        summary("notice", "Hälso- och sjukvårdsavtalet", None)
        == "Sista dag för uppsägning: Hälso- och sjukvårdsavtalet (alla parter)"
    )
    assert (
        summary("decision_due", "Hälso- och sjukvårdsavtalet", "Härryda")
        == "Sista dag för beslut: Hälso- och sjukvårdsavtalet – Härryda"
    )


def test_a_rounds_deadline_names_the_round_and_then_its_agreement() -> None:
    assert (
        summary("round_reply", "Hälso- och sjukvårdsavtalet", "Härryda", "Remiss om hemsjukvård")
        == "Sista dag att svara: Remiss om hemsjukvård (Hälso- och sjukvårdsavtalet) – Härryda"
    )
    row = {**ROW, "kind": "round_late", "key": "round_late:7:1401", "party_code": "1401"}
    made = event({**row, "party_name": "Härryda", "round_title": "Uppföljning 2026"}, "https://x.example")
    assert made.summary == "Svaret är försenat: Uppföljning 2026 (Hälso- och sjukvårdsavtalet) – Härryda"


def test_an_agreement_wide_notice_deadline_becomes_an_event_with_a_month_long_alarm() -> None:
    made = event(ROW, "https://samverkan.example")
    assert made.uid == "agreement-12-notice-2028-06-30@samverkan"
    assert made.day == date(2028, 6, 30)
    assert made.url == "https://samverkan.example/agreements/12"
    assert made.sequence == 2
    assert made.last_modified == MODIFIED
    assert made.alarm_days_before == 30
    assert made.description.splitlines() == [
        ROW["title"],
        "Gäller: alla parter",
        "Överenskommelse: Hälso- och sjukvårdsavtalet",
    ]


def test_a_partys_deadline_names_the_party_and_falls_back_to_its_code() -> None:
    row = {
        **ROW,
        "key": "decision_due:1401",
        "kind": "decision_due",
        "party_code": "1401",
        "party_name": "Härryda",
    }
    made = event(row, "https://samverkan.example")
    assert made.summary.endswith("– Härryda")
    assert "Gäller: Härryda (1401)" in made.description
    assert made.alarm_days_before == 7
    assert event({**row, "party_name": None}, "https://x.example").summary.endswith("– 1401")


@pytest.mark.parametrize(("kind", "days"), [("legally_final", 0), ("planned_meeting", 7), ("term_end", 30)])
def test_each_kind_has_its_alarm_lead(kind: str, days: int) -> None:
    assert event({**ROW, "kind": kind}, "https://x.example").alarm_days_before == days


def test_a_cancelled_deadline_stays_an_event_marked_cancelled() -> None:
    made = event({**ROW, "cancelled": True, "sequence": 3}, "https://x.example")
    assert made.cancelled and made.sequence == 3


def test_a_rendered_feed_has_the_newest_stamp_and_an_etag_of_its_bytes() -> None:
    later = {**ROW, "key": "notice:2031-06-30", "modified": datetime(2027, 1, 1, tzinfo=UTC)}
    feed = render("samverkan – Härryda", [ROW, later], "https://x.example/")
    assert feed.last_modified == datetime(2027, 1, 1, tzinfo=UTC)
    assert b"URL:https://x.example/agreements/12\r\n" in feed.body
    assert render("samverkan – Härryda", [later, ROW], "https://x.example").etag == feed.etag  # order-free
    assert render("samverkan – Ale", [ROW, later], "https://x.example").etag != feed.etag
    empty = render("samverkan – Härryda", [], "https://x.example")
    assert empty.last_modified is None and b"BEGIN:VEVENT" not in empty.body


def test_a_personal_calendar_is_named_for_its_owner_not_after_them() -> None:
    assert calendar_name(Scope(ScopeKind.USER, "5"), "Anna Berg") == "samverkan – mina tidsfrister"
    assert calendar_name(Scope(ScopeKind.PARTY, "1401"), "Härryda") == "samverkan – Härryda"


def test_feed_file_names_give_scopes_and_anything_else_is_an_unknown_feed() -> None:
    assert scope_from_file(ScopeKind.PARTY, "1401.ics") == Scope(ScopeKind.PARTY, "1401")
    assert scope_from_file(ScopeKind.AGREEMENT, "012.ics") == Scope(ScopeKind.AGREEMENT, "12")
    assert scope_from_file(ScopeKind.STRUCTURE, "vastra-gotaland.ics").key == "vastra-gotaland"
    assert token_from_file("svf_abc.ics") == "svf_abc"
    for kind, name in [
        (ScopeKind.PARTY, "1401"),
        (ScopeKind.PARTY, "1401.ical"),
        (ScopeKind.PARTY, ".ics"),
        (ScopeKind.AGREEMENT, "tolv.ics"),
        (ScopeKind.AGREEMENT, "１２.ics"),  # full-width digits: decimal to Python, not an id
        (ScopeKind.AGREEMENT, "1234567890.ics"),  # past PostgreSQL's integer
    ]:
        with pytest.raises(NotFound):
            scope_from_file(kind, name)


def test_management_scopes_are_checked_before_anything_is_looked_up() -> None:
    assert parse_scope("agreement", 12) == Scope(ScopeKind.AGREEMENT, "12")
    assert parse_scope("agreement", -30583) == Scope(ScopeKind.AGREEMENT, "-30583")  # no such id: 404
    assert parse_scope("party", " 1401 ").default_for == "party:1401"
    for kind, key, field in [
        ("kommun", "1401", "scope"),
        ("user", "5", "scope"),
        ("party", "", "key"),
        ("party", None, "key"),
        ("agreement", "12a", "key"),
        ("agreement", "1234567890", "key"),
        ("agreement", "--5", "key"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            parse_scope(kind, key)
        assert refused.value.field == field


def test_a_feed_rendered_from_kept_events_is_byte_for_byte_the_feed_rendered_afresh() -> None:
    from notifications.feeds.build import rendered_events
    from notifications.ical import Feed, render_feed

    # given rows sharing a day (ordered by UID then), one for a party
    rows = [
        {**ROW, "key": f"notice:{n}", "due": date(2028, 6, 30 - n % 3), "sequence": n} for n in range(8)
    ] + [{**ROW, "key": "decision_due:1401", "party_code": "1401", "party_name": "Härryda"}]
    base = "https://x.example"

    def afresh(rows: list[dict]) -> bytes:
        return render_feed(Feed(name="samverkan – Härryda", events=[event(r, base) for r in rows]))

    rendered_events.clear()
    cold = render("samverkan – Härryda", rows, base)
    assert rendered_events.size > 0
    # when rendered again with every event kept, and after one row changed
    warm = render("samverkan – Härryda", rows, base)
    changed = [*rows[:3], {**rows[3], "title": "Ny rubrik", "sequence": 9}, *rows[4:]]
    after = render("samverkan – Härryda", changed, base)
    # then each is what rendering every event afresh gives
    assert cold.body == warm.body == afresh(rows)
    assert after.body == afresh(changed) and b"Ny rubrik" in after.body
    # and another BASE_URL renders its own links
    assert b"https://y.example/" in render("samverkan – Härryda", rows, "https://y.example").body


def test_the_kept_events_start_afresh_when_full() -> None:
    from notifications.feeds.build import RenderedEvents

    kept = RenderedEvents(limit=2 * (RenderedEvents.OVERHEAD + 10))
    for n in range(3):
        kept.put((n,), (date(2028, 6, 30), f"uid-{n}", b"x" * 10))
    assert (kept.get((0,)), kept.get((1,)), kept.get((2,)) is not None) == (None, None, True)
