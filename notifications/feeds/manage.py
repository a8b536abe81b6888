"""Managing feed tokens: made for a scope or for a user's own feed, listed (never shown again),
rotated and revoked, each change in the audit trail. What a token is: `tokens`."""

from __future__ import annotations

import secrets

from audit.trail import Actor, record
from core.clock import now
from core.errors import InvalidInput, NotFound
from notifications.feeds.scopes import Scope, ScopeKind, agreement_scope_id
from notifications.feeds.tables import FeedToken
from notifications.feeds.tokens import (
    COLUMNS,
    TOKEN_ENTITY,
    insert_token,
    new_token_view,
    published_token,
    random_token,
    revoke_row,
    scope_name,
    view,
)
from notifications.feeds.views import FeedTokenView, NewFeedToken

PERSONAL_LABEL = "Mina tidsfrister"


def _label(label: str) -> str:
    label = label.strip()
    if len(label) > 100:
        raise InvalidInput("Namnet får vara högst 100 tecken.", field="label")
    return label


def _trail(scope: Scope, **more: object) -> dict:
    return {"scope": scope.kind.value, "key": scope.key, **more}


async def create_token(scope: Scope, *, label: str, actor: Actor) -> NewFeedToken:
    """A new random token for a published scope; the token is in the answer and nowhere else."""
    label = _label(label)
    token = random_token()
    async with FeedToken._meta.db.transaction():
        await scope_name(scope)
        row = await insert_token(scope, token, label=label)
        await record(
            actor,
            "create",
            TOKEN_ENTITY,
            row["id"],
            agreement_id=agreement_scope_id(scope),
            after=_trail(scope, label=label),
        )
    return new_token_view(row, token)


async def get_token(token_id: int) -> FeedTokenView:
    rows = await FeedToken.raw(f"SELECT {COLUMNS} FROM feed_token WHERE id = {{}}", token_id)
    if not rows:
        raise NotFound(f"Det finns ingen kalendernyckel med id {token_id}.")
    return view(rows[0])


async def list_tokens(scope: Scope | None = None) -> list[FeedTokenView]:
    """The published scopes' tokens (one scope's, or all), active first, newest first."""
    where = "scope_kind <> 'user'" + ("" if scope is None else " AND scope_kind = {} AND scope_key = {}")
    args = () if scope is None else (scope.kind.value, scope.key)
    rows = await FeedToken.raw(
        f"SELECT {COLUMNS} FROM feed_token WHERE {where} ORDER BY revoked_at IS NOT NULL, id DESC", *args
    )
    return [view(r) for r in rows]


async def revoke_token(token_id: int, *, actor: Actor) -> None:
    async with FeedToken._meta.db.transaction():
        row = await revoke_row(token_id)
        if row is None:
            raise NotFound(f"Det finns ingen aktiv kalendernyckel med id {token_id}.")
        scope = Scope(ScopeKind(row["scope_kind"]), row["scope_key"])
        await record(
            actor,
            "revoke",
            TOKEN_ENTITY,
            token_id,
            agreement_id=agreement_scope_id(scope),
            before=_trail(scope, label=row["label"]),
        )


async def rotate_token(token_id: int, *, actor: Actor) -> NewFeedToken:
    """Revoke the token and make its successor: a published token stays the scope's published one."""
    async with FeedToken._meta.db.transaction():
        old = await revoke_row(token_id)
        if old is None:
            raise NotFound(f"Det finns ingen aktiv kalendernyckel med id {token_id}.")
        scope = Scope(ScopeKind(old["scope_kind"]), old["scope_key"])
        nonce = secrets.token_hex(16) if old["published"] else None
        token = published_token(scope, nonce) if nonce else random_token()
        row = await insert_token(scope, token, label=old["label"], nonce=nonce, user_id=old["user_id"])
        if row is None:  # a page made a new published token between our two statements
            raise NotFound(f"Det finns ingen aktiv kalendernyckel med id {token_id}.")
        await record(
            actor,
            "rotate",
            TOKEN_ENTITY,
            token_id,
            agreement_id=agreement_scope_id(scope),
            after=_trail(scope, label=old["label"], replaced_by=row["id"]),
        )
    return new_token_view(row, token)


async def create_personal_token(user_id: int, *, actor: Actor) -> NewFeedToken:
    """The user's own feed token; any earlier one is revoked (a user has one at a time)."""
    scope = Scope(ScopeKind.USER, str(user_id))
    token = random_token()
    async with FeedToken._meta.db.transaction():
        await scope_name(scope)
        earlier = await FeedToken.raw(
            "UPDATE feed_token SET revoked_at = {} WHERE scope_kind = 'user' AND \"user\" = {} "
            "AND revoked_at IS NULL RETURNING id",
            now(),
            user_id,
        )
        row = await insert_token(scope, token, label=PERSONAL_LABEL, user_id=user_id)
        for old in earlier:
            await record(actor, "rotate", TOKEN_ENTITY, old["id"], after=_trail(scope, replaced_by=row["id"]))
        if not earlier:
            await record(actor, "create", TOKEN_ENTITY, row["id"], after=_trail(scope))
    return new_token_view(row, token)


async def personal_tokens(user_id: int) -> list[FeedTokenView]:
    """The user's own feed token, if there is an active one."""
    rows = await FeedToken.raw(
        f"SELECT {COLUMNS} FROM feed_token WHERE scope_kind = 'user' AND \"user\" = {{}} "
        "AND revoked_at IS NULL ORDER BY id",
        user_id,
    )
    return [view(r) for r in rows]


async def revoke_personal_token(user_id: int, *, actor: Actor) -> None:
    async with FeedToken._meta.db.transaction():
        rows = await FeedToken.raw(
            "UPDATE feed_token SET revoked_at = {} WHERE scope_kind = 'user' AND \"user\" = {} "
            "AND revoked_at IS NULL RETURNING id",
            now(),
            user_id,
        )
        if not rows:
            raise NotFound("Du har inget eget kalenderflöde.")
        for row in rows:
            scope = Scope(ScopeKind.USER, str(user_id))
            await record(actor, "revoke", TOKEN_ENTITY, row["id"], before=_trail(scope))
