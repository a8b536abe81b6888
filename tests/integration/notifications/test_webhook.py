"""send_webhook against a real HTTP receiver (http.server in a thread on 127.0.0.1)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from notifications.errors import PermanentDeliveryError, TransientDeliveryError
from notifications.signature import verify
from notifications.webhook import WebhookReminder, build_payload, send_webhook
from tests.integration.notifications.conftest import Call, Receiver, free_port

SECRET = "whsec_härryda_2026"
REMINDER = WebhookReminder(
    kind="deadline.reminder",
    delivery_key="deadline:41:notice:24m:1401:webhook:7",
    agreement_id=41,
    agreement_title="Hälso- och sjukvårdsavtalet",
    deadline_kind="notice",
    deadline_date=date(2028, 6, 30),
    party_code="1401",
    agreement_url="https://samverkan.example/overenskommelser/41",
    calendar_url="https://samverkan.example/kalender/part/1401.ics",
    occurred_at=datetime(2026, 11, 23, 5, 15, 42, 123456, tzinfo=UTC),
)
BODY = build_payload(REMINDER)

StartReceiver = Callable[[Callable[[Call], tuple[int, str]]], Receiver]


def _send(url: str, timeout: float = 5.0) -> None:
    send_webhook(url, BODY, SECRET, timeout, delivery_key=REMINDER.delivery_key, now=datetime.now(UTC))


def _checks_signature(call: Call) -> tuple[int, str]:
    """What a receiver should do: verify against its own clock before trusting anything."""
    header = call.headers.get("X-Samverkan-Signature", "")
    if verify(call.body, header, SECRET, now=int(time.time())):
        return 204, ""
    return 401, "ogiltig signatur"


def test_a_signed_call_reaches_the_receiver_and_its_signature_verifies(
    webhook_receiver: StartReceiver,
) -> None:
    receiver = webhook_receiver(_checks_signature)

    _send(receiver.url)

    (call,) = receiver.calls
    assert call.body == BODY
    assert call.headers["X-Samverkan-Delivery"] == "deadline:41:notice:24m:1401:webhook:7"
    assert call.headers["Content-Type"] == "application/cloudevents+json; charset=utf-8"
    assert call.headers["User-Agent"] == "samverkan-webhooks/1"


def test_a_receiver_with_another_secret_refuses_and_that_is_permanent(
    webhook_receiver: StartReceiver,
) -> None:
    receiver = webhook_receiver(_checks_signature)

    with pytest.raises(PermanentDeliveryError) as caught:
        send_webhook(receiver.url, BODY, "whsec_fel", 5.0, delivery_key="k", now=datetime.now(UTC))

    assert caught.value.code == 401
    assert caught.value.reason == "Webhookmottagaren svarade 401: ogiltig signatur"


def test_a_receiver_answering_500_is_transient(webhook_receiver: StartReceiver) -> None:
    receiver = webhook_receiver(lambda call: (500, "Internt fel"))

    with pytest.raises(TransientDeliveryError) as caught:
        _send(receiver.url)

    assert caught.value.code == 500
    assert caught.value.reason == "Webhookmottagaren svarade 500: Internt fel"


def test_a_receiver_answering_400_is_permanent_with_status_and_body(webhook_receiver: StartReceiver) -> None:
    receiver = webhook_receiver(lambda call: (400, '{"fel": "okänt fält \\"party\\""}'))

    with pytest.raises(PermanentDeliveryError) as caught:
        _send(receiver.url)

    assert caught.value.code == 400
    assert caught.value.reason == 'Webhookmottagaren svarade 400: {"fel": "okänt fält \\"party\\""}'


def test_a_receiver_slower_than_the_timeout_is_transient(webhook_receiver: StartReceiver) -> None:
    def stall(call: Call) -> tuple[int, str]:
        receiver.release.wait(10)  # set when the fixture stops the server
        return 204, ""

    receiver = webhook_receiver(stall)

    started = time.monotonic()
    with pytest.raises(TransientDeliveryError) as caught:
        _send(receiver.url, timeout=0.5)

    assert time.monotonic() - started < 5
    assert caught.value.reason.startswith("Webhookmottagaren svarade inte inom 0.5 s: ReadTimeout(")
    assert len(receiver.calls) == 1


def test_a_closed_port_is_transient() -> None:
    with pytest.raises(TransientDeliveryError) as caught:
        _send(f"http://127.0.0.1:{free_port()}/samverkan")

    assert caught.value.reason.startswith("Webhookmottagaren gick inte att nå: ConnectError: ")
