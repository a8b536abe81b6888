"""The appeal period (kommunallagen 13 kap. 5 §, lag 1930:173 2 §) and a decision's legal state."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import InvalidInput
from lifecycle.rules.appeal import (
    NO_APPEAL,
    Appeal,
    LegalState,
    last_appeal_day,
    legal_state,
    presumed_final_date,
    validate_appeal,
)
from lifecycle.rules.days import is_day_off
from lifecycle.rules.model import AppealState
from tests.unit.lifecycle.refusals import refused

any_anslag = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@pytest.mark.parametrize(
    ("anslag", "last_day", "why"),
    [
        (date(2024, 5, 29), date(2024, 6, 19), "day 21 is a Wednesday, two days before midsommarafton 2024"),
        (date(2026, 5, 29), date(2026, 6, 22), "midsommarafton, midsommardagen, a Sunday"),
        (date(2024, 12, 3), date(2024, 12, 27), "julafton, juldagen, annandag jul"),
        (date(2001, 12, 3), date(2001, 12, 27), "julafton on a Monday, juldagen, annandag jul"),
        (date(2024, 12, 10), date(2025, 1, 2), "nyårsafton, nyårsdagen"),
        (date(2025, 3, 28), date(2025, 4, 22), "långfredagen to annandag påsk"),
        (date(2024, 3, 3), date(2024, 3, 25), "a Sunday (a digital notice board posts any day)"),
        (date(2024, 3, 2), date(2024, 3, 25), "a Saturday and a Sunday"),
        (date(2024, 4, 18), date(2024, 5, 10), "Kristi himmelsfärdsdag"),
        (date(2024, 4, 10), date(2024, 5, 2), "första maj"),
        (date(2024, 5, 16), date(2024, 6, 7), "nationaldagen"),
        (date(2024, 12, 16), date(2025, 1, 7), "trettondedag jul on a Monday"),
        (date(2004, 5, 10), date(2004, 6, 1), "annandag pingst, still a holiday in 2004"),
        (date(2005, 4, 25), date(2005, 5, 16), "annandag pingst, no longer a holiday from 2005"),
        # Seed 003. The seed gives no anslag dates; these assume the anslag on the day the minutes
        # were approved. VästKom's board met 2022-03-08 (§ 15), last signature 2022-03-18; GR's
        # förbundsstyrelse met and approved 2022-03-18 (§ 356).
        (date(2022, 3, 18), date(2022, 4, 8), "VästKom § 15 and GR § 356: an ordinary Friday"),
        # Härryda välfärdsnämnden 2021-12-15 § 320, approved at the meeting ("Paragrafen är justerad")
        (date(2021, 12, 15), date(2022, 1, 5), "trettondagsafton is a working day"),
    ],
)
def test_last_appeal_day_is_three_weeks_on_moved_past_days_off(anslag, last_day, why):
    assert last_appeal_day(anslag) == last_day, why
    assert presumed_final_date(anslag) == last_day + timedelta(days=1)


def test_appeal_period_moves_past_midsummer_eve():
    assert date(2026, 6, 19) == date(2026, 5, 29) + timedelta(weeks=3)  # midsommarafton 2026
    assert last_appeal_day(date(2026, 5, 29)) == date(2026, 6, 22)


def test_final_date_may_itself_be_a_day_off():
    # the last appeal day is Friday 2024-06-07; the day after, a Saturday, is the final date
    assert presumed_final_date(date(2024, 5, 17)) == date(2024, 6, 8)


@given(any_anslag)
def test_last_appeal_day_is_never_a_day_off(anslag):
    assert not is_day_off(last_appeal_day(anslag))


def test_for_every_anslag_from_2000_to_2100_the_last_day_is_a_working_day_at_least_21_days_on():
    # exhaustive as well as sampled: 36 890 days, every holiday constellation of the century
    anslag, end = date(2000, 1, 1), date(2100, 12, 31)
    while anslag <= end:
        last = last_appeal_day(anslag)
        assert not is_day_off(last), anslag
        assert anslag + timedelta(days=21) <= last <= anslag + timedelta(days=26), anslag
        anslag += timedelta(days=1)


@given(any_anslag)
def test_last_appeal_day_is_the_first_working_day_from_day_21(anslag):
    last = last_appeal_day(anslag)
    day_21 = anslag + timedelta(days=21)
    assert last >= day_21
    assert all(is_day_off(day_21 + timedelta(days=n)) for n in range((last - day_21).days))


@given(any_anslag)
def test_final_date_is_never_earlier_than_22_days_after_the_anslag(anslag):
    final = presumed_final_date(anslag)
    assert final >= anslag + timedelta(days=22)
    assert final == last_appeal_day(anslag) + timedelta(days=1)


@given(any_anslag, st.integers(min_value=-30, max_value=60))
def test_without_an_appeal_a_decision_is_appealable_until_the_last_day_then_final(anslag, offset):
    today = anslag + timedelta(days=offset)
    state, final_on = legal_state(anslag, NO_APPEAL, today)
    if today < anslag:
        assert (state, final_on) == (LegalState.AWAITING_NOTICE, None)
    elif today <= last_appeal_day(anslag):
        assert (state, final_on) == (LegalState.APPEALABLE, presumed_final_date(anslag))
    else:
        assert (state, final_on) == (LegalState.FINAL, presumed_final_date(anslag))


ANSLAG = date(2024, 5, 29)  # last appeal day 2024-06-19, presumed final 2024-06-20


def test_a_decision_without_anslag_awaits_notice():
    assert legal_state(None, NO_APPEAL, date(2024, 6, 1)) == (LegalState.AWAITING_NOTICE, None)


@pytest.mark.parametrize(
    ("today", "state", "final_on"),
    [
        (date(2024, 5, 28), LegalState.AWAITING_NOTICE, None),
        (date(2024, 5, 29), LegalState.APPEALABLE, date(2024, 6, 20)),
        (date(2024, 6, 19), LegalState.APPEALABLE, date(2024, 6, 20)),
        (date(2024, 6, 20), LegalState.FINAL, date(2024, 6, 20)),
    ],
)
def test_legal_state_around_the_appeal_period(today, state, final_on):
    assert legal_state(ANSLAG, NO_APPEAL, today) == (state, final_on)


LODGED = Appeal(AppealState.LODGED, lodged_on=date(2024, 6, 10))


@pytest.mark.parametrize(
    ("appeal", "today", "state", "final_on"),
    [
        # before the appeal reached the court the register could not know of it
        (LODGED, date(2024, 6, 9), LegalState.APPEALABLE, date(2024, 6, 20)),
        (LODGED, date(2024, 6, 10), LegalState.APPEALED, None),
        (LODGED, date(2025, 1, 1), LegalState.APPEALED, None),
        (
            Appeal(AppealState.UPHELD, date(2024, 6, 10), date(2024, 10, 1)),
            date(2024, 9, 30),
            LegalState.APPEALED,
            None,
        ),
        (
            Appeal(AppealState.UPHELD, date(2024, 6, 10), date(2024, 10, 1)),
            date(2024, 10, 1),
            LegalState.ANNULLED,
            None,
        ),
        (
            Appeal(AppealState.DISMISSED, date(2024, 6, 10), date(2024, 10, 1)),
            date(2024, 10, 1),
            LegalState.FINAL,
            date(2024, 10, 1),
        ),
        (
            Appeal(AppealState.WITHDRAWN, date(2024, 6, 10), date(2024, 8, 15)),
            date(2024, 9, 1),
            LegalState.FINAL,
            date(2024, 8, 15),
        ),
    ],
)
def test_a_recorded_appeal_holds_finality_until_its_outcome(appeal, today, state, final_on):
    assert legal_state(ANSLAG, appeal, today) == (state, final_on)


def test_an_appeal_withdrawn_within_the_period_leaves_the_period_running_for_everyone_else():
    withdrawn = Appeal(AppealState.WITHDRAWN, date(2024, 6, 3), date(2024, 6, 5))
    assert legal_state(ANSLAG, withdrawn, date(2024, 6, 5)) == (LegalState.APPEALABLE, date(2024, 6, 20))
    assert legal_state(ANSLAG, withdrawn, date(2024, 6, 20)) == (LegalState.FINAL, date(2024, 6, 20))


def test_a_late_appeal_once_dismissed_leaves_the_decision_final_from_the_presumed_date():
    late = Appeal(AppealState.DISMISSED, date(2024, 7, 1), date(2024, 8, 15))
    assert legal_state(ANSLAG, late, date(2024, 6, 25)) == (LegalState.FINAL, date(2024, 6, 20))
    assert legal_state(ANSLAG, late, date(2024, 7, 1)) == (LegalState.APPEALED, None)
    assert legal_state(ANSLAG, late, date(2024, 8, 15)) == (LegalState.FINAL, date(2024, 6, 20))


def test_an_appeal_lodged_on_the_last_day_is_in_time():
    on_time = Appeal(AppealState.DISMISSED, date(2024, 6, 19), date(2024, 11, 4))
    assert legal_state(ANSLAG, on_time, date(2024, 12, 1)) == (LegalState.FINAL, date(2024, 11, 4))


TODAY = date(2024, 12, 1)


@pytest.mark.parametrize(
    "appeal",
    [
        NO_APPEAL,
        Appeal(AppealState.LODGED, date(2024, 5, 29)),
        Appeal(AppealState.LODGED, date(2024, 7, 1)),  # late: the court dismisses it, but it was lodged
        Appeal(AppealState.DISMISSED, date(2024, 6, 10), date(2024, 6, 10)),
        Appeal(AppealState.UPHELD, date(2024, 6, 10), TODAY),
        Appeal(AppealState.WITHDRAWN, date(2024, 6, 10), date(2024, 6, 11)),
    ],
)
def test_validate_appeal_accepts_records_that_can_be_true(appeal):
    validate_appeal(appeal, anslag_date=ANSLAG, today=TODAY)


@pytest.mark.parametrize(
    ("appeal", "anslag", "field", "message"),
    [
        (
            Appeal(AppealState.NONE, lodged_on=date(2024, 6, 10)),
            ANSLAG,
            "appeal.state",
            "Ange inga datum för överklagande när inget överklagande är registrerat.",
        ),
        (
            Appeal(AppealState.LODGED),
            ANSLAG,
            "appeal.lodged_on",
            "Ange vilken dag överklagandet kom in till förvaltningsrätten.",
        ),
        (
            Appeal(AppealState.LODGED, date(2024, 6, 10)),
            None,
            "anslag_date",
            "Ett överklagande kan registreras först när anslagsdatum är angivet.",
        ),
        (
            Appeal(AppealState.LODGED, date(2024, 5, 28)),
            ANSLAG,
            "appeal.lodged_on",
            "Överklagandet kan inte ha kommit in före anslagsdatum (2024-05-28 < 2024-05-29).",
        ),
        (
            Appeal(AppealState.LODGED, date(2024, 12, 2)),
            ANSLAG,
            "appeal.lodged_on",
            "Datum för överklagandet kan inte vara senare än i dag (2024-12-02 > 2024-12-01).",
        ),
        (
            Appeal(AppealState.LODGED, date(2024, 6, 10), date(2024, 9, 1)),
            ANSLAG,
            "appeal.resolved_on",
            "Ett pågående överklagande har inget avgörandedatum. Välj utfall eller ta bort datumet.",
        ),
        (
            Appeal(AppealState.DISMISSED, date(2024, 6, 10)),
            ANSLAG,
            "appeal.resolved_on",
            "Ange vilken dag domen vann laga kraft eller överklagandet återkallades.",
        ),
        (
            Appeal(AppealState.WITHDRAWN, date(2024, 6, 10), date(2024, 6, 9)),
            ANSLAG,
            "appeal.resolved_on",
            "Avgörandet kan inte vara före överklagandet (2024-06-09 < 2024-06-10).",
        ),
        (
            Appeal(AppealState.UPHELD, date(2024, 6, 10), date(2024, 12, 2)),
            ANSLAG,
            "appeal.resolved_on",
            "Datum för avgörandet kan inte vara senare än i dag (2024-12-02 > 2024-12-01).",
        ),
    ],
)
def test_validate_appeal_refuses_records_that_cannot_be_true(appeal, anslag, field, message):
    with refused(InvalidInput, field=field, message=message):
        validate_appeal(appeal, anslag_date=anslag, today=TODAY)
