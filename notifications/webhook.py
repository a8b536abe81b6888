"""Reminders as signed webhook calls in CloudEvents 1.0: the event (pure) and the sending.

The body is a CloudEvents event in its JSON format, compact UTF-8 with sorted keys, so the same
reminder gives the same bytes. It
is signed as `notifications.signature` describes; the delivery key rides in a header (and in the
body) so the receiver can drop a retried call it has already handled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

import httpx

from core import clock
from notifications.errors import PermanentDeliveryError, TransientDeliveryError
from notifications.signature import DELIVERY_HEADER, SIGNATURE_HEADER, sign

# CloudEvents 1.0, structured content mode, JSON event format (github.com/cloudevents/spec):
# the event's attributes and its `data` in one JSON object, announced by this media type.
SPEC_VERSION = "1.0"
EVENT_MEDIA_TYPE = "application/cloudevents+json; charset=utf-8"
TYPE_PREFIX = "se.samverkan."  # reverse-DNS, as the spec recommends for `type`
USER_AGENT = "samverkan-webhooks/1"
# 408 Request Timeout and 429 Too Many Requests say "later", like every 5xx; other 4xx say "never".
_RETRY_STATUSES = frozenset({408, 429})
_SNIPPET_CHARS = 200


@dataclass(frozen=True, slots=True)
class WebhookReminder:
    kind: str  # the event kind, e.g. "deadline.reminder", "deadline.cancelled"
    delivery_key: str
    agreement_id: int | str | None  # None: a structure's deadline (a round of the whole structure)
    agreement_title: str | None
    deadline_kind: str  # the deadline, warning or event kind: "notice", "decision_logged", ...
    deadline_date: date
    party_code: str | None  # SCB kommunkod or region code; None when the deadline is the agreement's
    agreement_url: str
    calendar_url: str | None
    occurred_at: datetime | None  # when the sweep wrote the reminder: the same in every retry
    summary: str | None = None  # an event's: what happened, in Swedish
    structure: dict | None = None  # a structure's deadline: {"slug", "name"} (data.agreement is null)


def build_payload(reminder: WebhookReminder) -> bytes:
    """The body, a CloudEvents 1.0 event in JSON: `id` is the delivery key (the same in every
    retry, so a receiver drops a duplicate by it), `source` the agreement's page, `type`
    "se.samverkan.<kind>", `time` when the reminder was written (RFC 3339, UTC), `subject` the
    deadline, warning or event kind, and `data` what the reminder is about (for an event,
    `data.event` says what happened and when, and `data.deadline` is null). Compact, keys sorted,
    UTF-8 (å, ä, ö as they are, not \\u-escaped)."""
    if reminder.occurred_at is None:
        raise ValueError("a webhook event needs the time its reminder was written")
    happened = reminder.summary is not None
    day = reminder.deadline_date.isoformat()
    envelope: dict = {
        "specversion": SPEC_VERSION,
        "id": reminder.delivery_key,
        "source": reminder.agreement_url,
        "type": f"{TYPE_PREFIX}{reminder.kind}",
        "time": reminder.occurred_at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "subject": reminder.deadline_kind,
        "datacontenttype": "application/json",
        "data": {
            "agreement": None
            if reminder.agreement_id is None
            else {"id": reminder.agreement_id, "title": reminder.agreement_title},
            "deadline": None if happened else {"kind": reminder.deadline_kind, "date": day},
            "party": None if reminder.party_code is None else {"code": reminder.party_code},
            "links": {"agreement": reminder.agreement_url, "calendar": reminder.calendar_url},
        },
    }
    if reminder.structure is not None:
        envelope["data"]["structure"] = reminder.structure
    if happened:
        envelope["data"]["event"] = {"kind": reminder.deadline_kind, "date": day, "summary": reminder.summary}
    return json.dumps(envelope, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def send_webhook(
    url: str,
    body: bytes,
    secret: str,
    timeout: float,
    *,
    delivery_key: str,
    now: datetime | None = None,
    client: httpx.Client | None = None,
) -> None:
    """POST the signed body to `url`. Returns on a 2xx; raises `TransientDeliveryError` on a
    timeout, a connection error, 408, 429 or 5xx, and `PermanentDeliveryError` on anything else
    (other 4xx, a redirect, a URL we cannot call). `now` defaults to the clock; `client` lets a
    caller reuse connections."""
    timestamp = int((now or clock.now()).timestamp())
    headers = {
        "Content-Type": EVENT_MEDIA_TYPE,
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(body, secret, timestamp),
        DELIVERY_HEADER: delivery_key,
    }
    try:
        if client is None:
            with httpx.Client(timeout=timeout, follow_redirects=False) as own:
                response = own.post(url, content=body, headers=headers)
        else:
            response = client.post(url, content=body, headers=headers, timeout=timeout)
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:  # before the TransportError below
        raise PermanentDeliveryError(f"Webhookadressen {url!r} går inte att anropa: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise TransientDeliveryError(f"Webhookmottagaren svarade inte inom {timeout:g} s: {exc!r}") from exc
    except httpx.TransportError as exc:  # refused, reset, DNS, TLS, a broken response
        raise TransientDeliveryError(
            f"Webhookmottagaren gick inte att nå: {type(exc).__name__}: {exc}"
        ) from exc
    _raise_for_status(response)


def _raise_for_status(response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    snippet = " ".join(response.text[:_SNIPPET_CHARS].split())
    reason = f"Webhookmottagaren svarade {status}: {snippet}".rstrip(": ")
    if status in _RETRY_STATUSES or status >= 500:
        raise TransientDeliveryError(reason, code=status, retry_after=_retry_after(response))
    if 300 <= status < 400:  # not followed: a signed POST is not re-sent to wherever it points
        location = response.headers.get("Location", "")
        raise PermanentDeliveryError(
            f"{reason} (omdirigering till {location!r}; ange den adressen)", code=status
        )
    raise PermanentDeliveryError(reason, code=status)


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds, when given as a number (the HTTP-date form is rare; ignored)."""
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isascii() and value.isdigit() else None
