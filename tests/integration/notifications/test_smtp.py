"""send_email against a real SMTP server (aiosmtpd on 127.0.0.1)."""

from __future__ import annotations

import email
import socket
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from notifications.email import ReminderMessage, Section, compose_email
from notifications.errors import PermanentDeliveryError, TransientDeliveryError
from notifications.smtp import send_email
from tests.integration.notifications.conftest import (
    MAIL_FROM,
    Mailbox,
    free_port,
    server_tls_context,
    smtp_settings,
)

REMINDER = ReminderMessage(
    recipient_email="asa.oberg@harryda.se",
    recipient_name="Åsa Öberg",
    subject_sv="Påminnelse: uppsägning av Hälso- och sjukvårdsavtalet senast 2028-06-30",
    heading_sv="Sista dag för uppsägning närmar sig",
    sections=[
        Section(
            heading="Hälso- och sjukvårdsavtal (VG-HOS-2023)",
            lines=["Avtalet löper ut 2029-12-31."],
            agreement_url="https://samverkan.example/overenskommelser/41",
            calendar_url="https://samverkan.example/kalender/part/1401.ics",
        )
    ],
    closing_sv=["Du får meddelandet som registrator för Härryda (1401)."],
    unsubscribe_url="https://samverkan.example/unsubscribe/abc.def",
    preferences_url="https://samverkan.example/me/notifications",
    delivery_key="deadline:41:notice:24m:1401:email:asa.oberg@harryda.se",
)
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
UNKNOWN_USER = "550 5.1.1 <finns.inte@harryda.se>: Recipient address rejected: User unknown"


def _message(recipient: str = "asa.oberg@harryda.se") -> EmailMessage:
    return compose_email(replace(REMINDER, recipient_email=recipient), mail_from=MAIL_FROM, now=NOW)


def _accept_samverkan(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"samverkan", b"hemligt")
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


def test_a_reminder_reaches_the_server_whole(smtp_server: Callable[..., int]) -> None:
    mailbox = Mailbox()
    port = smtp_server(mailbox)

    send_email(_message(), smtp_settings(port))

    (envelope,) = mailbox.received
    assert envelope.mail_from == "noreply@samverkan.example"
    assert envelope.rcpt_tos == ["asa.oberg@harryda.se"]
    received = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert received["Subject"] == "Påminnelse: uppsägning av Hälso- och sjukvårdsavtalet senast 2028-06-30"
    assert received["To"].addresses[0].display_name == "Åsa Öberg"
    assert received["Message-ID"] == "<f437cffdeabcaeb618965483e2400297.reminder@samverkan.example>"
    assert received["Auto-Submitted"] == "auto-generated"
    assert "Sista dag för uppsägning närmar sig" in received.get_body(("plain",)).get_content()
    assert (
        '<a href="https://samverkan.example/overenskommelser/41"'
        in received.get_body(("html",)).get_content()
    )


def test_a_recipient_refused_with_550_is_permanent_with_the_servers_reason(
    smtp_server: Callable[..., int],
) -> None:
    mailbox = Mailbox(replies={"finns.inte@harryda.se": UNKNOWN_USER})
    port = smtp_server(mailbox)

    with pytest.raises(PermanentDeliveryError) as caught:
        send_email(_message("finns.inte@harryda.se"), smtp_settings(port))

    assert caught.value.code == 550
    assert caught.value.reason == (
        "Mottagaren avvisades av SMTP-servern – finns.inte@harryda.se: "
        "550 5.1.1 <finns.inte@harryda.se>: Recipient address rejected: User unknown"
    )
    assert mailbox.received == []


def test_a_recipient_deferred_with_452_is_transient(smtp_server: Callable[..., int]) -> None:
    port = smtp_server(Mailbox(replies={"asa.oberg@harryda.se": "452 4.2.2 Mailbox full, try later"}))

    with pytest.raises(TransientDeliveryError) as caught:
        send_email(_message(), smtp_settings(port))

    assert caught.value.code == 452
    assert caught.value.reason.endswith("asa.oberg@harryda.se: 452 4.2.2 Mailbox full, try later")


