"""API tokens for integrations: `Authorization: Bearer <token>`.

A token is 32 random bytes (256 bits) behind a recognisable prefix. Only its SHA-256 hash is stored:
a token has full entropy, so a fast hash suffices (no salt or argon2 needed), and a stolen
database yields no usable token. Revoked tokens stay, with `revoked_at`, for the trail.
"""

from __future__ import annotations

import hashlib
import secrets

from accounts.principal import SignedInUser, load_token_user
from accounts.tables import ApiToken
from accounts.views import NewToken, TokenView
from audit.trail import Actor, record
from core.clock import now
from core.errors import InvalidInput, NotFound

PREFIX = "sv_"
_VIEW = (
    ApiToken.id,
    ApiToken.name,
    ApiToken.prefix,
    ApiToken.created_at,
    ApiToken.last_used_at,
    ApiToken.revoked_at,
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(user_id: int, name: str, *, actor: Actor) -> NewToken:
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidInput("Ge API-nyckeln ett namn (1–100 tecken), t.ex. diariesystemet.", field="name")
    token = PREFIX + secrets.token_urlsafe(32)
    async with ApiToken._meta.db.transaction():
        rows = await ApiToken.insert(
            ApiToken(
                user=user_id, name=name, token_hash=token_hash(token), prefix=token[:10], created_at=now()
            )
        ).returning(*_VIEW)
        await record(actor, "create", "api_token", rows[0]["id"], after={"user": user_id, "name": name})
    return NewToken(**rows[0], token=token)


async def list_tokens(user_id: int) -> list[TokenView]:
    rows = await ApiToken.select(*_VIEW).where(ApiToken.user == user_id).order_by(ApiToken.id)
    return [TokenView(**r) for r in rows]


async def revoke_token(user_id: int, token_id: int, *, actor: Actor) -> None:
    """Revoke one of the user's own active tokens."""
    async with ApiToken._meta.db.transaction():
        rows = (
            await ApiToken.update({ApiToken.revoked_at: now()})
            .where((ApiToken.id == token_id) & (ApiToken.user == user_id) & ApiToken.revoked_at.is_null())
            .returning(ApiToken.id, ApiToken.name)
        )
        if not rows:
            raise NotFound(f"Det finns ingen aktiv API-nyckel med id {token_id} bland dina.")
        await record(
            actor, "revoke", "api_token", token_id, before={"user": user_id, "name": rows[0]["name"]}
        )


async def revoke_named(user_id: int, name: str, *, actor: Actor) -> int:
    """Revoke the user's active tokens called `name`; how many there were."""
    rows = await ApiToken.select(ApiToken.id).where(
        (ApiToken.user == user_id) & (ApiToken.name == name.strip()) & ApiToken.revoked_at.is_null()
    )
    for row in rows:
        await revoke_token(user_id, row["id"], actor=actor)
    return len(rows)


async def user_for_token(token: str) -> SignedInUser | None:
    """The user behind an active token (and its use stamped), or None."""
    if not token.startswith(PREFIX):
        return None
    return await load_token_user(token_hash(token), used_at=now())
