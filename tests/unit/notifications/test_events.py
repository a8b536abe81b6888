"""What happened, in the words of a digest and a webhook event (pure)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from notifications.events import EventKind, event_title, row_title
from notifications.messages import subject_sv, urgency, webhook_reminder
from notifications.webhook import build_payload
from tests.unit.notifications.test_reminder_messages import digest, reminder


@pytest.mark.parametrize(
    ("kind", "after", "title"),
    [
        (EventKind.DECISION_LOGGED,
         {"outcome": "referred_back", "body": "Kommunfullmäktige", "meeting_date": "2022-05-23",
          "paragraph": "§ 77"},
         "Beslut registrerat: Återremitterad, Kommunfullmäktige 23 maj 2022, § 77"),
        (EventKind.STEP_RECORDED, {"step": "remiss", "label": "Remiss", "taken_on": "2024-03-01"},
         "Processteg registrerat: Remiss, 1 mars 2024"),
        (EventKind.NOTICE_REGISTERED, {"given_on": "2025-06-30"},
         "Uppsägning registrerad, given 30 juni 2025"),
        (EventKind.ROUND_OPENED, {"title": "Remiss om ny överenskommelse", "reply_by": "2025-02-14"},
         "Runda öppnad: Remiss om ny överenskommelse, svar senast 14 februari 2025"),
        (EventKind.ROUND_ANSWERED, {"state": "declined"}, "Svar på runda: avstår från att svara"),
        (EventKind.ENTERED_INTO_FORCE, {"in_force_from": "2023-01-01"},
         "Överenskommelsen trädde i kraft 1 januari 2023"),
    ],
)  # fmt: skip
def test_each_event_says_what_happened_in_swedish(kind, after, title):
    assert event_title(kind, after) == title


def test_an_outbox_rows_title_is_its_own_unless_it_is_an_event():
    assert row_title({"source": "deadline", "title": "Sista dag", "kind": "notice"}) == "Sista dag"
    event = {
        "source": "event",
        "title": "",
        "kind": "notice_registered",
        "event_after": '{"given_on": "2025-06-30"}',
    }
    assert row_title(event) == "Uppsägning registrerad, given 30 juni 2025"


def event(**changes):
    values = dict(
        delivery_key="event:41:kansli@orebro.example:email",
        source="event",
        kind="decision_logged",
        lead=None,
        due=date(2024, 12, 30),
        party_code="1880",
        party_name="Örebro",
        title="Beslut registrerat: Antagen, Kommunfullmäktige 10 december 2024",
    )
    return reminder(**{**values, **changes})


def test_a_digest_tells_what_happened_after_what_is_due_and_counts_it():
    message = digest(event(), reminder())
    (section,) = message.sections
    assert section.lines[-1] == (
        "Har hänt 30 december 2024: Beslut registrerat: Antagen, Kommunfullmäktige 10 december 2024. "
        "Gäller Örebro (1880)."
    )
    assert urgency(reminder()) < urgency(event())
    assert message.subject_sv.startswith("1 påminnelse och 1 händelse. Först: Sista dag för uppsägning")
    assert subject_sv(
        [event(), event(delivery_key="event:42:x:email"), reminder(source="warning")]
    ).startswith("1 varning och 2 händelser. Först: Varning om giltighet")
    assert subject_sv([event()]) == (
        "Beslut registrerat: Antagen, Kommunfullmäktige 10 december 2024 – "
        "Överenskommelse om samverkan kring barn och unga"
    )
    assert digest(event()).heading_sv == "Här är dagens händelser från samverkan."


def test_an_event_goes_to_webhooks_in_the_cloudevents_envelope():
    body = json.loads(
        build_payload(webhook_reminder(event(delivery_key="event:41:https://h/x:webhook"), "https://x.se"))
    )
    assert (body["type"], body["id"], body["subject"], body["time"]) == (
        "se.samverkan.event.decision_logged",
        "event:41:https://h/x:webhook",
        "decision_logged",
        "2024-12-31T04:15:00Z",
    )
    assert body["data"]["deadline"] is None
    assert body["data"]["event"] == {
        "kind": "decision_logged",
        "date": "2024-12-30",
        "summary": "Beslut registrerat: Antagen, Kommunfullmäktige 10 december 2024",
    }
    # a deadline's reminder keeps its shape
    deadline = json.loads(build_payload(webhook_reminder(reminder(), "https://x.se")))
    assert (
        deadline["data"]["deadline"] == {"kind": "notice", "date": "2025-06-30"}
        and "event" not in deadline["data"]
    )
