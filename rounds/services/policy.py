"""A structure's lead time for follow-up rounds: how many weeks before a follow-up's date the
daily run opens its round (rounds.services.follow_up_rounds). Stored per structure (table
`round_policy`), changed by the structure's secretariat or an admin, each change in the audit trail."""

from __future__ import annotations

from datetime import datetime

import msgspec

from audit.trail import Actor, record
from core.errors import InvalidInput
from parties.services import get_structure
from parties.tables import Structure
from rounds.tables import RoundPolicy

# Not from a seed (issue 15's default): four weeks to answer a follow-up.
DEFAULT_FOLLOW_UP_WEEKS = 4
# At most half a year ahead: a follow-up is yearly, and a round opened earlier would ask about a
# year that has hardly begun.
MAX_FOLLOW_UP_WEEKS = 26


class RoundPolicyView(msgspec.Struct, kw_only=True):
    structure: str
    follow_up_weeks: int  # weeks before a follow-up's date that its round opens
    default: bool  # the default (no value of the structure's own)
    updated_at: datetime | None = None


class RoundPolicyIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    follow_up_weeks: int | None = None  # None: back to the default, four weeks


def check_weeks(weeks: int) -> int:
    if not 1 <= weeks <= MAX_FOLLOW_UP_WEEKS:
        raise InvalidInput(
            f"Ange hur många veckor före uppföljningen rundan ska öppnas: 1–{MAX_FOLLOW_UP_WEEKS}.",
            field="follow_up_weeks",
        )
    return weeks


async def _structure_id(slug: str) -> int:
    await get_structure(slug)  # NotFound, naming the known structures
    return (await Structure.select(Structure.id).where(Structure.slug == slug).first())["id"]


async def get_policy(slug: str) -> RoundPolicyView:
    structure_id = await _structure_id(slug)
    row = await RoundPolicy.select().where(RoundPolicy.structure == structure_id).first()
    if row is None:
        return RoundPolicyView(structure=slug, follow_up_weeks=DEFAULT_FOLLOW_UP_WEEKS, default=True)
    return RoundPolicyView(
        structure=slug, follow_up_weeks=row["follow_up_weeks"], default=False, updated_at=row["updated_at"]
    )


async def set_policy(slug: str, weeks: int | None, *, actor: Actor) -> RoundPolicyView:
    """Set the structure's lead time (None: back to the default)."""
    if weeks is not None:
        check_weeks(weeks)
    structure_id = await _structure_id(slug)
    async with RoundPolicy._meta.db.transaction():
        before = await get_policy(slug)
        if weeks is None:
            await RoundPolicy.delete().where(RoundPolicy.structure == structure_id)
        else:
            await RoundPolicy.raw(
                "INSERT INTO round_policy (structure, follow_up_weeks, updated_at) VALUES ({}, {}, now()) "
                "ON CONFLICT (structure) DO UPDATE SET follow_up_weeks = excluded.follow_up_weeks, "
                "updated_at = now()",
                structure_id,
                weeks,
            )
        after = await get_policy(slug)
        await record(
            actor,
            "update",
            "round_policy",
            slug,
            before={"follow_up_weeks": before.follow_up_weeks},
            after={"follow_up_weeks": after.follow_up_weeks},
        )
    return after
