"""The unsubscribe link in every e-mail: a token that names the address and proves we made it.

`<base64url(address)>.<base64url(HMAC-SHA256(SECRET_KEY, purpose ‖ address))>`: whoever holds the
e-mail may stop it, without signing in (recipients are contacts and stewards, most without an
account), and nobody can make a token for another address. The address is in the token, so
nothing is stored to make one; a new SECRET_KEY makes the links of earlier e-mails stop working
(they answer that the link is not valid, and the preferences page still works when signed in).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from core.settings import get_settings

_PURPOSE = b"samverkan unsubscribe\x00"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(address: str) -> bytes:
    return hmac.new(get_settings().secret_key.encode(), _PURPOSE + address.encode(), hashlib.sha256).digest()


def make_token(address: str) -> str:
    address = address.strip().lower()
    return f"{_b64(address.encode())}.{_b64(_mac(address))}"


def read_token(token: str) -> str | None:
    """The address the token was made for, or None for a token we did not make."""
    encoded, sep, mac = token.partition(".")
    if not sep or not encoded or not mac or len(token) > 1000 or not token.isascii():
        return None
    try:
        address = _unb64(encoded).decode()
        given = _unb64(mac)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if address != address.strip().lower() or not hmac.compare_digest(given, _mac(address)):
        return None
    return address


def unsubscribe_url(base_url: str, address: str) -> str:
    return f"{base_url}/unsubscribe/{make_token(address)}"
