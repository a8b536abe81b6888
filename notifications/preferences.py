"""What one e-mail address wants to get: how often, which kinds, or nothing (the unsubscribe link).

Preferences belong to the address, not to an account: most recipients are contacts and stewards
without one, and the unsubscribe link in every e-mail must work for them without a sign-in. A
signed-in user's preferences are those of their account's address. The sweep honours them when it
writes the outbox (notifications.recipients.WANTED_SQL) and when it makes digests
(notifications.digests): an address without a row gets the daily digest of every kind.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from audit.trail import Actor, record
from core.errors import InvalidInput
from notifications.recipients import REMINDER_KINDS
from notifications.tables import Frequency, Preference

FREQUENCY_SV = {
    Frequency.IMMEDIATELY: "Genast, ett meddelande för varje påminnelse",
    Frequency.DAILY: "En sammanställning om dagen",
    Frequency.WEEKLY: "En sammanställning i veckan",
}


class PreferenceView(msgspec.Struct, kw_only=True):
    email: str
    frequency: str
    kinds: list[str]  # empty: every kind
    events: bool = False  # "what happened" in what one follows (notifications.events)
    unsubscribed: bool
    unsubscribed_at: datetime | None = None


def _address(email: str) -> str:
    return email.strip().lower()


async def get_preference(email: str) -> PreferenceView:
    row = await Preference.select().where(Preference.email == _address(email)).first()
    if row is None:
        return PreferenceView(
            email=_address(email), frequency=Frequency.DAILY, kinds=[], events=False, unsubscribed=False
        )
    return _view(row)


def _view(row: dict) -> PreferenceView:
    return PreferenceView(
        email=row["email"],
        frequency=row["frequency"],
        kinds=list(row["kinds"]),
        events=row["events_from"] is not None,
        unsubscribed=row["unsubscribed_at"] is not None,
        unsubscribed_at=row["unsubscribed_at"],
    )


def check(frequency: str, kinds: list[str]) -> tuple[str, list[str]]:
    if frequency not in {f.value for f in Frequency}:
        known = ", ".join(f.value for f in Frequency)
        raise InvalidInput(f"Okänt val av hur ofta '{frequency}'. Välj bland: {known}.", field="frequency")
    unknown = sorted(set(kinds) - REMINDER_KINDS)
    if unknown:
        raise InvalidInput(
            f"Okända slag: {', '.join(unknown)}. Kända: {', '.join(sorted(REMINDER_KINDS))}.",
            field="kinds",
        )
    return frequency, sorted(set(kinds))


# `events_from` keeps the moment "what happened" was switched on, so saving again does not move it
_UPSERT = """
INSERT INTO notification_preference (email, frequency, kinds, unsubscribed_at, events_from, updated_at)
VALUES ({}, {}, {}::varchar[], CASE WHEN {} THEN now() END, CASE WHEN {} THEN now() END, now())
ON CONFLICT (email) DO UPDATE SET frequency = excluded.frequency, kinds = excluded.kinds,
    unsubscribed_at = CASE WHEN {} THEN coalesce(notification_preference.unsubscribed_at, now()) END,
    events_from = CASE WHEN {} THEN coalesce(notification_preference.events_from, now()) END,
    updated_at = now()
RETURNING *
"""


async def _save(
    email: str, frequency: str, kinds: list[str], events: bool, unsubscribed: bool, actor: Actor
) -> PreferenceView:
    address = _address(email)
    async with Preference._meta.db.transaction():
        before = await get_preference(address)
        rows = await Preference.raw(
            _UPSERT, address, frequency, kinds, unsubscribed, events, unsubscribed, events
        )
        after = _view(rows[0])
        await record(
            actor,
            "update",
            "notification_preference",
            address,
            before={
                "frequency": before.frequency,
                "kinds": before.kinds,
                "events": before.events,
                "unsubscribed": before.unsubscribed,
            },
            after={
                "frequency": after.frequency,
                "kinds": after.kinds,
                "events": after.events,
                "unsubscribed": after.unsubscribed,
            },
        )
    return after


async def set_preference(
    email: str, *, frequency: str, kinds: list[str], events: bool = False, actor: Actor
) -> PreferenceView:
    """Choose how often, which kinds, and whether to hear what happened in what one follows (off
    by default); saving them also starts e-mail again after an unsubscribe."""
    frequency, kinds = check(frequency, kinds)
    return await _save(email, frequency, kinds, events, False, actor)


async def unsubscribe(email: str, *, actor: Actor) -> PreferenceView:
    """No more reminder e-mail to this address (webhooks and the pages are not affected); what it
    chose before is kept for when it subscribes again."""
    current = await get_preference(email)
    return await _save(email, current.frequency, current.kinds, current.events, True, actor)


async def resubscribe(email: str, *, actor: Actor) -> PreferenceView:
    current = await get_preference(email)
    return await _save(email, current.frequency, current.kinds, current.events, False, actor)
