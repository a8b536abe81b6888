"""What the accounts services return: plain structs the API serialises as they are."""

from __future__ import annotations

from datetime import datetime

import msgspec

from accounts.principal import Grant, SignedInUser


class GrantView(msgspec.Struct, kw_only=True):
    id: int
    role: str
    structure: str | None = None
    party: str | None = None
    agreement_id: int | None = None
    label: str


class UserView(msgspec.Struct, kw_only=True):
    id: int
    email: str
    name: str
    label: str
    has_password: bool
    created_at: datetime
    last_sign_in_at: datetime | None
    roles: list[GrantView]


class MeView(msgspec.Struct, kw_only=True):
    id: int
    email: str
    name: str
    label: str
    signed_in_with: str  # "session" or "token"
    roles: list[GrantView]


class TokenView(msgspec.Struct, kw_only=True):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewToken(TokenView, kw_only=True):
    token: str  # shown this once; only its hash is stored


def grant_view(grant: Grant) -> GrantView:
    return GrantView(
        id=grant.id,
        role=grant.role.value,
        structure=grant.structure,
        party=grant.party,
        agreement_id=grant.agreement_id,
        label=grant.label,
    )


def me_view(user: SignedInUser) -> MeView:
    return MeView(
        id=user.id,
        email=user.email,
        name=user.name,
        label=user.label,
        signed_in_with=user.via,
        roles=[grant_view(g) for g in user.roles],
    )
