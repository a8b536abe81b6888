"""Entry into force (DOMAIN.md rule 3; seed 003 "Avtalsparter", "Ändringar och tillägg")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import InvalidInput
from lifecycle.rules.entry import EntryRule, EntryView, check_entry_settings, entry_into_force
from lifecycle.rules.model import AdoptionStatus, PartyAdoption
from tests.unit.lifecycle.refusals import refused

ADOPTED = AdoptionStatus.ADOPTED
FIXED = EntryRule.FIXED_DATE_ONCE_ALL_ADOPTED
ALL_FINAL = EntryRule.WHEN_ALL_FINAL
PER_PARTY = EntryRule.PER_PARTY
SEED_003_START = date(2023, 1, 1)


def adopted(code: str, decided_on: date, final_on: date | None) -> PartyAdoption:
    return PartyAdoption(code, ADOPTED, decided_on, final_on)


def standing(code: str, status: AdoptionStatus) -> PartyAdoption:
    return PartyAdoption(code, status)


# Västra Götalandsregionen, Härryda and Göteborg adopting seed 003's agreement during 2022.
ALL_ADOPTED_IN_2022 = [
    adopted("14", date(2022, 6, 14), date(2022, 7, 8)),
    adopted("1401", date(2022, 6, 16), date(2022, 7, 12)),
    PartyAdoption("1480", AdoptionStatus.ADOPTED_WITH_RESERVATION, date(2022, 5, 12), date(2022, 6, 7)),
]


def test_seed_003_agreement_enters_into_force_on_its_fixed_date_once_every_party_has_adopted():
    view = entry_into_force(FIXED, SEED_003_START, ALL_ADOPTED_IN_2022)

    assert view == EntryView(
        agreement_from=SEED_003_START,
        per_party={"14": SEED_003_START, "1401": SEED_003_START, "1480": SEED_003_START},
    )
    assert view.in_force_on(date(2022, 12, 31)) is False
    assert view.in_force_on(date(2023, 1, 1)) is True
    assert view.party_in_force_on("1401", date(2023, 1, 1)) is True


def test_a_decision_made_by_the_fixed_date_counts_before_it_is_legally_final():
    adoptions = [*ALL_ADOPTED_IN_2022[:2], adopted("1480", date(2022, 12, 15), None)]  # an appeal pending

    assert entry_into_force(FIXED, SEED_003_START, adoptions).agreement_from == SEED_003_START


def test_after_a_late_adoption_the_agreement_enters_into_force_when_the_late_decision_is_final():
    adoptions = [*ALL_ADOPTED_IN_2022[:2], adopted("1480", date(2023, 2, 14), date(2023, 3, 10))]

    view = entry_into_force(FIXED, SEED_003_START, adoptions)

    assert view.agreement_from == date(2023, 3, 10)
    assert view.per_party == {"14": date(2023, 3, 10), "1401": date(2023, 3, 10), "1480": date(2023, 3, 10)}


def test_after_several_late_adoptions_the_last_final_date_counts():
    adoptions = [
        ALL_ADOPTED_IN_2022[0],
        adopted("1401", date(2023, 2, 20), date(2023, 4, 2)),  # decided first, appealed, final last
        adopted("1480", date(2023, 3, 1), date(2023, 3, 24)),
    ]

    assert entry_into_force(FIXED, SEED_003_START, adoptions).agreement_from == date(2023, 4, 2)


def test_a_late_adoption_not_yet_final_keeps_the_agreement_waiting():
    adoptions = [*ALL_ADOPTED_IN_2022[:2], adopted("1480", date(2023, 2, 14), None)]

    view = entry_into_force(FIXED, SEED_003_START, adoptions)

    assert view == EntryView(None, {"14": None, "1401": None, "1480": None}, (), ("1480",))


@pytest.mark.parametrize(
    "status", [AdoptionStatus.PENDING, AdoptionStatus.REFERRED_BACK, AdoptionStatus.POSTPONED]
)
def test_an_undecided_party_keeps_the_agreement_waiting(status):
    adoptions = [*ALL_ADOPTED_IN_2022[:2], standing("1480", status)]

    for rule in (FIXED, ALL_FINAL):
        view = entry_into_force(rule, SEED_003_START, adoptions)

        assert (view.agreement_from, view.blocked_by, view.waiting_for) == (None, (), ("1480",))


@pytest.mark.parametrize("rule", [FIXED, ALL_FINAL])
def test_a_rejection_blocks_an_agreement_every_party_must_adopt(rule):
    adoptions = [
        ALL_ADOPTED_IN_2022[0],
        standing("1480", AdoptionStatus.REJECTED),
        standing("1401", AdoptionStatus.PENDING),
        standing("0120", AdoptionStatus.REJECTED),
    ]

    view = entry_into_force(rule, SEED_003_START, adoptions)

    assert view == EntryView(
        None, {"0120": None, "14": None, "1401": None, "1480": None}, ("0120", "1480"), ("1401",)
    )


def test_changes_enter_into_force_when_the_last_partys_decision_is_legally_final():
    # seed 003: "Ändringar och tillägg ... gäller efter beslut vunnit laga kraft hos samtliga parter"
    view = entry_into_force(ALL_FINAL, None, ALL_ADOPTED_IN_2022)

    assert view.agreement_from == date(2022, 7, 12)
    assert view.per_party == {"14": date(2022, 7, 12), "1401": date(2022, 7, 12), "1480": date(2022, 7, 12)}


def test_when_all_final_a_fixed_date_is_the_earliest_day():
    assert entry_into_force(ALL_FINAL, SEED_003_START, ALL_ADOPTED_IN_2022).agreement_from == SEED_003_START
    assert entry_into_force(ALL_FINAL, date(2022, 7, 1), ALL_ADOPTED_IN_2022).agreement_from == date(
        2022, 7, 12
    )


def test_when_all_final_an_adoption_not_yet_final_keeps_the_agreement_waiting():
    adoptions = [*ALL_ADOPTED_IN_2022[:2], adopted("1480", date(2022, 5, 12), None)]

    view = entry_into_force(ALL_FINAL, None, adoptions)

    assert (view.agreement_from, view.waiting_for) == (None, ("1480",))


def test_an_opt_in_agreement_binds_each_adopting_party_from_its_own_final_date():
    adoptions = [
        *ALL_ADOPTED_IN_2022,
        standing("0120", AdoptionStatus.REJECTED),
        standing("0114", AdoptionStatus.PENDING),
        adopted("0115", date(2022, 9, 1), None),
    ]

    view = entry_into_force(PER_PARTY, None, adoptions)

    assert view == EntryView(
        agreement_from=date(2022, 6, 7),
        per_party={
            "0114": None,
            "0115": None,
            "0120": None,
            "14": date(2022, 7, 8),
            "1401": date(2022, 7, 12),
            "1480": date(2022, 6, 7),
        },
        blocked_by=(),
        waiting_for=("0114", "0115"),
    )
    assert view.party_in_force_on("0120", date(2030, 1, 1)) is False


def test_an_opt_in_agreement_binds_no_one_before_its_fixed_date():
    view = entry_into_force(PER_PARTY, date(2022, 7, 10), ALL_ADOPTED_IN_2022)

    assert view.per_party == {"14": date(2022, 7, 10), "1401": date(2022, 7, 12), "1480": date(2022, 7, 10)}
    assert view.agreement_from == date(2022, 7, 10)


def test_an_opt_in_agreement_no_one_joined_is_not_in_force():
    view = entry_into_force(PER_PARTY, None, [standing("0120", AdoptionStatus.REJECTED)])

    assert view == EntryView(None, {"0120": None}, (), ())


@pytest.mark.parametrize(
    ("rule", "fixed_date", "adoptions", "field", "message"),
    [
        (FIXED, None, ALL_ADOPTED_IN_2022, "fixed_date", "Ange det datum överenskommelsen ska gälla från."),
        (
            ALL_FINAL,
            None,
            [],
            "adoptions",
            "Överenskommelsen har inga parter att räkna ikraftträdandet från.",
        ),
        (
            ALL_FINAL,
            None,
            [*ALL_ADOPTED_IN_2022, standing("1401", AdoptionStatus.PENDING)],
            "adoptions",
            "Part 1401 förekommer mer än en gång.",
        ),
        (
            FIXED,
            SEED_003_START,
            [PartyAdoption("1401", ADOPTED, None, date(2022, 7, 12))],
            "decided_on",
            "Part 1401 har antagit överenskommelsen men beslutsdatum saknas.",
        ),
    ],
)
def test_entry_into_force_refuses_input_it_cannot_count_from(rule, fixed_date, adoptions, field, message):
    with refused(InvalidInput, field=field, message=message):
        entry_into_force(rule, fixed_date, adoptions)


# --- after N of M adoptions, plus an offset (as treaties do) --------------------------------------

AFTER_N = EntryRule.AFTER_N_ADOPTIONS


def _adopted(code: str, final_on: date) -> PartyAdoption:
    return PartyAdoption(code, AdoptionStatus.ADOPTED, final_on - timedelta(days=30), final_on)


FOUR = [
    _adopted("1401", date(2022, 6, 21)),
    _adopted("1402", date(2022, 7, 5)),
    _adopted("1407", date(2022, 9, 1)),
    PartyAdoption("1415", AdoptionStatus.PENDING),
]


def test_after_two_of_four_it_enters_into_force_thirty_days_after_the_second_final_decision():
    view = entry_into_force(AFTER_N, None, FOUR, count=2, offset_days=30)
    assert view.agreement_from == date(2022, 8, 4)
    # the first two from then, a later one thirty days after its own, the undecided not at all
    assert view.per_party == {
        "1401": date(2022, 8, 4),
        "1402": date(2022, 8, 4),
        "1407": date(2022, 10, 1),
        "1415": None,
    }
    assert (view.blocked_by, view.waiting_for) == ((), ())


def test_before_the_nth_final_decision_it_waits_for_the_undecided_and_a_rejection_blocks_no_one():
    adoptions = [FOUR[0], PartyAdoption("1402", AdoptionStatus.REJECTED, date(2022, 5, 2), None), FOUR[3]]
    view = entry_into_force(AFTER_N, None, adoptions, count=2, offset_days=30)
    assert (view.agreement_from, view.blocked_by, view.waiting_for) == (None, (), ("1415",))


def test_after_n_is_not_before_a_fixed_date():
    view = entry_into_force(AFTER_N, date(2023, 1, 1), FOUR, count=1, offset_days=0)
    assert view.agreement_from == date(2023, 1, 1)


@pytest.mark.parametrize(
    ("count", "offset", "field"),
    [
        (None, 30, "entry_count"),
        (5, 30, "entry_count"),
        (0, 30, "entry_count"),
        (2, -1, "entry_offset_days"),
        (2, 3651, "entry_offset_days"),
    ],
)
def test_after_n_needs_a_count_among_the_parties_and_a_sensible_offset(count, offset, field):
    with pytest.raises(InvalidInput) as refusal:
        entry_into_force(AFTER_N, None, FOUR, count=count, offset_days=offset)
    assert refusal.value.field == field


def test_the_count_and_offset_belong_to_after_n_alone():
    with pytest.raises(InvalidInput) as refusal:
        check_entry_settings(EntryRule.WHEN_ALL_FINAL, 2, None, 4)
    assert refusal.value.field == "entry_count"
    check_entry_settings(EntryRule.WHEN_ALL_FINAL, None, None, 4)
    check_entry_settings(AFTER_N, 4, 0, 4)


@given(st.lists(st.dates(date(2022, 1, 1), date(2026, 12, 31)), min_size=1, max_size=8), st.integers(0, 90))
def test_no_adopting_party_is_bound_before_the_agreement_or_before_its_own_final_day_plus_the_offset(
    finals, offset
):
    adoptions = [_adopted(f"{1400 + i}", day) for i, day in enumerate(finals)]
    view = entry_into_force(AFTER_N, None, adoptions, count=len(finals), offset_days=offset)
    assert view.agreement_from == max(finals) + timedelta(days=offset)
    for adoption in adoptions:
        assert view.per_party[adoption.party_code] >= adoption.final_on + timedelta(days=offset)
