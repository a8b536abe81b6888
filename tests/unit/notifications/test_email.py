"""The reminder e-mail: its parts, its escaping, its headers as they arrive at the other end."""

from __future__ import annotations

import email
from dataclasses import replace
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header

import pytest

from notifications.email import ReminderMessage, Section, compose_email, message_id
from notifications.errors import PermanentDeliveryError

MAIL_FROM = "Samverkan Västra Götaland <noreply@samverkan.example>"
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
REMINDER = ReminderMessage(
    recipient_email="asa.oberg@harryda.se",
    recipient_name="Åsa Öberg",
    subject_sv="Påminnelse: uppsägning av Hälso- och sjukvårdsavtalet senast 2028-06-30",
    heading_sv="Sista dag för uppsägning närmar sig",
    sections=[
        Section(
            heading="Hälso- och sjukvårdsavtal (VG-HOS-2023)",
            lines=["Avtalet löper ut 2029-12-31.", "Uppsägningen ska vara skriftlig och nå samtliga parter."],
            agreement_url="https://samverkan.example/overenskommelser/41",
            calendar_url="https://samverkan.example/kalender/part/1401.ics",
        )
    ],
    closing_sv=["Du får meddelandet som registrator för Härryda (1401)."],
    unsubscribe_url="https://samverkan.example/unsubscribe/abc.def",
    preferences_url="https://samverkan.example/me/notifications",
    delivery_key="deadline:41:notice:24m:1401:email:asa.oberg@harryda.se",
)


def _compose(reminder: ReminderMessage = REMINDER, now: datetime = NOW) -> email.message.EmailMessage:
    return compose_email(reminder, mail_from=MAIL_FROM, now=now)


def _received(reminder: ReminderMessage = REMINDER) -> email.message.EmailMessage:
    """The message as a receiving client parses it from the wire."""
    return email.message_from_bytes(_compose(reminder).as_bytes(), policy=policy.default)


def test_a_reminder_has_a_plain_text_part_and_an_html_alternative() -> None:
    received = _received()

    assert received.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in received.iter_parts()] == ["text/plain", "text/html"]


def test_the_plain_text_part_greets_states_each_agreements_lines_and_links_and_how_to_stop() -> None:
    text = _received().get_body(("plain",)).get_content()

    assert text.startswith(
        "Hej Åsa Öberg!\n\nSista dag för uppsägning närmar sig\n\n"
        "Hälso- och sjukvårdsavtal (VG-HOS-2023)\n"
        "- Avtalet löper ut 2029-12-31.\n- Uppsägningen ska vara skriftlig och nå samtliga parter.\n"
        "Överenskommelsen: https://samverkan.example/overenskommelser/41\n"
        "Kalenderflöde: https://samverkan.example/kalender/part/1401.ics\n"
    )
    assert "Du får meddelandet som registrator för Härryda (1401).\n" in text
    assert "Välj hur ofta och om vad du får e-post: https://samverkan.example/me/notifications\n" in text
    assert "Sluta få e-post från samverkan: https://samverkan.example/unsubscribe/abc.def\n" in text


def test_every_agreement_gets_a_section_of_its_own() -> None:
    other = Section(
        "Avtal om hjälpmedel", ["Varning om giltighet: något"], "https://samverkan.example/a/2", None
    )
    received = _received(replace(REMINDER, sections=[*REMINDER.sections, other]))
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()

    assert text.index("Hälso- och sjukvårdsavtal") < text.index("Avtal om hjälpmedel\n- Varning om giltighet")
    assert '<h2 style="margin:24px 0 8px;font-size:18px;line-height:1.3">Avtal om hjälpmedel</h2>' in html
    assert html.count("Öppna överenskommelsen") == 2


def test_the_unsubscribe_headers_allow_one_click_as_rfc_8058_says() -> None:
    received = _received()

    assert received["List-Unsubscribe"] == "<https://samverkan.example/unsubscribe/abc.def>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_html_part_is_swedish_and_links_agreement_and_calendar() -> None:
    html = _received().get_body(("html",)).get_content()

    assert '<html lang="sv">' in html
    assert (
        '<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3">Sista dag för uppsägning närmar sig</h1>'
        in html
    )
    assert '<a href="https://samverkan.example/overenskommelser/41"' in html
    assert '<a href="https://samverkan.example/kalender/part/1401.ics"' in html
    assert "<li>Avtalet löper ut 2029-12-31.</li>" in html
    assert '<a href="https://samverkan.example/unsubscribe/abc.def"' in html


