"""One demo user of each role (README, "Users and roles"); loading twice changes nothing.

The passwords are public on purpose: they exist only in demo installations.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts import roles, users
from accounts.tables import User
from audit.trail import Actor
from core.errors import NotFound

ACTOR = Actor.system("demo")
# The steward's agreement: the one whose stewards list this address, else Västra Götaland's
# health-care agreement (seed 003) by its title.
STEWARD_TITLE = "%hälso- och sjukvård%"


@dataclass(frozen=True, slots=True)
class DemoUser:
    email: str
    name: str
    password: str
    role: str
    structure: str | None = None
    party: str | None = None


DEMO_USERS = [
    DemoUser("admin@samverkan.example", "Sara Lind", "demo-admin-2026", "admin"),
    DemoUser(
        "sekretariat@vastkom.example", "Erik Holm", "demo-sekretariat-2026", "secretariat", "vastra-gotaland"
    ),
    DemoUser("registrator@harryda.example", "Anna Berg", "demo-registrator-2026", "clerk", party="1401"),
    DemoUser("forvaltare@vgregion.example", "Johan Ek", "demo-forvaltare-2026", "steward"),
    DemoUser("lasare@samverkan.example", "Maria Sjö", "demo-lasare-2026", "viewer"),
]


async def _stewarded_agreements(email: str) -> list[int]:
    # SQL rather than lifecycle's tables: accounts sits below lifecycle in the code's layers.
    rows = await User.raw(
        "SELECT DISTINCT agreement AS id FROM steward WHERE lower(email) = {} ORDER BY 1", email
    )
    if not rows:
        rows = await User.raw(
            "SELECT a.id FROM agreement a JOIN structure s ON s.id = a.structure "
            "WHERE s.slug = 'vastra-gotaland' AND a.title ILIKE {} ORDER BY a.id LIMIT 1",
            STEWARD_TITLE,
        )
    return [r["id"] for r in rows]


async def _ensure_user(demo: DemoUser) -> int:
    try:
        return await users.user_id_for(demo.email)
    except NotFound:
        return (await users.create_user(demo.email, name=demo.name, password=demo.password, actor=ACTOR)).id


async def _ensure_role(user_id: int, demo: DemoUser, agreement_id: int | None = None) -> None:
    scope = {"structure": demo.structure, "party": demo.party, "agreement_id": agreement_id}
    if await roles.find_grant(user_id, demo.role, **scope) is None:
        await roles.grant_role(user_id, demo.role, actor=ACTOR, **scope)


async def load_demo_users() -> str:
    stewarded: list[int] = []
    for demo in DEMO_USERS:
        user_id = await _ensure_user(demo)
        if demo.role != "steward":
            await _ensure_role(user_id, demo)
            continue
        stewarded = await _stewarded_agreements(demo.email)
        for agreement_id in stewarded:
            await _ensure_role(user_id, demo, agreement_id)
    steward = (
        f"steward of agreement {', '.join(map(str, stewarded))}"
        if stewarded
        else "no steward role (no agreement)"
    )
    return f"Demo users: {len(DEMO_USERS)} (passwords in the README), {steward}."
