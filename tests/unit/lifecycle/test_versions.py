"""Revisions (DOMAIN.md rule 7): a new version replaces the old when it enters into force."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import Conflict, InvalidInput
from lifecycle.rules.versions import (
    VersionFacts,
    VersionState,
    current_version,
    version_periods,
    version_states,
)
from tests.unit.lifecycle.refusals import refused

# Seed 003: the agreement of the previous period (3.5 years), its revision from 2023-01-01, and
# a next revision still being drafted.
V1 = VersionFacts(id=11, number=1, entered_into_force_on=date(2019, 7, 1))
V2 = VersionFacts(id=12, number=2, entered_into_force_on=date(2023, 1, 1))
V3 = VersionFacts(id=13, number=3)
HISTORY = [V3, V1, V2]  # in no particular order


@pytest.mark.parametrize(
    ("as_of", "states", "current"),
    [
        (
            date(2019, 6, 30),
            {11: VersionState.UPCOMING, 12: VersionState.UPCOMING, 13: VersionState.DRAFT},
            None,
        ),
        (
            date(2022, 12, 31),
            {11: VersionState.CURRENT, 12: VersionState.UPCOMING, 13: VersionState.DRAFT},
            V1,
        ),
        (
            date(2023, 1, 1),
            {11: VersionState.SUPERSEDED, 12: VersionState.CURRENT, 13: VersionState.DRAFT},
            V2,
        ),
    ],
)
def test_a_revision_replaces_the_old_version_on_the_day_it_enters_into_force(as_of, states, current):
    assert version_states(HISTORY, as_of) == states
    assert list(version_states(HISTORY, as_of)) == [11, 12, 13]  # by version number
    assert current_version(HISTORY, as_of) == current


def test_an_abandoned_draft_stays_a_draft_in_the_history():
    versions = [V1, VersionFacts("b", 2), VersionFacts("c", 3, date(2023, 1, 1))]

    assert version_states(versions, date(2024, 1, 1)) == {
        11: VersionState.SUPERSEDED,
        "b": VersionState.DRAFT,
        "c": VersionState.CURRENT,
    }


def test_every_version_that_applied_keeps_the_days_it_applied():
    assert version_periods(HISTORY) == {
        11: (date(2019, 7, 1), date(2022, 12, 31)),
        12: (date(2023, 1, 1), None),
    }


def test_no_versions_have_no_current_version():
    assert current_version([], date(2025, 1, 1)) is None
    assert version_states([], date(2025, 1, 1)) == {}
    assert version_periods([]) == {}


@pytest.mark.parametrize(
    ("versions", "error", "field", "message"),
    [
        ([V1, VersionFacts(14, 1)], Conflict, "number", "Det finns redan en version 1."),
        ([V1, VersionFacts(11, 2)], Conflict, "id", "Versionen 11 förekommer mer än en gång."),
        ([VersionFacts(10, 0)], InvalidInput, "number", "Versionsnumret måste vara minst 1."),
        (
            [V2, VersionFacts(14, 3, date(2022, 1, 1))],
            InvalidInput,
            "entered_into_force_on",
            "Version 3 kan inte träda i kraft 2022-01-01, samma dag som eller före version 2 (2023-01-01).",
        ),
        (
            [V2, VersionFacts(14, 3, date(2023, 1, 1))],
            InvalidInput,
            "entered_into_force_on",
            "Version 3 kan inte träda i kraft 2023-01-01, samma dag som eller före version 2 (2023-01-01).",
        ),
    ],
)
def test_a_version_history_that_cannot_be_true_is_refused(versions, error, field, message):
    for rule in (
        lambda: current_version(versions, date(2025, 1, 1)),
        lambda: version_states(versions, date(2025, 1, 1)),
        lambda: version_periods(versions),
    ):
        with refused(error, field=field, message=message):
            rule()