def test_the_html_part_escapes_markup_that_comes_with_the_data() -> None:
    hostile = replace(
        REMINDER,
        recipient_name='<img src=x onerror="alert(1)">',
        heading_sv="<script>alert('hej')</script>",
        sections=[
            Section(
                "<i>Avtal</i>",
                ["Avtal & bilagor <b>fetstil</b>"],
                'https://samverkan.example/s?q=1&r="2"',
                None,
            )
        ],
    )

    html = _received(hostile).get_body(("html",)).get_content()

    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(&#x27;hej&#x27;)&lt;/script&gt;" in html
    assert "Avtal &amp; bilagor &lt;b&gt;fetstil&lt;/b&gt;" in html
    assert 'href="https://samverkan.example/s?q=1&amp;r=&quot;2&quot;"' in html


def test_without_a_calendar_feed_neither_part_mentions_one() -> None:
    received = _received(replace(REMINDER, sections=[replace(REMINDER.sections[0], calendar_url=None)]))

    assert "Kalenderflöde" not in received.get_body(("plain",)).get_content()
    assert "Kalenderflöde" not in received.get_body(("html",)).get_content()


def test_without_a_name_the_greeting_is_plain() -> None:
    text = _received(replace(REMINDER, recipient_name=None)).get_body(("plain",)).get_content()

    assert text.startswith("Hej!\n\n")


def test_the_message_on_the_wire_is_ascii_with_the_swedish_subject_encoded() -> None:
    raw = _compose().as_bytes()

    assert raw.isascii()
    assert b"\nSubject: =?utf-8?q?P=C3=A5minnelse" in raw


def test_a_subject_with_a_ring_and_umlauts_round_trips_through_parsing_and_header_decoding() -> None:
    parsed = email.message_from_bytes(_compose().as_bytes())  # compat32: the raw encoded words

    subject = str(make_header(decode_header(parsed["Subject"])))

    assert subject == "Påminnelse: uppsägning av Hälso- och sjukvårdsavtalet senast 2028-06-30"
    assert _received()["Subject"] == subject


def test_a_recipient_name_with_a_comma_and_a_ring_round_trips() -> None:
    received = _received(replace(REMINDER, recipient_name="Öberg, Åsa"))

    (address,) = received["To"].addresses
    assert (address.display_name, address.addr_spec) == ("Öberg, Åsa", "asa.oberg@harryda.se")


def test_the_headers_name_sender_date_language_and_say_it_was_sent_automatically() -> None:
    received = _received()

    assert received["From"] == "Samverkan Västra Götaland <noreply@samverkan.example>"
    assert received["Date"] == "Mon, 23 Nov 2026 09:30:00 +0000"
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["X-Auto-Response-Suppress"] == "All"
    assert received["Content-Language"] == "sv"


def test_the_message_id_is_the_same_for_the_same_delivery_key_whenever_it_is_sent() -> None:
    first = _compose(now=NOW)
    retry = _compose(now=datetime(2026, 11, 23, 10, 45, tzinfo=UTC))

    assert first["Message-ID"] == retry["Message-ID"]
    assert first["Message-ID"] == message_id(REMINDER.delivery_key, MAIL_FROM)
    # the first 32 hex digits of the SHA-256 of the key (`printf %s KEY | sha256sum`)
    assert first["Message-ID"] == "<f437cffdeabcaeb618965483e2400297.reminder@samverkan.example>"


def test_another_delivery_key_gives_another_message_id() -> None:
    other = _compose(replace(REMINDER, delivery_key="deadline:41:notice:19m:1401:email:asa.oberg@harryda.se"))

    assert other["Message-ID"] != _compose()["Message-ID"]
    assert other["Message-ID"].endswith(".reminder@samverkan.example>")


def test_a_line_break_in_the_subject_cannot_add_a_header() -> None:
    received = _received(replace(REMINDER, subject_sv="Påminnelse\r\nBcc: someone@else.example"))

    assert received["Subject"] == "Påminnelse Bcc: someone@else.example"
    assert received["Bcc"] is None


def test_a_broken_recipient_address_is_a_permanent_error_that_names_it() -> None:
    with pytest.raises(PermanentDeliveryError) as caught:
        _compose(replace(REMINDER, recipient_email="asa.oberg@harryda"))

    assert caught.value.reason == (
        "Ogiltig e-postadress 'asa.oberg@harryda': domänen efter @ är inte ett giltigt domännamn."
    )


def test_a_link_that_is_not_http_is_refused() -> None:
    with pytest.raises(ValueError, match="links in e-mail must be http"):
        _compose(replace(REMINDER, sections=[replace(REMINDER.sections[0], agreement_url="javascript:x")]))
    with pytest.raises(ValueError, match="links in e-mail must be http"):
        _compose(replace(REMINDER, unsubscribe_url="javascript:alert(1)"))


def test_the_delivery_key_header_is_the_key_on_one_plain_ascii_line() -> None:
    # a long key (a warning to a long address, with a percent-encoded å): folded or RFC 2047
    # encoded by default, it would no longer match the database's and the webhook's key
    key = "warning:123456:anna-karin.andersson-bergstrom@vard.h%C3%A4rryda.se:email"
    wire = _compose(replace(REMINDER, delivery_key=key)).as_bytes()

    (line,) = [line for line in wire.splitlines() if line.startswith(b"X-Samverkan-Delivery")]
    assert line == f"X-Samverkan-Delivery: {key}".encode("ascii")
    assert len(line) > 78  # longer than the policy's folding width, and still one line
    received = email.message_from_bytes(wire, policy=policy.default)
    assert str(received["X-Samverkan-Delivery"]) == key


@pytest.mark.parametrize("key", ["deadline:1:åsa@x.se:email", "deadline:1:a b:email", "a\r\nBcc: x@y.se"])
def test_a_delivery_key_that_is_not_plain_ascii_is_refused_rather_than_encoded(key: str) -> None:
    with pytest.raises(ValueError, match="printable ASCII"):
        _compose(replace(REMINDER, delivery_key=key))


def test_a_long_unsubscribe_link_stays_one_plain_line_that_a_mail_client_can_use() -> None:
    # mail clients read List-Unsubscribe without decoding RFC 2047 words: encoded or folded, the
    # one-click link is lost
    url = "https://samverkan.example/unsubscribe/" + "Y2hlZnNmb3J1bUByZWdpb252YXN0bWFubGFuZC5leGFtcGxl" * 2
    wire = _compose(replace(REMINDER, unsubscribe_url=url)).as_bytes()

    (line,) = [line for line in wire.splitlines() if line.startswith(b"List-Unsubscribe:")]
    assert line == f"List-Unsubscribe: <{url}>".encode("ascii")
    assert b"=?" not in line
