"""The ladder of levels a dispute climbs: the agreement's own (table `dispute_ladder_step`), else
its structure's (cases/data/ladders.toml), else the default there."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from audit.trail import Actor, record
from cases.rules.ladder import Level, check_ladder
from cases.tables import DisputeLadderStep
from piccolo_conf import DB

DATA = Path(__file__).resolve().parent / "data" / "ladders.toml"


@cache
def _ladders() -> dict[str, tuple[Level, ...]]:
    with DATA.open("rb") as f:
        return {
            slug: check_ladder(
                [Level(s["name"], s.get("reply_months", 0), s.get("reply_days", 0)) for s in steps]
            )
            for slug, steps in tomllib.load(f).items()
        }


def structure_ladder(structure_slug: str) -> tuple[Level, ...]:
    ladders = _ladders()
    return ladders.get(structure_slug, ladders["default"])


async def agreement_ladder(agreement_id: int, structure_slug: str) -> tuple[tuple[Level, ...], bool]:
    """(the ladder, whether it is the agreement's own)."""
    rows = await DisputeLadderStep.raw(
        "SELECT name, reply_months, reply_days FROM dispute_ladder_step WHERE agreement = {} "
        "ORDER BY position",
        agreement_id,
    )
    if rows:
        return tuple(Level(r["name"], r["reply_months"], r["reply_days"]) for r in rows), True
    return structure_ladder(structure_slug), False


async def set_agreement_ladder(
    agreement_id: int, levels: Sequence[Level], *, actor: Actor
) -> tuple[Level, ...]:
    """Replace the agreement's own ladder (an empty list: back to the structure's). Disputes
    already raised keep the ladder they were raised under."""
    checked = check_ladder(levels) if levels else ()
    async with DB.transaction():
        await DisputeLadderStep.raw("DELETE FROM dispute_ladder_step WHERE agreement = {}", agreement_id)
        for position, level in enumerate(checked, start=1):
            await DisputeLadderStep.raw(
                "INSERT INTO dispute_ladder_step (agreement, position, name, reply_months, reply_days) "
                "VALUES ({}, {}, {}, {}, {})",
                agreement_id,
                position,
                level.name,
                level.reply_months,
                level.reply_days,
            )
        await record(
            actor,
            "set_ladder",
            "agreement",
            agreement_id,
            agreement_id=agreement_id,
            after={"levels": [[lv.name, lv.reply_months, lv.reply_days] for lv in checked]},
        )
    return checked
