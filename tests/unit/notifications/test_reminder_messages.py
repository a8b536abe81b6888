"""What a reminder says (Swedish), the links it carries, and the beat schedule."""

from __future__ import annotations

from datetime import date

import pytest

from notifications.messages import Reminder, agreement_url, email_message, lead_sv, webhook_reminder
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
    )
    values.update(changes)
    return Reminder(**values)


@pytest.mark.parametrize(
    ("label", "text"),
    [("6m", "om 6 månader"), ("1m", "om 1 månad"), ("7d", "om 7 dagar"), ("1d", "om 1 dag"),
     ("1m7d", "om 1 månad och 7 dagar"), ("0d", "i dag"), (None, "")],
)  # fmt: skip
def test_a_lead_is_said_in_swedish(label, text):
    assert lead_sv(label) == text


def test_the_agreement_link_goes_to_its_page():
    assert agreement_url("https://samverkan.example.se", 7) == "https://samverkan.example.se/agreements/7"


def test_a_deadline_reminder_names_the_deadline_its_date_and_why_you_get_it():
    message = email_message(reminder(), "https://samverkan.example.se")
    assert message.subject_sv == (
        "Påminnelse: Sista dag för uppsägning 2025-06-30 – Överenskommelse om samverkan kring barn och unga"
    )
    assert message.heading_sv.startswith("Sista dag att skriftligen säga upp")
    assert message.lines_sv == [
        "Tidsfrist: 2025-06-30 (om 6 månader).",
        "Överenskommelse: Överenskommelse om samverkan kring barn och unga (RÖL-2023-4)",
        "Samverkansstruktur: Samverkan Region Örebro län och länets kommuner",
        "Du får meddelandet som samverkansstrukturens kansli.",
    ]
    assert message.delivery_key == reminder().delivery_key
    assert message.agreement_url == "https://samverkan.example.se/agreements/7"
    assert message.calendar_url == FEED  # the feed's link as the deliver step found it, token and all


def test_a_party_reminder_names_the_party():
    message = email_message(
        reminder(
            kind="planned_meeting", lead="7d", party_code="1880", party_name="Örebro", reason="registrator"
        ),
        "https://x.se",
    )
    assert "Part: Örebro (1880)" in message.lines_sv
    assert "Du får meddelandet som registrator för parten." in message.lines_sv


def test_a_warning_says_what_is_wrong_and_that_it_closes_by_itself():
    message = email_message(
        reminder(
            source="warning",
            kind="undecided_long",
            lead=None,
            due=None,
            title="Part 1860 har inte fattat beslut",
        ),
        "https://x.se",
    )
    assert message.subject_sv == "Varning om giltighet: Överenskommelse om samverkan kring barn och unga"
    assert message.lines_sv[0] == "Part 1860 har inte fattat beslut"
    assert message.lines_sv[-1].startswith("Varningen försvinner av sig själv")


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
    }
    hourly, daily = BEAT_SCHEDULE["reminders-sweep"]["schedule"], BEAT_SCHEDULE["reminders-daily"]["schedule"]
    assert (len(hourly.hour), len(hourly.minute)) == (24, 1)
    assert (len(daily.hour), len(daily.minute)) == (1, 1)
