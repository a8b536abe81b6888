"""How a delivery (an e-mail or a webhook call) failed, sorted by what the sender should do next.

A task retries `TransientDeliveryError` (with backoff, bounded) and gives up at once on
`PermanentDeliveryError`, keeping `reason` on the outbox row so the secretariat can see why a
reminder never arrived. Our own reasons are Swedish (the secretariat reads them); a server's reply
is quoted as it came.

These are not `core.errors.DomainError`s: they never reach an HTTP response.
"""

from __future__ import annotations


class DeliveryError(Exception):
    """A reminder could not be delivered. `reason` says why, for a person."""

    def __init__(self, reason: str, *, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        # the SMTP reply code or HTTP status the reason came with, when there was one
        self.code = code


class TransientDeliveryError(DeliveryError):
    """Worth retrying later: the receiver was down, slow, busy or answered "try again" (4xx SMTP)."""

    def __init__(self, reason: str, *, code: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(reason, code=code)
        # seconds the receiver asked us to wait (HTTP Retry-After), when it said so
        self.retry_after = retry_after


class PermanentDeliveryError(DeliveryError):
    """Retrying the same message will fail the same way: a bad address, a refused recipient, a 4xx."""
