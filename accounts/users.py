"""Creating and listing users."""

from __future__ import annotations

from asyncpg.exceptions import UniqueViolationError

from accounts.passwords import hash_password
from accounts.principal import SignedInUser, grants_of
from accounts.tables import User
from accounts.views import UserView, grant_view
from audit.trail import Actor, record
from core.addresses import email_address
from core.clock import now
from core.errors import Conflict, InvalidInput, NotFound

_COLUMNS = (User.id, User.email, User.name, User.password_hash, User.created_at, User.last_sign_in_at)


def lookup_email(email: str) -> str:
    """An address as stored and looked up: trimmed, lower case, at most 320 characters (RFC 5321)."""
    return email.strip().lower()[:320]


def normalise_email(email: str) -> str:
    """A new address, checked: refused unless it looks like one."""
    return email_address(email).lower()


async def create_user(email: str, *, name: str, password: str | None, actor: Actor) -> UserView:
    """A new user; without a password the user can only use API tokens."""
    address = normalise_email(email)
    name = name.strip()
    if not name:
        raise InvalidInput("Ange användarens namn.", field="name")
    password_hash = None if password is None else await hash_password(password)
    try:
        async with User._meta.db.transaction():
            rows = await User.insert(
                User(email=address, name=name, password_hash=password_hash, created_at=now())
            ).returning(User.id)
            user_id = rows[0]["id"]
            after = {"email": address, "name": name, "password": password_hash is not None}
            await record(actor, "create", "user", user_id, after=after)
    except UniqueViolationError:
        raise Conflict(f"Det finns redan en användare med e-postadressen {address}.", field="email") from None
    return await get_user(user_id)


async def user_id_for(email: str) -> int:
    address = lookup_email(email)
    row = await User.select(User.id).where(User.email == address).first()
    if row is None:
        raise NotFound(f"Det finns ingen användare med e-postadressen {address}.")
    return row["id"]


async def get_user(user_id: int) -> UserView:
    row = await User.select(*_COLUMNS).where(User.id == user_id).first()
    if row is None:
        raise NotFound(f"Det finns ingen användare med id {user_id}.")
    return (await _views([row]))[0]


async def list_users() -> list[UserView]:
    return await _views(await User.select(*_COLUMNS).order_by(User.email))


async def _views(rows: list[dict]) -> list[UserView]:
    grants = await grants_of([r["id"] for r in rows])
    views = []
    for r in rows:
        roles = grants[r["id"]]
        label = SignedInUser(id=r["id"], email=r["email"], name=r["name"], roles=roles).label
        views.append(
            UserView(
                id=r["id"],
                email=r["email"],
                name=r["name"],
                label=label,
                has_password=r["password_hash"] is not None,
                created_at=r["created_at"],
                last_sign_in_at=r["last_sign_in_at"],
                roles=[grant_view(g) for g in roles],
            )
        )
    return views
