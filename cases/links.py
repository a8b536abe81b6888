"""The reporter's secret status link.

The token is derived from a random salt kept on the report and the installation's SECRET_KEY
(HMAC-SHA256), as a calendar feed's published token is, and only its SHA-256 hash is stored for
the look-up (`notifications.feeds.tokens.token_hash`): the database alone gives no one a working
link, yet every feedback e-mail can carry the same link the acknowledgement did. A
new SECRET_KEY breaks every link (as it does the published calendar links); gallring removes the
salt and the hash, so a cleared report's link answers 404.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from core.settings import get_settings

STATUS_PATH = "/samverkansbrister/status"


def new_salt() -> str:
    return secrets.token_hex(16)


def token_for(salt: str) -> str:
    digest = hmac.new(get_settings().secret_key.encode(), f"case-status:{salt}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def status_url(salt: str) -> str:
    return f"{get_settings().base_url}{STATUS_PATH}/{token_for(salt)}"


def case_url(agreement_id: int, report_id: int) -> str:
    return f"{get_settings().base_url}/agreements/{agreement_id}/samverkansbrister/{report_id}"
