"""Subscriptions: an e-mail address or a webhook that gets the reminders of a structure, party or
agreement, optionally only some kinds. A webhook's secret signs its calls (notifications.signature);
it is generated unless given, and shown once."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from asyncpg.exceptions import UniqueViolationError

from audit.trail import Actor, record
from core.addresses import email_address
from core.errors import Conflict, InvalidInput, NotFound
from lifecycle.tables import Agreement
from notifications.recipients import SUBSCRIBABLE_KINDS
from notifications.tables import Channel, Subscription
from notifications.views import SubscriptionView
from parties.tables import Party, Structure

MIN_SECRET_LENGTH = 16  # bytes of a shared HMAC key worth the name
MAX_URL_LENGTH = 2000

SELECT_SQL = (
    "SELECT sub.id, s.slug AS structure, p.code AS party, sub.agreement, sub.channel, sub.target, "
    "sub.kinds, sub.label, sub.created_at FROM subscription sub "
    "LEFT JOIN structure s ON s.id = sub.structure LEFT JOIN party p ON p.id = sub.party "
)


def _target(channel: str, target: str) -> str:
    target = target.strip()
    if channel == Channel.EMAIL:
        return email_address(target, "target")
    parts = urlsplit(target)
    if parts.scheme not in ("https", "http") or not parts.hostname or len(target) > MAX_URL_LENGTH:
        raise InvalidInput(f"'{target[:100]}' är ingen http(s)-adress för en webhook.", field="target")
    return target


def _kinds(kinds: list[str]) -> list[str]:
    unknown = sorted(set(kinds) - SUBSCRIBABLE_KINDS)
    if unknown:
        raise InvalidInput(
            f"Okända slag: {', '.join(unknown)}. Kända: {', '.join(sorted(SUBSCRIBABLE_KINDS))}.",
            field="kinds",
        )
    return sorted(set(kinds))


async def _scope(structure: str | None, party: str | None, agreement: int | None) -> dict:
    if sum(x is not None for x in (structure, party, agreement)) != 1:
        raise InvalidInput(
            "Ange precis en av structure, party och agreement för prenumerationen.", field="structure"
        )
    if structure is not None:
        row = await Structure.select(Structure.id).where(Structure.slug == structure).first()
        if row is None:
            raise InvalidInput(f"Okänd samverkansstruktur '{structure}'.", field="structure")
        return {"structure": row["id"]}
    if party is not None:
        row = await Party.select(Party.id).where(Party.code == party).first()
        if row is None:
            raise InvalidInput(f"Det finns ingen part med koden '{party}'.", field="party")
        return {"party": row["id"]}
    if not await Agreement.exists().where(Agreement.id == agreement):
        raise InvalidInput(f"Det finns ingen överenskommelse med id {agreement}.", field="agreement")
    return {"agreement": agreement}


async def create_subscription(
    *,
    channel: str,
    target: str,
    structure: str | None = None,
    party: str | None = None,
    agreement: int | None = None,
    kinds: list[str] | None = None,
    label: str = "",
    secret: str | None = None,
    actor: Actor,
) -> SubscriptionView:
    if channel not in {c.value for c in Channel}:
        raise InvalidInput(f"Okänd kanal '{channel}'. Använd email eller webhook.", field="channel")
    target = _target(channel, target)
    if channel == Channel.EMAIL and secret is not None:
        raise InvalidInput("En prenumeration per e-post har ingen hemlighet.", field="secret")
    if channel == Channel.WEBHOOK:
        if secret is not None and len(secret) < MIN_SECRET_LENGTH:
            raise InvalidInput(f"Hemligheten måste ha minst {MIN_SECRET_LENGTH} tecken.", field="secret")
        secret = secret or secrets.token_urlsafe(32)
    scope = await _scope(structure, party, agreement)
    values = {"channel": channel, "target": target, "kinds": _kinds(kinds or []), "label": label.strip()}
    try:
        async with Subscription._meta.db.transaction():
            rows = await Subscription.insert(Subscription(**scope, **values, secret=secret)).returning(
                Subscription.id
            )
            new_id = rows[0]["id"]
            await record(
                actor,
                "create",
                "subscription",
                new_id,
                after={"structure": structure, "party": party, "agreement": agreement, **values},
            )
    except UniqueViolationError:
        raise Conflict(f"{target} prenumererar redan på samma sak via {channel}.", field="target") from None
    view = await get_subscription(new_id)
    view.secret = secret
    return view


async def get_subscription(subscription_id: int) -> SubscriptionView:
    rows = await Subscription.raw(SELECT_SQL + "WHERE sub.id = {}", subscription_id)
    if not rows:
        raise NotFound(f"Det finns ingen prenumeration med id {subscription_id}.")
    return SubscriptionView(**rows[0])


async def list_subscriptions(
    *, structure: str | None = None, party: str | None = None, agreement: int | None = None
) -> list[SubscriptionView]:
    where, args = [], []
    for column, value in (("s.slug", structure), ("p.code", party), ("sub.agreement", agreement)):
        if value is not None:
            where.append(f"{column} = {{}}")
            args.append(value)
    sql = SELECT_SQL + (f"WHERE {' AND '.join(where)} " if where else "") + "ORDER BY sub.id"
    return [SubscriptionView(**r) for r in await Subscription.raw(sql, *args)]


async def delete_subscription(subscription_id: int, *, actor: Actor) -> None:
    """Remove it; its unsent deliveries are cancelled when a worker picks them up."""
    before = await get_subscription(subscription_id)
    async with Subscription._meta.db.transaction():
        deleted = (
            await Subscription.delete().where(Subscription.id == subscription_id).returning(Subscription.id)
        )
        if not deleted:
            raise NotFound(f"Det finns ingen prenumeration med id {subscription_id}.")
        await record(actor, "delete", "subscription", subscription_id, before=_plain(before))


def _plain(view: SubscriptionView) -> dict:
    return {
        "structure": view.structure,
        "party": view.party,
        "agreement": view.agreement,
        "channel": view.channel,
        "target": view.target,
        "kinds": view.kinds,
        "label": view.label,
    }
