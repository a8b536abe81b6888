"""The webhook body, and how each answer of a receiver is classified (no network: httpx mocks it)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

import httpx
import pytest

from notifications.errors import PermanentDeliveryError, TransientDeliveryError
from notifications.signature import verify
from notifications.webhook import WebhookReminder, build_payload, send_webhook

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
URL = "https://mottagare.example/samverkan"
SECRET = "whsec_härryda_2026"
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def test_the_payload_is_a_cloudevents_1_0_event_in_compact_utf8_json_with_sorted_keys() -> None:
    assert (
        build_payload(REMINDER)
        == (
            '{"data":{"agreement":{"id":41,"title":"Hälso- och sjukvårdsavtalet"},'
            '"deadline":{"date":"2028-06-30","kind":"notice"},'
            '"links":{"agreement":"https://samverkan.example/overenskommelser/41",'
            '"calendar":"https://samverkan.example/kalender/part/1401.ics"},'
            '"party":{"code":"1401"}},'
            '"datacontenttype":"application/json",'
            '"id":"deadline:41:notice:24m:1401:webhook:7",'
            '"source":"https://samverkan.example/overenskommelser/41",'
            '"specversion":"1.0",'
            '"subject":"notice",'
            '"time":"2026-11-23T05:15:42Z",'
            '"type":"se.samverkan.deadline.reminder"}'
        ).encode()
    )


def test_the_event_has_every_attribute_cloudevents_requires() -> None:
    event = json.loads(build_payload(REMINDER))
    # CloudEvents 1.0 REQUIRED: id, source, specversion, type (non-empty strings)
    assert all(isinstance(event[a], str) and event[a] for a in ("id", "source", "specversion", "type"))
    assert event["specversion"] == "1.0"
    # time is RFC 3339
    assert datetime.fromisoformat(event["time"].replace("Z", "+00:00")) == datetime(
        2026, 11, 23, 5, 15, 42, tzinfo=UTC
    )


def test_a_deadline_of_the_whole_agreement_has_no_party_and_maybe_no_calendar() -> None:
    body = build_payload(replace(REMINDER, party_code=None, calendar_url=None))

    assert b'"party":null' in body
    assert b'"calendar":null' in body


def _client(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def _send(handler: Callable[[httpx.Request], httpx.Response], url: str = URL) -> None:
    with _client(handler) as client:
        send_webhook(
            url,
            build_payload(REMINDER),
            SECRET,
            5.0,
            delivery_key=REMINDER.delivery_key,
            now=NOW,
            client=client,
        )


def test_the_call_is_a_signed_json_post_with_the_delivery_key() -> None:
    seen: list[httpx.Request] = []

    def receiver(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    _send(receiver)

    (request,) = seen
    assert request.method == "POST"
    assert request.content == build_payload(REMINDER)
    assert request.headers["Content-Type"] == "application/cloudevents+json; charset=utf-8"
    assert request.headers["X-Samverkan-Delivery"] == "deadline:41:notice:24m:1401:webhook:7"
    assert request.headers["X-Samverkan-Signature"].startswith("t=1795426200,v1=")
    assert verify(request.content, request.headers["X-Samverkan-Signature"], SECRET, now=1_795_426_200)


@pytest.mark.parametrize("status", [200, 201, 202, 204])
def test_any_2xx_is_delivered(status: int) -> None:
    _send(lambda request: httpx.Response(status))


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_408_429_and_5xx_are_transient(status: int) -> None:
    with pytest.raises(TransientDeliveryError) as caught:
        _send(lambda request: httpx.Response(status, text="upptagen"))

    assert caught.value.code == status
    assert caught.value.reason == f"Webhookmottagaren svarade {status}: upptagen"


def test_a_429_with_retry_after_says_how_long_to_wait() -> None:
    with pytest.raises(TransientDeliveryError) as caught:
        _send(lambda request: httpx.Response(429, headers={"Retry-After": "120"}))

    assert caught.value.retry_after == 120.0
    assert caught.value.reason == "Webhookmottagaren svarade 429"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410, 422])
def test_other_4xx_are_permanent_with_status_and_a_snippet_of_the_body(status: int) -> None:
    body = '{"error": "okänd\n  signatur"}' + "x" * 500

    with pytest.raises(PermanentDeliveryError) as caught:
        _send(lambda request: httpx.Response(status, text=body))

    assert caught.value.code == status
    snippet = '{"error": "okänd signatur"}' + "x" * 171  # the first 200 characters, spaces collapsed
    assert caught.value.reason == f"Webhookmottagaren svarade {status}: {snippet}"


def test_a_redirect_is_not_followed_and_is_permanent() -> None:
    with pytest.raises(PermanentDeliveryError) as caught:
        _send(lambda request: httpx.Response(301, headers={"Location": "https://ny.example/hook"}))

    assert caught.value.code == 301
    assert caught.value.reason == (
        "Webhookmottagaren svarade 301 (omdirigering till 'https://ny.example/hook'; ange den adressen)"
    )


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectTimeout("connect timed out"),
        httpx.ReadTimeout("read timed out"),
        httpx.ConnectError("connection refused"),
        httpx.RemoteProtocolError("server disconnected"),
    ],
)
def test_timeouts_and_connection_errors_are_transient(error: httpx.TransportError) -> None:
    def receiver(request: httpx.Request) -> httpx.Response:
        raise error

    with pytest.raises(TransientDeliveryError) as caught:
        _send(receiver)

    assert caught.value.code is None


@pytest.mark.parametrize("url", ["ftp://mottagare.example/hook", "mottagare.example/hook", "http://"])
def test_a_url_that_cannot_be_called_is_permanent(url: str) -> None:
    with pytest.raises(PermanentDeliveryError) as caught:
        send_webhook(url, b"{}", SECRET, 5.0, delivery_key="k", now=NOW)

    assert caught.value.reason.startswith(f"Webhookadressen {url!r} går inte att anropa: ")
