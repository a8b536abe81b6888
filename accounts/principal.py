"""The signed-in user as a request sees it: who, with which roles where.

Loaded with one query per request (a session's user id, or an API token's hash), so a role
granted or revoked takes effect on the next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from accounts.tables import Role, User

ROLE_NAMES = {
    Role.ADMIN: "administratör",
    Role.SECRETARIAT: "sekretariat",
    Role.CLERK: "registrator",
    Role.STEWARD: "förvaltare",
    Role.VIEWER: "läsare",
}
LABEL_LENGTH = 200  # audit_event.actor


@dataclass(frozen=True, slots=True)
class Grant:
    """One role with its scope, and the names a person recognises it by."""

    id: int
    role: Role
    structure: str | None = None  # slug
    structure_name: str | None = None  # its secretariat, e.g. "VästKom"
    party: str | None = None  # code
    party_name: str | None = None
    agreement_id: int | None = None

    @property
    def label(self) -> str:
        """Short, for the audit trail: "registrator, Härryda"."""
        name = ROLE_NAMES[self.role]
        where = self.structure_name or self.party_name
        if self.agreement_id is not None:
            where = f"överenskommelse {self.agreement_id}"
        return f"{name}, {where}" if where else name

    @property
    def description(self) -> str:
        """For messages: "registrator för Härryda (1401)"."""
        name = ROLE_NAMES[self.role]
        if self.role is Role.SECRETARIAT:
            return f"{name} för {self.structure_name} ({self.structure})"
        if self.role is Role.CLERK:
            return f"{name} för {self.party_name} ({self.party})"
        if self.role is Role.STEWARD:
            return f"{name} av överenskommelse {self.agreement_id}"
        return name


@dataclass(frozen=True, slots=True)
class SignedInUser:
    id: int
    email: str
    name: str
    roles: tuple[Grant, ...]
    via: str = "session"  # "session" (a web sign-in) or "token" (an integration's bearer token)
    token_id: int | None = None

    @property
    def label(self) -> str:
        """As the audit trail shows the person: "Anna Berg (registrator, Härryda)"."""
        labels = [g.label for g in self.roles if g.role is not Role.STEWARD]
        stewarded = [str(g.agreement_id) for g in self.roles if g.role is Role.STEWARD]
        if stewarded:  # one steward may look after many agreements: name the role once
            labels.append(f"{ROLE_NAMES[Role.STEWARD]}, överenskommelse {', '.join(stewarded)}")
        label = f"{self.name} ({'; '.join(labels)})" if labels else self.name
        return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1] + "…"

    @property
    def is_admin(self) -> bool:
        return any(g.role is Role.ADMIN for g in self.roles)


_GRANTS = """
    LEFT JOIN role_grant g ON g."user" = u.id
    LEFT JOIN structure s ON s.id = g.structure
    LEFT JOIN party p ON p.id = g.party
"""
_COLUMNS = """u.id, u.email, u.name, g.id AS grant_id, g.role, s.slug AS structure,
    s.secretariat AS structure_name, p.code AS party, p.name AS party_name, g.agreement_id"""


def _grants(rows: list[dict]) -> tuple[Grant, ...]:
    return tuple(
        Grant(
            id=r["grant_id"],
            role=Role(r["role"]),
            structure=r["structure"],
            structure_name=r["structure_name"],
            party=r["party"],
            party_name=r["party_name"],
            agreement_id=r["agreement_id"],
        )
        for r in rows
        if r["grant_id"] is not None
    )


def _user(rows: list[dict], *, via: str, token_id: int | None = None) -> SignedInUser | None:
    if not rows:
        return None
    first = rows[0]
    return SignedInUser(
        id=first["id"],
        email=first["email"],
        name=first["name"],
        roles=_grants(rows),
        via=via,
        token_id=token_id,
    )


async def load_user(user_id: int, *, via: str = "session") -> SignedInUser | None:
    rows = await User.raw(
        f"SELECT {_COLUMNS} FROM app_user u {_GRANTS} WHERE u.id = {{}} ORDER BY g.id", user_id
    )
    return _user(rows, via=via)


async def load_token_user(token_hash: str, *, used_at: datetime) -> SignedInUser | None:
    """The user of an active token, stamping the token's `last_used_at` in the same statement."""
    rows = await User.raw(
        "WITH t AS (UPDATE api_token SET last_used_at = {} WHERE token_hash = {} AND revoked_at IS NULL "
        'RETURNING id AS token_id, "user" AS user_id) '
        f"SELECT t.token_id, {_COLUMNS} FROM t JOIN app_user u ON u.id = t.user_id {_GRANTS} ORDER BY g.id",
        used_at,
        token_hash,
    )
    return _user(rows, via="token", token_id=rows[0]["token_id"] if rows else None)


async def grants_of(user_ids: list[int]) -> dict[int, tuple[Grant, ...]]:
    """Every grant of the given users, by user id (for lists of users)."""
    rows = await User.raw(
        f'SELECT g."user" AS user_id, {_COLUMNS} FROM app_user u {_GRANTS} '
        "WHERE u.id = ANY({}) AND g.id IS NOT NULL ORDER BY g.id",
        user_ids,
    )
    found: dict[int, list[dict]] = {}
    for row in rows:
        found.setdefault(row["user_id"], []).append(row)
    return {uid: _grants(found.get(uid, [])) for uid in user_ids}
