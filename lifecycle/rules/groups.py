"""Groups of parties (DOMAIN.md "Groups of parties"): a kommunalförbund recommends the structure's
agreement to its own members, and a member's decision follows that recommendation.

Seed 003: SRO recommends (2022-02-24), VästKom's board backs it (2022-03-08 § 15), then
Göteborgsregionens förbundsstyrelse "ställer sig bakom samt rekommenderar medlemskommunerna att
anta" (2022-03-18 § 356), and only then do Härryda's välfärdsnämnd, kommunstyrelse and
kommunfullmäktige take it up. A member's decide-by date is counted from its group's
recommendation, not from the structure's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from core.errors import InvalidInput
from lifecycle.rules.swedish import genitive, sv_date


@dataclass(frozen=True, slots=True)
class GroupRecommendation:
    """A group's recommendation of one agreement to its members on `taken_on`."""

    group: str  # the group's slug
    short_name: str  # "GR", for messages
    taken_on: date
    members: frozenset[str]  # party codes


def party_recommendation(
    party_code: str, recommendations: Iterable[GroupRecommendation]
) -> GroupRecommendation | None:
    """The recommendation the party's decision follows: the latest of its groups' (a kommun that
    belongs to two groups waits for both); None when no group of its has recommended."""
    own = [r for r in recommendations if party_code in r.members]
    return max(own, key=lambda r: (r.taken_on, r.group)) if own else None


def parties_recommended_on(
    parties: Iterable[str], recommendations: Iterable[GroupRecommendation]
) -> dict[str, GroupRecommendation]:
    """Each party's recommendation from its group, for the parties whose group has recommended."""
    recommendations = tuple(recommendations)
    found = {code: party_recommendation(code, recommendations) for code in parties}
    return {code: r for code, r in found.items() if r is not None}


def check_group_recommendation(
    short_name: str, taken_on: date, recommended_on: date | None, *, today: date
) -> None:
    """A group recommends what the structure has recommended, on or after that day, never ahead of
    today (seed 003: GR's 2022-03-18 follows SRO's 2022-02-24)."""
    if taken_on > today:
        raise InvalidInput(
            f"{genitive(short_name)} rekommendation kan inte vara daterad senare än i dag "
            f"({sv_date(today)}).",
            field="taken_on",
        )
    if recommended_on is None:
        raise InvalidInput(
            f"Överenskommelsen är inte rekommenderad till parterna än: {short_name} kan inte "
            "rekommendera den till sina medlemmar före samverkansstrukturens rekommendation.",
            field="group",
        )
    if taken_on < recommended_on:
        raise InvalidInput(
            f"{genitive(short_name)} rekommendation ({sv_date(taken_on)}) kan inte vara före "
            f"samverkansstrukturens rekommendation ({sv_date(recommended_on)}).",
            field="taken_on",
        )
