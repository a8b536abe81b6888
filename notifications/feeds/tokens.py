"""The tokens that open calendar feeds: what one is, how a feed checks it, and its rows.

A token is `svf_` and 43 URL-safe characters (256 bits). Only its SHA-256 hash is stored: a token
has full entropy, so a fast hash is enough and a copy of the database opens no feed. Two sorts,
checked alike:

- a random token, made through the management API or for a user's own feed, shown once;
- a scope's published token (the subscribe link on its pages), derived as HMAC-SHA256(SECRET_KEY,
  scope + a stored nonce), so the pages can show the link again without the token being stored
  (`links.subscribe_links`).

Managing them (create, rotate, revoke) is `manage`. Whatever is wrong with a token (unknown,
revoked, for another feed), the answer is the one an unknown feed gets: FEED_NOT_FOUND, no hint.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import msgspec

from core.clock import now
from core.errors import NotFound
from core.settings import get_settings
from notifications.feeds.scopes import (
    FEED_NOT_FOUND,
    Scope,
    ScopeKind,
    feed_path,
    feed_url,
)
from notifications.feeds.tables import FeedToken
from notifications.feeds.views import FeedTokenView, NewFeedToken
from notifications.ical import webcal_url

PREFIX = "svf_"  # not "sv_": an API token (accounts.tokens) can never pass for a feed token
_TOKEN_LENGTH = len(PREFIX) + 43  # 32 bytes in unpadded URL-safe base64
# last_used_at is for spotting tokens nobody uses; an hour's precision spares a write per poll.
STAMP_EVERY = timedelta(hours=1)
TOKEN_ENTITY = "feed_token"

COLUMNS = (
    "id, scope_kind, scope_key, label, nonce IS NOT NULL AS published, prefix, created_at, "
    "last_used_at, revoked_at"
)
# Each scope's display name, by the key as it is stored in feed_token.scope_key.
SCOPE_NAME = {
    ScopeKind.PARTY: "SELECT name FROM party WHERE code = {}",
    ScopeKind.AGREEMENT: "SELECT title AS name FROM agreement WHERE id = CAST({}::text AS integer)",
    ScopeKind.STRUCTURE: "SELECT name FROM structure WHERE slug = {}",
    ScopeKind.USER: "SELECT name FROM app_user WHERE id = CAST({}::text AS integer)",
}
SCOPE_MISSING = {
    ScopeKind.PARTY: "Det finns ingen part med koden '{}'.",
    ScopeKind.AGREEMENT: "Överenskommelse {} finns inte.",
    ScopeKind.STRUCTURE: "Samverkansstrukturen '{}' finns inte.",
    ScopeKind.USER: "Användare {} finns inte.",
}


@dataclass(frozen=True, slots=True)
class OpenedFeed:
    """A feed a valid token opened: its scope, the calendar's name for it, and when the token was
    last stamped as used (now, if this opening stamped it)."""

    token_id: int
    scope: Scope
    name: str
    last_used_at: datetime | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def random_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def published_token(scope: Scope, nonce: str) -> str:
    """A published token, derived again whenever its link is shown. A new SECRET_KEY gives other
    tokens: `links.subscribe_links` then replaces the published token (the old links stop)."""
    message = f"samverkan calendar feed\x00{scope.kind.value}\x00{scope.key}\x00{nonce}".encode()
    digest = hmac.new(get_settings().secret_key.encode(), message, hashlib.sha256).digest()
    return PREFIX + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def view(row: dict) -> FeedTokenView:
    scope = Scope(ScopeKind(row["scope_kind"]), row["scope_key"])
    return FeedTokenView(
        id=row["id"],
        scope=scope.kind.value,
        key=scope.key,
        label=row["label"],
        published=row["published"],
        prefix=row["prefix"],
        feed_path=feed_path(scope),
        created_at=row["created_at"],
        last_used_at=row["last_used_at"],
        revoked_at=row["revoked_at"],
    )


def new_token_view(row: dict, token: str) -> NewFeedToken:
    url = feed_url(Scope(ScopeKind(row["scope_kind"]), row["scope_key"]), token)
    return NewFeedToken(**msgspec.structs.asdict(view(row)), token=token, https=url, webcal=webcal_url(url))


async def scope_name(scope: Scope) -> str:
    """The scope's name (a party's, an agreement's title...); NotFound when it does not exist."""
    rows = await FeedToken.raw(SCOPE_NAME[scope.kind], scope.key)
    if not rows:
        raise NotFound(SCOPE_MISSING[scope.kind].format(scope.key))
    return rows[0]["name"]


async def open_feed(kind: ScopeKind, key: str | None, token: str) -> OpenedFeed:
    """The feed `token` opens, if it is an active token for this feed (any personal feed when
    `kind` is USER and `key` None); FEED_NOT_FOUND otherwise, whatever the reason."""
    if len(token) != _TOKEN_LENGTH or not token.startswith(PREFIX):
        raise NotFound(FEED_NOT_FOUND)
    name = SCOPE_NAME[kind].replace("{}", "t.scope_key")
    rows = await FeedToken.raw(
        f"SELECT t.id, t.scope_key, t.last_used_at, ({name}) AS name FROM feed_token t "
        "WHERE t.token_hash = {} AND t.scope_kind = {} AND t.revoked_at IS NULL"
        + ("" if key is None else " AND t.scope_key = {}"),
        token_hash(token),
        kind.value,
        *(() if key is None else (key,)),
    )
    if not rows or rows[0]["name"] is None:  # no such token, or its scope has gone
        raise NotFound(FEED_NOT_FOUND)
    row = rows[0]
    stamped = await stamp_use(row["id"], row["last_used_at"])
    return OpenedFeed(row["id"], Scope(kind, row["scope_key"]), row["name"], stamped)


async def stamp_use(token_id: int, last_used_at: datetime | None) -> datetime:
    """Stamp the token as used, unless it was within STAMP_EVERY; when it was last stamped."""
    stamp = now()
    if last_used_at is not None and stamp - last_used_at < STAMP_EVERY:
        return last_used_at
    await FeedToken.raw("UPDATE feed_token SET last_used_at = {} WHERE id = {}", stamp, token_id)
    return stamp


async def insert_token(
    scope: Scope,
    token: str,
    *,
    label: str,
    nonce: str | None = None,
    user_id: int | None = None,
) -> dict | None:
    """Insert a token row; a published one (with a nonce) unless the scope already has one, in
    which case None comes back (ON CONFLICT: a concurrent first view of a page made it)."""
    rows = await FeedToken.raw(
        'INSERT INTO feed_token (scope_kind, scope_key, "user", label, token_hash, prefix, nonce, '
        "default_for, created_at) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}) "
        "ON CONFLICT (default_for) DO NOTHING "
        f"RETURNING {COLUMNS}",
        scope.kind.value,
        scope.key,
        user_id,
        label,
        token_hash(token),
        token[:10],
        nonce,
        scope.default_for if nonce is not None else None,
        now(),
    )
    return rows[0] if rows else None


async def revoke_row(token_id: int) -> dict | None:
    rows = await FeedToken.raw(
        "UPDATE feed_token SET revoked_at = {}, default_for = NULL WHERE id = {} AND revoked_at IS NULL "
        f'RETURNING {COLUMNS}, "user" AS user_id',
        now(),
        token_id,
    )
    return rows[0] if rows else None
