"""Recording a follow-up as done (its round closed): its deadline is met and its reminders stop."""

from __future__ import annotations

from datetime import date

from audit.trail import Actor, record
from core.clock import today
from core.errors import InvalidInput
from lifecycle import store
from lifecycle.tables import FollowUpDone

FOLLOW_UP_KEYS = ("follow_up_implementation", "follow_up_annual:")


def check_key(key: str) -> str:
    if key == FOLLOW_UP_KEYS[0] or (key.startswith(FOLLOW_UP_KEYS[1]) and key.split(":")[1].isdigit()):
        return key
    raise InvalidInput(
        f"”{key}” är ingen uppföljning. Ange follow_up_implementation (uppföljningen efter ett år) "
        "eller follow_up_annual:<år>, t.ex. follow_up_annual:2027.",
        field="follow_up_key",
    )


async def record_done(agreement_id: int, key: str, done_on: date, *, actor: Actor, note: str = "") -> None:
    """Call inside the transaction of the change that completes it (closing its round)."""
    rows = await FollowUpDone.raw(
        "INSERT INTO follow_up_done (agreement, key, done_on, note, created_at) "
        "VALUES ({}, {}, {}, {}, now()) "
        "ON CONFLICT (agreement, key) DO NOTHING RETURNING id",
        agreement_id,
        check_key(key),
        done_on,
        note,
    )
    if not rows:
        return  # recorded already
    await store.refresh([agreement_id], today())
    await record(
        actor,
        "create",
        "follow_up_done",
        rows[0]["id"],
        agreement_id=agreement_id,
        after={"key": key, "done_on": done_on, "note": note},
    )
