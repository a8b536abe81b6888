"""E-mail addresses checked before anything is sent (pure).

A broken address in a contact record is a permanent failure: retrying cannot mend it, and the
secretariat needs to see which address to correct. The check itself is the product's one check,
`core.addresses`; a receiving server's 5xx is reported by `notifications.smtp`.
"""

from __future__ import annotations

from core.addresses import inspect_address, problem_message
from notifications.errors import PermanentDeliveryError


def checked_address(address: str) -> str:
    """The address ready for the SMTP envelope (domain lower-cased, in ASCII), or a
    `PermanentDeliveryError` saying what is wrong with it."""
    problem, normalised = inspect_address(address)
    if problem:
        raise PermanentDeliveryError(problem_message(address, problem))
    return normalised
