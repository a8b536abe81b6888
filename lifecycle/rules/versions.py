"""Revisions (DOMAIN.md rule 7): a revised agreement is a new version of it.

The new version replaces the old one on the day it enters into force; until then the old one
applies. Nothing is deleted: every version keeps its place in the history, with the stretch of
time it applied. (Seed 003 is itself a revision: "Reviderat förslag gäller för avtalsperioden
från 1 januari 2023", replacing the agreement in force since the previous period.)
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from core.errors import Conflict, InvalidInput
from lifecycle.rules.model import RecordId


class VersionState(enum.StrEnum):
    DRAFT = "draft"  # no entry into force yet
    UPCOMING = "upcoming"  # will replace the current version on its entry date
    CURRENT = "current"
    SUPERSEDED = "superseded"  # applied once; replaced by a later version


@dataclass(frozen=True, slots=True)
class VersionFacts:
    id: RecordId
    number: int
    entered_into_force_on: date | None = None


def version_states(versions: Iterable[VersionFacts], as_of: date) -> dict[RecordId, VersionState]:
    """Each version's state on `as_of`, ordered by version number."""
    ordered = _checked(versions)
    current = _current(ordered, as_of)
    states: dict[RecordId, VersionState] = {}
    for version in ordered:
        since = version.entered_into_force_on
        if since is None:
            states[version.id] = VersionState.DRAFT
        elif since > as_of:
            states[version.id] = VersionState.UPCOMING
        else:
            states[version.id] = VersionState.CURRENT if version is current else VersionState.SUPERSEDED
    return states


def current_version(versions: Iterable[VersionFacts], as_of: date) -> VersionFacts | None:
    """The version that applies on `as_of`: the latest to have entered into force by then."""
    return _current(_checked(versions), as_of)


def version_periods(versions: Iterable[VersionFacts]) -> dict[RecordId, tuple[date, date | None]]:
    """The days each version that entered into force applied: from its entry date to the day
    before the next version's (None: still applies, or will apply)."""
    entered = _dated(_checked(versions))
    nexts: list[date | None] = [since for _, since in entered[1:]]
    return {
        v.id: (since, None if following is None else following - timedelta(days=1))
        for (v, since), following in zip(entered, [*nexts, None], strict=False)
    }


def _current(ordered: list[VersionFacts], as_of: date) -> VersionFacts | None:
    entered = [v for v, since in _dated(ordered) if since <= as_of]
    return entered[-1] if entered else None


def _checked(versions: Iterable[VersionFacts]) -> list[VersionFacts]:
    """Versions by number; a later version must enter into force after every earlier one."""
    ordered = sorted(versions, key=lambda v: v.number)
    ids: set[RecordId] = set()
    for version in ordered:
        if version.number < 1:
            raise InvalidInput("Versionsnumret måste vara minst 1.", field="number")
        if version.id in ids:
            raise Conflict(f"Versionen {version.id} förekommer mer än en gång.", field="id")
        ids.add(version.id)
    for earlier, later in itertools.pairwise(ordered):
        if earlier.number == later.number:
            raise Conflict(f"Det finns redan en version {later.number}.", field="number")
    for (earlier, earlier_since), (later, later_since) in itertools.pairwise(_dated(ordered)):
        if later_since <= earlier_since:
            raise InvalidInput(
                f"Version {later.number} kan inte träda i kraft {later_since}, samma dag som eller "
                f"före version {earlier.number} ({earlier_since}).",
                field="entered_into_force_on",
            )
    return ordered


def _dated(ordered: list[VersionFacts]) -> list[tuple[VersionFacts, date]]:
    return [(v, since) for v in ordered if (since := v.entered_into_force_on) is not None]
