"""What a feed covers: a party, an agreement, a structure, or what one user is responsible for.

A scope is a kind and a key (a party code, an agreement id, a structure slug, a user id); the
same pair names a feed's URL, its tokens and the authorisation the management API asks for.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from core.errors import InvalidInput, NotFound
from core.settings import get_settings

FEED_NOT_FOUND = "Det finns inget sådant kalenderflöde."  # unknown feed and bad token alike
CALENDAR_PREFIX = "samverkan – "


class ScopeKind(enum.StrEnum):
    PARTY = "party"
    AGREEMENT = "agreement"
    STRUCTURE = "structure"
    USER = "user"


# The published scopes: their feeds have URLs of their own and default subscribe links.
PUBLISHED = (ScopeKind.PARTY, ScopeKind.AGREEMENT, ScopeKind.STRUCTURE)
_PATHS = {ScopeKind.PARTY: "parties", ScopeKind.AGREEMENT: "agreements", ScopeKind.STRUCTURE: "structures"}


@dataclass(frozen=True, slots=True)
class Scope:
    kind: ScopeKind
    key: str

    @property
    def default_for(self) -> str:
        """The value of `feed_token.default_for` for this scope's published token."""
        return f"{self.kind.value}:{self.key}"


def parse_scope(kind: str, key: str | int | None) -> Scope:
    """A published scope from the management API's words; 422 for what cannot be one."""
    try:
        parsed = ScopeKind(kind)
    except ValueError:
        raise InvalidInput(
            f"Okänt slag av kalenderflöde '{kind}'. Kända: {', '.join(PUBLISHED)}.", field="scope"
        ) from None
    if parsed not in PUBLISHED:
        raise InvalidInput("Ditt eget kalenderflöde hanteras under /api/feeds/me.", field="scope")
    text = "" if key is None else str(key).strip()
    if not text or len(text) > 40:
        raise InvalidInput(
            "Ange partens kod, överenskommelsens id eller strukturens namn (key).", field="key"
        )
    # an id below 1 is an integer still, only of no agreement: the lookup answers 404 for it
    digits = text.removeprefix("-")
    if parsed is ScopeKind.AGREEMENT and not (digits.isascii() and digits.isdecimal() and len(digits) <= 9):
        raise InvalidInput(f"En överenskommelses id är ett heltal, inte '{text}'.", field="key")
    return Scope(parsed, str(int(text)) if parsed is ScopeKind.AGREEMENT else text)


def scope_from_file(kind: ScopeKind, file_name: str) -> Scope:
    """The scope of a feed URL's last segment ("1401.ics"); anything else is an unknown feed."""
    key, dot, extension = file_name.rpartition(".")
    if not dot or extension != "ics" or not key or len(key) > 40:
        raise NotFound(FEED_NOT_FOUND)
    if kind is ScopeKind.AGREEMENT:
        if not (key.isascii() and key.isdecimal()) or len(key) > 9:
            raise NotFound(FEED_NOT_FOUND)
        key = str(int(key))
    return Scope(kind, key)


def token_from_file(file_name: str) -> str:
    """A personal feed's token from its URL's last segment ("svf_...ics")."""
    token, dot, extension = file_name.rpartition(".")
    if not dot or extension != "ics" or not token:
        raise NotFound(FEED_NOT_FOUND)
    return token


def feed_path(scope: Scope) -> str:
    """The feed's path without its token: /feeds/parties/1401.ics (a personal feed's path is its
    token, so it shows as a placeholder)."""
    if scope.kind is ScopeKind.USER:
        return "/feeds/me/{token}.ics"
    return f"/feeds/{_PATHS[scope.kind]}/{scope.key}.ics"


def feed_url(scope: Scope, token: str) -> str:
    """The feed's URL with its token (tokens are URL-safe base64: no quoting needed)."""
    base = get_settings().base_url
    if scope.kind is ScopeKind.USER:
        return f"{base}/feeds/me/{token}.ics"
    return f"{base}{feed_path(scope)}?token={token}"


def agreement_scope_id(scope: Scope) -> int | None:
    """The agreement id, for the audit trail's agreement column."""
    return int(scope.key) if scope.kind is ScopeKind.AGREEMENT else None
