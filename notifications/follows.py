"""Following by yourself: a signed-in person's own e-mail subscriptions to an agreement, a party or
a structure, made and removed from its page (or /api/me/follows), and what was sent to them.

A follow is a `subscription` by e-mail to the account's address, so the sweep treats it as any
subscription (notifications.recipients); only its owner, or an admin through /api/subscriptions,
removes it. Admins keep the API for other people's subscriptions and for webhooks.

A clerk follows its party by default, with no subscription: the sweep counts the party's clerks
among its recipients. Such a follow is listed with `default` and no id; stopping it
(`unfollow_party`) writes a `party_unfollow` row, which keeps it stopped (a role granted again
does not bring it back) until the clerk follows the party again.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from audit.trail import Actor, record
from core.errors import Conflict, InvalidInput, NotFound
from notifications.subscriptions import create_subscription, delete_subscription, list_subscriptions
from notifications.tables import Digest, PartyUnfollow, Subscription
from parties.tables import Party

SENT_DAYS = 30  # what "Mina aviseringar" shows of what was sent


class Follow(msgspec.Struct, kw_only=True):
    id: int | None  # None: a clerk's follow of its party by default (stop it by the party's code)
    scope: str  # agreement, party, structure
    key: str  # the agreement's id, the party's code, the structure's slug
    name: str
    href: str
    kinds: list[str]
    default: bool = False  # a clerk's follow of its own party


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

# The parties the account with this address is clerk of and has not stopped following.
DEFAULT_FOLLOWS_SQL = """
SELECT DISTINCT p.id, p.code, p.name
FROM app_user u
JOIN role_grant g ON g."user" = u.id AND g.role = 'clerk'
JOIN party p ON p.id = g.party
WHERE lower(u.email) = {}
  AND NOT EXISTS (SELECT 1 FROM party_unfollow uf WHERE uf.email = {} AND uf.party = p.id)
ORDER BY p.code
"""
# Whether the account with this address is clerk of the party, and whether it stopped following it.
CLERK_OF_SQL = """
SELECT EXISTS (SELECT 1 FROM app_user u JOIN role_grant g ON g."user" = u.id AND g.role = 'clerk'
               WHERE lower(u.email) = {} AND g.party = {}) AS clerk,
       EXISTS (SELECT 1 FROM party_unfollow uf WHERE uf.email = {} AND uf.party = {}) AS unfollowed
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


def _default(row: dict) -> Follow:
    return Follow(
        id=None,
        scope="party",
        key=row["code"],
        name=f"{row['name']} ({row['code']})",
        href=f"/parties/{row['code']}",
        kinds=[],
        default=True,
    )


async def my_follows(email: str) -> list[Follow]:
    """What the person follows: a clerk's own parties first, then its own subscriptions."""
    address = email.strip().lower()
    defaults = [_default(r) for r in await Subscription.raw(DEFAULT_FOLLOWS_SQL, address, address)]
    return defaults + [_follow(r) for r in await Subscription.raw(FOLLOWS_SQL, address)]


async def _party(code: str) -> dict:
    row = await Party.select(Party.id, Party.code, Party.name).where(Party.code == code).first()
    if row is None:
        raise InvalidInput(f"Det finns ingen part med koden '{code}'.", field="party")
    return row


async def _clerk_of(address: str, party_id: int) -> tuple[bool, bool]:
    row = (await PartyUnfollow.raw(CLERK_OF_SQL, address, party_id, address, party_id))[0]
    return row["clerk"], row["unfollowed"]


async def follow(
    email: str,
    name: str,
    *,
    structure: str | None = None,
    party: str | None = None,
    agreement: int | None = None,
    actor: Actor,
) -> Follow:
    """Follow one thing by e-mail (a Conflict, 409, when one already does). A clerk who stopped
    following its own party follows it again by default, with no subscription."""
    if party is not None and structure is None and agreement is None:
        address = email.strip().lower()
        row = await _party(party)
        clerk, unfollowed = await _clerk_of(address, row["id"])
        if clerk and unfollowed:
            async with PartyUnfollow._meta.db.transaction():
                await PartyUnfollow.delete().where(
                    (PartyUnfollow.email == address) & (PartyUnfollow.party == row["id"])
                )
                await record(actor, "delete", "party_unfollow", f"{address}:{party}", before={"party": party})
            return _default(row)
        if clerk:
            raise Conflict(
                f"Du följer redan {row['name']} ({party}) som nämndsekreterare för parten.", field="party"
            )
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


async def unfollow_party(email: str, party: str, *, actor: Actor) -> None:
    """Stop following a party: one's own subscription to it, and, for a clerk of the party, the
    follow it has by default, which stays stopped (a `party_unfollow` row) until it follows the
    party again. 404 when the person follows it in neither way."""
    address = email.strip().lower()
    row = await _party(party)
    own = await following(address, party=party)
    async with PartyUnfollow._meta.db.transaction():
        clerk, unfollowed = await _clerk_of(address, row["id"])
        if own is None and not (clerk and not unfollowed):
            raise NotFound(f"Du följer inte {row['name']} ({party}).")
        if own is not None:
            await delete_subscription(own, actor=actor)
        if clerk and not unfollowed:
            await PartyUnfollow.raw(
                "INSERT INTO party_unfollow (email, party, created_at) VALUES ({}, {}, now()) "
                "ON CONFLICT (email, party) DO NOTHING",
                address,
                row["id"],
            )
            await record(actor, "create", "party_unfollow", f"{address}:{party}", after={"party": party})


async def follows_by_default(email: str, party: str) -> bool:
    """Whether the person follows the party as its clerk (by default, not stopped)."""
    row = await Party.select(Party.id).where(Party.code == party).first()
    if row is None:
        return False
    clerk, unfollowed = await _clerk_of(email.strip().lower(), row["id"])
    return clerk and not unfollowed


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
