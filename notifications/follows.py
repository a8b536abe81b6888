"""Following by yourself: a signed-in person's own e-mail subscriptions to an agreement, a party or
a structure, made and removed from its page (or /api/me/follows), and what was sent to them.

A follow is a `subscription` by e-mail to the account's address, so the sweep treats it as any
subscription (notifications.recipients); only its owner, or an admin through /api/subscriptions,
removes it. Admins keep the API for other people's subscriptions and for webhooks.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from audit.trail import Actor
from core.errors import NotFound
from notifications.subscriptions import create_subscription, delete_subscription, list_subscriptions
from notifications.tables import Digest, Subscription

SENT_DAYS = 30  # what "Mina aviseringar" shows of what was sent


class Follow(msgspec.Struct, kw_only=True):
    id: int
    scope: str  # agreement, party, structure
    key: str  # the agreement's id, the party's code, the structure's slug
    name: str
    href: str
    kinds: list[str]


class SentMessage(msgspec.Struct, kw_only=True):
    id: int
    subject: str
    frequency: str
    status: str
    items: int
    created_at: datetime
    sent_at: datetime | None
    last_error: str | None


FOLLOWS_SQL = """
SELECT sub.id, sub.kinds, s.slug, s.name AS structure_name, p.code, p.name AS party_name,
       a.id AS agreement_id, a.title
FROM subscription sub
LEFT JOIN structure s ON s.id = sub.structure
LEFT JOIN party p ON p.id = sub.party
LEFT JOIN agreement a ON a.id = sub.agreement
WHERE sub.channel = 'email' AND lower(sub.target) = {}
ORDER BY sub.id
"""

SENT_SQL = f"""
SELECT g.id, g.subject, g.frequency, g.status, g.created_at, g.sent_at, g.last_error,
       (SELECT count(*) FROM delivery d WHERE d.digest = g.id) AS items
FROM digest g
WHERE g.recipient = {{}} AND g.created_at > now() - interval '{SENT_DAYS} days'
ORDER BY g.created_at DESC, g.id DESC
"""


def _follow(row: dict) -> Follow:
    if row["agreement_id"] is not None:
        scope, key, name = "agreement", str(row["agreement_id"]), row["title"]
        href = f"/agreements/{key}"
    elif row["code"] is not None:
        scope, key, name = "party", row["code"], f"{row['party_name']} ({row['code']})"
        href = f"/parties/{key}"
    else:
        scope, key, name = "structure", row["slug"], row["structure_name"]
        href = f"/structures/{key}"
    return Follow(id=row["id"], scope=scope, key=key, name=name, href=href, kinds=list(row["kinds"]))


async def my_follows(email: str) -> list[Follow]:
    return [_follow(r) for r in await Subscription.raw(FOLLOWS_SQL, email.strip().lower())]


async def follow(
    email: str,
    name: str,
    *,
    structure: str | None = None,
    party: str | None = None,
    agreement: int | None = None,
    actor: Actor,
) -> Follow:
    """Follow one thing by e-mail (a Conflict, 409, when one already does)."""
    created = await create_subscription(
        channel="email",
        target=email,
        structure=structure,
        party=party,
        agreement=agreement,
        label=name,
        actor=actor,
    )
    (found,) = [f for f in await my_follows(email) if f.id == created.id]
    return found


async def unfollow(email: str, follow_id: int, *, actor: Actor) -> None:
    """Stop following; only one's own follow (another's answers 404, as if it did not exist)."""
    if follow_id not in {f.id for f in await my_follows(email)}:
        raise NotFound(f"Du följer inget med id {follow_id}.")
    await delete_subscription(follow_id, actor=actor)


async def following(
    email: str, *, structure: str | None = None, party: str | None = None, agreement: int | None = None
) -> int | None:
    """The id of the person's follow of exactly this thing, if any."""
    subs = await list_subscriptions(structure=structure, party=party, agreement=agreement)
    address = email.strip().lower()
    for sub in subs:
        same_scope = (sub.structure, sub.party, sub.agreement) == (structure, party, agreement)
        if sub.channel == "email" and sub.target.lower() == address and same_scope:
            return sub.id
    return None


async def sent_to(email: str) -> list[SentMessage]:
    return [SentMessage(**r) for r in await Digest.raw(SENT_SQL, email.strip().lower())]
