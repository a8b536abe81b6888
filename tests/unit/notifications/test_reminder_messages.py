"""What a reminder says (Swedish), the links it carries, and the beat schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from notifications.messages import Reminder, agreement_url, digest_message, time_left_sv, webhook_reminder
from notifications.queries import shown_recipient

FEED = "https://samverkan.example.se/feeds/agreements/7.ics?token=svf_" + "x" * 43


def reminder(**changes) -> Reminder:
    values = dict(
        delivery_key="deadline:7:2025-06-30:6m:kansli@orebro.example:email",
        source="deadline",
        kind="notice",
        lead="6m",
        send_on=date(2024, 12, 31),
        due=date(2025, 6, 30),
        recipient="kansli@orebro.example",
        recipient_name="Regionalt kansli",
        reason="secretariat",
        agreement_id=7,
        agreement_title="Överenskommelse om samverkan kring barn och unga",
        agreement_reference="RÖL-2023-4",
        structure_name="Samverkan Region Örebro län och länets kommuner",
        party_code=None,
        party_name=None,
        title="Sista dag att skriftligen säga upp överenskommelsen till 2026-12-31",
        calendar_url=FEED,
        written_at=datetime(2024, 12, 31, 4, 15, tzinfo=UTC),
    )
    values.update(changes)
    return Reminder(**values)


@pytest.mark.parametrize(
    ("sent_on", "due", "text"),
    [
        (date(2024, 12, 31), date(2025, 6, 30), "om 6 månader"),  # the month's end: 31 → 30 June
        (date(2025, 5, 31), date(2025, 6, 30), "om 1 månad"),
        (date(2025, 1, 31), date(2025, 2, 28), "om 1 månad"),  # clamped to February's end
        (date(2024, 1, 31), date(2024, 2, 29), "om 1 månad"),  # a leap year's
        (date(2024, 1, 31), date(2024, 2, 28), "om 28 dagar"),
        (date(2025, 5, 24), date(2025, 6, 30), "om 1 månad och 6 dagar"),
        (date(2025, 6, 23), date(2025, 6, 30), "om 7 dagar"),
        (date(2025, 6, 25), date(2025, 6, 30), "om 5 dagar"),  # a 7-day reminder sent two days late
        (date(2025, 6, 29), date(2025, 6, 30), "om 1 dag"),
        (date(2025, 6, 30), date(2025, 6, 30), "i dag"),
        (date(2025, 6, 30), None, ""),
    ],
)
def test_the_time_left_is_counted_from_the_day_the_reminder_goes_out(sent_on, due, text):
    assert time_left_sv(sent_on, due) == text


def test_the_agreement_link_goes_to_its_page():
    assert agreement_url("https://samverkan.example.se", 7) == "https://samverkan.example.se/agreements/7"


def digest(*items: Reminder, frequency: str = "daily"):
    return digest_message(
        list(items),
        base_url="https://x.se",
        recipient="kansli@orebro.example",
        recipient_name="Regionalt kansli",
        delivery_key="digest:kansli@orebro.example:2024-12-31",
        frequency=frequency,
        calendar_urls={7: FEED},
        unsubscribe_url="https://x.se/unsubscribe/t.s",
        preferences_url="https://x.se/me/notifications",
    )


WARNING = dict(
    source="warning",
    kind="undecided_long",
    lead=None,
    due=None,
    party_code="1445",
    party_name="Essunga",
    title="Essunga har inte fattat beslut",
)


def test_one_reminder_names_the_deadline_its_swedish_date_and_why_you_get_it():
    message = digest(reminder())
    assert message.subject_sv == (
        "Påminnelse: Sista dag för uppsägning 30 juni 2025 – Överenskommelse om samverkan kring barn och unga"
    )
    (section,) = message.sections
    assert section.heading == "Överenskommelse om samverkan kring barn och unga (RÖL-2023-4)"
    assert section.lines == [
        "Samverkansstruktur: Samverkan Region Örebro län och länets kommuner",
        "Sista dag för uppsägning 30 juni 2025 (om 6 månader): "
        "Sista dag att skriftligen säga upp överenskommelsen till 2026-12-31.",
    ]
    assert message.closing_sv == ["Du får meddelandet som samverkansstrukturens kansli."]
    assert (section.agreement_url, section.calendar_url) == ("https://x.se/agreements/7", FEED)
    assert message.delivery_key == "digest:kansli@orebro.example:2024-12-31"


def test_a_party_is_named_by_its_name_with_the_code_after():
    message = digest(
        reminder(
            kind="planned_meeting", lead="7d", party_code="1880", party_name="Örebro", reason="registrator"
        )
    )
    assert message.sections[0].lines[1].endswith(" Gäller Örebro (1880).")
    assert message.closing_sv == ["Du får meddelandet som registrator för Örebro (1880)."]


def test_a_warning_says_what_is_wrong_and_that_it_closes_by_itself():
    message = digest(reminder(**WARNING))
    assert message.subject_sv == "Varning om giltighet: Överenskommelse om samverkan kring barn och unga"
    assert (
        message.sections[0].lines[1]
        == "Varning om giltighet: Essunga har inte fattat beslut. Gäller Essunga (1445)."
    )
    assert message.closing_sv[-1].startswith("En varning försvinner av sig själv")


def test_a_digest_counts_what_it_holds_and_puts_the_most_urgent_first():
    later = reminder(kind="follow_up_annual", lead="1m", due=date(2025, 11, 15), title="Årlig uppföljning")
    sooner = reminder(
        kind="decision_due", lead="1m", due=date(2025, 1, 31), title="Beslut", party_code="1880"
    )
    other = reminder(agreement_id=8, agreement_title="Avtal om hjälpmedel", agreement_reference="", **WARNING)
    message = digest(later, sooner, other)
    assert (
        message.subject_sv == "2 påminnelser och 1 varning. Först: Varning om giltighet: Avtal om hjälpmedel"
    )
    # the agreement with the most urgent item first, and within an agreement by date
    assert [s.heading for s in message.sections] == [
        "Avtal om hjälpmedel",
        "Överenskommelse om samverkan kring barn och unga (RÖL-2023-4)",
    ]
    lines = message.sections[1].lines
    assert lines[1].startswith("Sista dag för beslut 31 januari 2025") and lines[2].startswith(
        "Årlig uppföljning 15 november 2025"
    )
    assert message.sections[0].calendar_url is None  # no link known for agreement 8
    assert message.heading_sv == "Här är dagens påminnelser och varningar från samverkan."
    assert (
        digest(later, sooner, frequency="weekly").heading_sv
        == "Här är veckans påminnelser och varningar från samverkan."
    )


def test_on_the_same_day_a_notice_deadline_comes_before_another_deadline():
    meeting = reminder(kind="planned_meeting", lead="7d", due=date(2025, 6, 30), title="Möte")
    assert [line.split(" 30 juni")[0] for line in digest(meeting, reminder()).sections[0].lines[1:]] == [
        "Sista dag för uppsägning",
        "Planerat sammanträde",
    ]


def test_the_webhook_carries_the_deadline_or_for_a_warning_the_day_it_was_sent():
    hook = webhook_reminder(reminder(), "https://x.se")
    assert (hook.kind, hook.deadline_kind, hook.deadline_date) == (
        "deadline.reminder",
        "notice",
        date(2025, 6, 30),
    )
    warning = webhook_reminder(reminder(source="warning", kind="past_end", due=None), "https://x.se")
    assert (warning.kind, warning.deadline_date) == ("validity_warning.opened", date(2024, 12, 31))
    assert (hook.agreement_url, hook.calendar_url) == ("https://x.se/agreements/7", FEED)


def test_a_webhook_address_is_shown_without_its_token():
    assert (
        shown_recipient("webhook", "https://user:pw@hooks.example.se/in?token=abc")
        == "https://hooks.example.se/in"
    )
    assert shown_recipient("email", "a@b.se") == "a@b.se"


def test_beat_sweeps_hourly_and_runs_the_daily_refresh_once_a_day():
    from workers.schedule import BEAT_SCHEDULE

    assert {name: entry["task"] for name, entry in BEAT_SCHEDULE.items()} == {
        "reminders-daily": "samverkan.reminders.daily",
        "reminders-sweep": "samverkan.reminders.sweep",
        "documents-extract-waiting": "samverkan.documents.extract_waiting",
        "cases-sweep": "samverkan.cases.sweep",
    }
    hourly, daily = BEAT_SCHEDULE["reminders-sweep"]["schedule"], BEAT_SCHEDULE["reminders-daily"]["schedule"]
    assert (len(hourly.hour), len(hourly.minute)) == (24, 1)
    assert (len(daily.hour), len(daily.minute)) == (1, 1)