def test_a_message_refused_after_data_with_554_is_permanent(smtp_server: Callable[..., int]) -> None:
    port = smtp_server(Mailbox(data_reply="554 5.7.1 Message rejected as spam"))

    with pytest.raises(PermanentDeliveryError) as caught:
        send_email(_message(), smtp_settings(port))

    assert caught.value.code == 554
    assert caught.value.reason == "SMTP-servern svarade 554 5.7.1 Message rejected as spam"


def test_a_message_deferred_after_data_with_451_is_transient(smtp_server: Callable[..., int]) -> None:
    port = smtp_server(Mailbox(data_reply="451 4.3.0 Temporary lookup failure"))

    with pytest.raises(TransientDeliveryError) as caught:
        send_email(_message(), smtp_settings(port))

    assert caught.value.code == 451


def test_a_closed_port_is_transient() -> None:
    port = free_port()

    with pytest.raises(TransientDeliveryError) as caught:
        send_email(_message(), smtp_settings(port))

    assert caught.value.reason.startswith(
        f"Förbindelsen med SMTP-servern 127.0.0.1:{port} misslyckades: ConnectionRefusedError: "
    )


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) but never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        yield listener.getsockname()[1]


def test_a_server_that_never_greets_is_transient_after_the_timeout(silent_port: int) -> None:
    with pytest.raises(TransientDeliveryError) as caught:
        send_email(_message(), smtp_settings(silent_port), timeout=0.5)

    # smtplib reports the timed-out greeting as a disconnection
    assert caught.value.reason == (
        f"Förbindelsen med SMTP-servern 127.0.0.1:{silent_port} misslyckades: "
        "SMTPServerDisconnected: Connection unexpectedly closed: timed out"
    )


def test_a_broken_address_is_refused_before_any_connection() -> None:
    message = _message()
    message.replace_header("To", "asa.oberg@harryda")

    # the port is closed: reaching it would have been a transient error, not this
    with pytest.raises(PermanentDeliveryError) as caught:
        send_email(message, smtp_settings(free_port()))

    assert caught.value.reason == (
        "Ogiltig e-postadress 'asa.oberg@harryda': domänen efter @ är inte ett giltigt domännamn."
    )


def test_starttls_and_login_when_configured(
    smtp_server: Callable[..., int],
    tls_certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key, cert = tls_certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test certificate, and only it
    mailbox = Mailbox()
    port = smtp_server(
        mailbox,
        tls_context=server_tls_context(key, cert),
        require_starttls=True,
        auth_required=True,
        authenticator=_accept_samverkan,
    )
    settings = smtp_settings(port, smtp_starttls=True, smtp_user="samverkan", smtp_password="hemligt")

    send_email(_message(), settings)

    (envelope,) = mailbox.received
    assert envelope.rcpt_tos == ["asa.oberg@harryda.se"]


def test_a_wrong_password_is_permanent(
    smtp_server: Callable[..., int],
    tls_certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key, cert = tls_certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    port = smtp_server(
        Mailbox(),
        tls_context=server_tls_context(key, cert),
        auth_required=True,
        authenticator=_accept_samverkan,
    )
    settings = smtp_settings(port, smtp_starttls=True, smtp_user="samverkan", smtp_password="fel")

    with pytest.raises(PermanentDeliveryError) as caught:
        send_email(_message(), settings)

    assert caught.value.code == 535
    assert caught.value.reason == "SMTP-servern svarade 535 5.7.8 Authentication credentials invalid"


def test_a_certificate_the_client_does_not_trust_is_permanent(
    smtp_server: Callable[..., int], tls_certificate: tuple[Path, Path]
) -> None:
    key, cert = tls_certificate
    port = smtp_server(Mailbox(), tls_context=server_tls_context(key, cert), require_starttls=True)

    with pytest.raises(PermanentDeliveryError) as caught:
        send_email(_message(), smtp_settings(port, smtp_starttls=True))

    assert caught.value.reason.startswith("SMTP-serverns certifikat godtogs inte: ")
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.reason


def test_starttls_configured_but_not_offered_is_permanent(smtp_server: Callable[..., int]) -> None:
    port = smtp_server(Mailbox())

    with pytest.raises(PermanentDeliveryError) as caught:
        send_email(_message(), smtp_settings(port, smtp_starttls=True))

    assert caught.value.reason == (
        "SMTP-servern stöder inte det som krävs: STARTTLS extension not supported by server."
    )
