"""Signing in with a password, and the audit events of signing in and out.

Every answer to a failed attempt is the same, whether the address is unknown, has no password or
the password is wrong; the audit trail (for admins) records which it was.
"""

from __future__ import annotations

from accounts.passwords import needs_rehash, rehash, verify_password
from accounts.principal import SignedInUser, load_user
from accounts.tables import User
from accounts.users import lookup_email
from audit.trail import Actor, record
from core.clock import now
from core.errors import Unauthenticated

WRONG_CREDENTIALS = "Fel e-postadress eller lösenord."
_ANONYMOUS = Actor(user_id=None, label="anonym")


async def sign_in(email: str, password: str, *, ip: str) -> SignedInUser:
    address = lookup_email(email)
    row = await User.select(User.id, User.password_hash).where(User.email == address).first()
    stored = row["password_hash"] if row else None
    if not await verify_password(stored, password):
        reason = "okänd adress" if row is None else "inget lösenord" if stored is None else "fel lösenord"
        await record(
            _ANONYMOUS,
            "refused",
            "user",
            row["id"] if row else "-",
            after={"email": address, "ip": ip, "reason": reason},
        )
        raise Unauthenticated(WRONG_CREDENTIALS)
    rehashed = await rehash(password) if needs_rehash(stored) else None
    async with User._meta.db.transaction():
        changes = {User.last_sign_in_at: now()}
        if rehashed:
            changes[User.password_hash] = rehashed
        await User.update(changes).where(User.id == row["id"])
        user = await load_user(row["id"])
        await record(Actor(user.id, user.label), "sign-in", "user", user.id, after={"ip": ip})
    return user


async def record_sign_out(user: SignedInUser, *, ip: str) -> None:
    await record(Actor(user.id, user.label), "sign-out", "user", user.id, after={"ip": ip})


async def record_lockout(email: str, *, ip: str, scope: str) -> None:
    """A lock-out began: too many failures for an address (`scope` "account") or from an IP ("ip")."""
    address = lookup_email(email)
    await record(_ANONYMOUS, "lockout", "user", "-", after={"email": address, "ip": ip, "scope": scope})
