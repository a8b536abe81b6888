"""Signing webhook bodies, and checking a signature as a receiver should (pure).

The scheme is Stripe's. Each call carries

    X-Samverkan-Signature: t=1795426200,v1=5257a869e7ec...d8bd
    X-Samverkan-Delivery: reminder:12:notice-24m:1401

where `t` is the sending time in Unix seconds and `v1` the lower-case hex HMAC-SHA256, keyed with
the endpoint's shared secret (UTF-8), of the bytes `"{t}."` followed by the raw request body. To
verify, a receiver

1. takes `t` and every `v1` from the header (during a secret rotation there may be several),
2. computes the HMAC of `"{t}." + body` exactly as received (before any JSON parsing),
3. compares it with each `v1` in constant time; one match is enough,
4. rejects a `t` more than 5 minutes from its own clock, so a captured call cannot be replayed
   later, and
5. treats `X-Samverkan-Delivery` as an idempotency key: a retried delivery has the same key (and
   a new `t`), so a receiver that has seen the key answers 2xx and does nothing.

`verify` below does 1-4 and is what a Python receiver can copy.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Samverkan-Signature"
DELIVERY_HEADER = "X-Samverkan-Delivery"
SCHEME = "v1"
# Stripe's default tolerance: wide enough for clock skew and a slow network, short for replays.
DEFAULT_TOLERANCE_SECONDS = 300


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """The value of `X-Samverkan-Signature` for `body` sent at `timestamp` (Unix seconds)."""
    return f"t={timestamp:d},{SCHEME}={_digest(body, secret, timestamp)}"


def verify(
    body: bytes, header: str, secret: str, now: int, tolerance: int = DEFAULT_TOLERANCE_SECONDS
) -> bool:
    """Whether `header` is a valid signature of `body` by `secret`, made within `tolerance` seconds
    of `now` (Unix seconds). False for a malformed header, too."""
    timestamp, signatures = _parse(header)
    if timestamp is None or not signatures or abs(now - timestamp) > tolerance:
        return False
    expected = _digest(body, secret, timestamp)
    # every candidate is compared, so the time taken does not tell which one matched
    matches = [hmac.compare_digest(expected, candidate) for candidate in signatures]
    return any(matches)


def _digest(body: bytes, secret: str, timestamp: int) -> str:
    signed = f"{timestamp:d}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def _parse(header: str) -> tuple[int | None, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t" and value.isascii() and value.isdigit():
            timestamp = int(value)
        elif key == SCHEME:
            signatures.append(value)
    return timestamp, signatures
