"""A round for a group of parties asks the group's members among the agreement's parties."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from rounds.rules.rounds import group_asked

PARTIES = ["14", "1401", "1402", "1490"]
GR = ("GR", ["1401", "1402", "1480"])


def test_the_groups_members_among_the_parties_are_asked():
    assert group_asked(PARTIES, None, "gr", GR) == ("1401", "1402")


@pytest.mark.parametrize(
    ("chosen", "found", "message"),
    [
        (["1401"], GR, "Ange antingen parter eller en grupp av parter, inte båda."),
        (None, None, "'gr' är ingen grupp av parter i överenskommelsens samverkansstruktur."),
        (None, ("Fyrbodal", ["1484"]), "Ingen av Fyrbodals medlemmar är part i överenskommelsen."),
    ],
)
def test_a_group_round_that_asks_no_one_or_mixes_lists_is_refused(chosen, found, message):
    with pytest.raises(InvalidInput) as refused:
        group_asked(PARTIES, chosen, "gr", found)
    assert str(refused.value) == message
