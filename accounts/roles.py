"""Granting and revoking roles. What each role allows is decided in `api.access`."""

from __future__ import annotations

from asyncpg.exceptions import ForeignKeyViolationError, UniqueViolationError

from accounts.principal import load_user
from accounts.tables import Role, RoleGrant
from accounts.views import GrantView, grant_view
from audit.trail import Actor, record
from core.clock import now
from core.errors import Conflict, InvalidInput, NotFound
from parties.tables import Party, Structure

# The one scope each role needs; admin and viewer hold everywhere.
SCOPE_OF = {
    Role.ADMIN: None,
    Role.VIEWER: None,
    Role.SECRETARIAT: "structure",
    Role.CLERK: "party",
    Role.STEWARD: "agreement_id",
}
_SCOPE_WORDS = {
    "structure": "en samverkansstruktur (structure)",
    "party": "en part (party)",
    "agreement_id": "en överenskommelse (agreement_id)",
}


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise InvalidInput(f"Okänd roll '{role}'. Kända roller: {known}.", field="role") from None


def check_scope(role: Role, *, structure: str | None, party: str | None, agreement_id: int | None) -> None:
    """Each role names exactly the scope it needs, and nothing else."""
    given = {
        k for k, v in {"structure": structure, "party": party, "agreement_id": agreement_id}.items() if v
    }
    needed = SCOPE_OF[role]
    if needed is None and given:
        raise InvalidInput(
            f"Rollen {role.value} gäller överallt; ange varken struktur, part eller överenskommelse.",
            field=sorted(given)[0],
        )
    if needed is not None and given != {needed}:
        raise InvalidInput(f"Rollen {role.value} gäller {_SCOPE_WORDS[needed]}; ange just den.", field=needed)


async def _scope_ids(structure: str | None, party: str | None) -> dict:
    ids: dict = {"structure": None, "party": None}
    if structure:
        row = await Structure.select(Structure.id).where(Structure.slug == structure).first()
        if row is None:
            raise InvalidInput(f"Samverkansstrukturen '{structure}' finns inte.", field="structure")
        ids["structure"] = row["id"]
    if party:
        row = await Party.select(Party.id).where(Party.code == party).first()
        if row is None:
            raise InvalidInput(f"Det finns ingen part med koden '{party}'.", field="party")
        ids["party"] = row["id"]
    return ids


async def grant_role(
    user_id: int,
    role: str,
    *,
    structure: str | None = None,
    party: str | None = None,
    agreement_id: int | None = None,
    actor: Actor,
) -> GrantView:
    parsed = parse_role(role)
    check_scope(parsed, structure=structure, party=party, agreement_id=agreement_id)
    ids = await _scope_ids(structure, party)
    scope = {"structure": structure, "party": party, "agreement_id": agreement_id}
    try:
        async with RoleGrant._meta.db.transaction():
            rows = await RoleGrant.insert(
                RoleGrant(user=user_id, role=parsed.value, agreement_id=agreement_id, granted_at=now(), **ids)
            ).returning(RoleGrant.id)
            grant_id = rows[0]["id"]
            await record(
                actor, "grant", "role_grant", grant_id, after={"user": user_id, "role": role, **scope}
            )
    except UniqueViolationError:
        raise Conflict("Användaren har redan den rollen.", field="role") from None
    except ForeignKeyViolationError as exc:
        if "agreement" in str(exc):
            raise InvalidInput(f"Överenskommelse {agreement_id} finns inte.", field="agreement_id") from None
        raise NotFound(f"Det finns ingen användare med id {user_id}.") from None
    user = await load_user(user_id)
    return next(grant_view(g) for g in user.roles if g.id == grant_id)


async def revoke_role(user_id: int, grant_id: int, *, actor: Actor) -> None:
    async with RoleGrant._meta.db.transaction():
        user = await load_user(user_id)
        grant = next((g for g in user.roles if g.id == grant_id), None) if user else None
        if grant is None:
            raise NotFound(f"Användare {user_id} har ingen roll med id {grant_id}.")
        await RoleGrant.delete().where(RoleGrant.id == grant_id)
        before = {
            "user": user_id,
            "role": grant.role.value,
            "structure": grant.structure,
            "party": grant.party,
            "agreement_id": grant.agreement_id,
        }
        await record(actor, "revoke", "role_grant", grant_id, before=before)


async def find_grant(
    user_id: int, role: str, *, structure: str | None, party: str | None, agreement_id: int | None
) -> int | None:
    """The id of the user's grant of `role` with exactly this scope, if there is one."""
    user = await load_user(user_id)
    for g in user.roles if user else ():
        if (g.role.value, g.structure, g.party, g.agreement_id) == (role, structure, party, agreement_id):
            return g.id
    return None
