"""A dispute's ladder of levels (tvistetrappa), and each level's reply deadline (pure).

Seeds 000 § 10 and 001 § 19: a dispute is solved first between the responsible managers; a matter
of principle goes to Chefsforum "för beredning och förslag till åtgärd", and what Chefsforum cannot
solve goes to the officials' group of Strategisk regional beredning, "där den slutligt avgörs".
Seed 002 names line managers → the management line → a county group with medical competence;
seed 004 speaks of ladders "om 3–5 steg". The ladder is data (`cases/data/ladders.toml` per
structure, an agreement's own in the table `dispute_ladder_step`); its last level decides.

A level's reply period is months and/or days from the day the dispute reached it. A month counts
to the same day of the target month, or its last day when the month is shorter (31 January + 1
month = 28 or 29 February); a deadline that falls on a Saturday, a Sunday, a public holiday,
midsommarafton, julafton or nyårsafton moves to the next working day, as statutory time limits
do (lag (1930:173) om beräkning av lagstadgad tid, 2 §): the bodies at each level meet on working
days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.errors import InvalidInput
from lifecycle.rules.days import next_working_day_on_or_after
from lifecycle.rules.months import add_months

# Seed 004: "en tvistetrappa om 3–5 steg"; two is the least that can escalate at all.
MIN_LEVELS, MAX_LEVELS = 2, 5
MAX_NAME = 120
MAX_REPLY_MONTHS = 12  # not from a seed: a level that takes longer than a year has no deadline


@dataclass(frozen=True, slots=True)
class Level:
    name: str  # "Ansvariga chefer lokalt", "Chefsforum", ...
    reply_months: int = 0
    reply_days: int = 0

    @property
    def period_sv(self) -> str:
        parts = []
        if self.reply_months:
            parts.append(f"{self.reply_months} {'månad' if self.reply_months == 1 else 'månader'}")
        if self.reply_days:
            parts.append(f"{self.reply_days} {'dag' if self.reply_days == 1 else 'dagar'}")
        return " och ".join(parts)


def reply_by(opened_on: date, level: Level) -> date:
    """The day the level's answer is due: `opened_on` plus its months (clamped to the month's last
    day) and days, moved to the next working day when it falls on a day off."""
    return next_working_day_on_or_after(
        add_months(opened_on, level.reply_months) + timedelta(days=level.reply_days)
    )


def check_ladder(levels: Sequence[Level]) -> tuple[Level, ...]:
    """A ladder as stored: 2–5 levels with names (distinct) and a reply period of 1 day to 12
    months each; raise `InvalidInput` naming the first level to correct."""
    if not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
        raise InvalidInput(
            f"En tvistetrappa har {MIN_LEVELS}–{MAX_LEVELS} nivåer (nu {len(levels)}).", field="levels"
        )
    seen: set[str] = set()
    cleaned = []
    for number, level in enumerate(levels, start=1):
        name = level.name.strip()
        if not name:
            raise InvalidInput(f"Nivå {number} saknar namn.", field="levels")
        if len(name) > MAX_NAME:
            raise InvalidInput(f"Nivå {number}: namnet får ha högst {MAX_NAME} tecken.", field="levels")
        if name.casefold() in seen:
            raise InvalidInput(f"Nivå {number}: ”{name}” finns redan i trappan.", field="levels")
        seen.add(name.casefold())
        if level.reply_months < 0 or level.reply_days < 0:
            raise InvalidInput(f"Nivå {number}: svarstiden kan inte vara negativ.", field="levels")
        if level.reply_months == 0 and level.reply_days == 0:
            raise InvalidInput(f"Nivå {number} ({name}) behöver en svarstid.", field="levels")
        if level.reply_months + level.reply_days / 31 > MAX_REPLY_MONTHS:
            raise InvalidInput(
                f"Nivå {number} ({name}): svarstiden får vara högst {MAX_REPLY_MONTHS} månader.",
                field="levels",
            )
        cleaned.append(Level(name, level.reply_months, level.reply_days))
    return tuple(cleaned)
