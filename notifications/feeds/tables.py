"""The feeds app's one table: the secret tokens that open calendar feeds.

Calendar programs cannot sign in, so a feed URL carries a token. Only its SHA-256 hash is kept
(a token has 256 bits of entropy, so a fast hash is enough, as for API tokens in `accounts`).
Revoked tokens stay, with `revoked_at`, for the trail; rotation revokes one row and adds another.
"""

from __future__ import annotations

from piccolo.columns import ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check, Unique
from piccolo.table import Table

from accounts.tables import User


class FeedToken(Table, tablename="feed_token"):
    """One token for one feed: a published scope (party, agreement, structure) or a user's own.

    `scope_key` is the party code, the agreement id, the structure slug or the user id. A scope's
    published token (the one its pages link to) has `default_for` = "<kind>:<key>" while active,
    and a `nonce` from which the token is derived again with SECRET_KEY (`tokens.published_token`);
    every other token is random and shown once.
    """

    scope_kind = Varchar(length=12)
    scope_key = Varchar(length=40, index=True)  # listing a scope's tokens
    user = ForeignKey(User, null=True, default=None, on_delete=OnDelete.cascade, index=True)
    label = Varchar(length=100, default="")
    token_hash = Varchar(length=64, unique=True)
    prefix = Varchar(length=12)  # the token's first characters, to recognise it in a list
    nonce = Varchar(length=32, null=True, default=None)
    default_for = Varchar(length=60, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)

    feed_token_one_published_per_scope = Unique(["default_for"])
    feed_token_known_scope = Check("scope_kind IN ('party', 'agreement', 'structure', 'user')")
    feed_token_user_scope = Check("(scope_kind = 'user') = (\"user\" IS NOT NULL)")
    feed_token_published_active = Check("default_for IS NULL OR (revoked_at IS NULL AND nonce IS NOT NULL)")
