"""The forecast of entry into force from the parties' planned meetings (DOMAIN.md rule 3)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lifecycle.rules.entry import EntryRule
from lifecycle.rules.forecast import Forecast, forecast_entry, projected_final_on
from lifecycle.rules.model import AdoptionStatus, PartyAdoption

ADOPTED = PartyAdoption("1401", AdoptionStatus.ADOPTED, date(2022, 5, 23), date(2022, 6, 21))
PENDING = PartyAdoption("1402", AdoptionStatus.PENDING)
FIXED = date(2023, 1, 1)  # seed 003: in force from 2023-01-01 once all have adopted


def test_a_planned_meeting_is_final_at_the_latest_sixteen_days_and_three_weeks_later():
    # meeting Monday 2027-04-19; minutes posted by Wednesday 2027-05-05; last appeal day
    # Wednesday 2027-05-26; final Thursday 2027-05-27
    assert projected_final_on(date(2027, 4, 19)) == date(2027, 5, 27)
    # across Christmas: posted 2026-12-30, three weeks is Wednesday 2027-01-20
    assert projected_final_on(date(2026, 12, 14)) == date(2027, 1, 21)


def test_when_all_final_the_last_planned_decision_sets_the_date_and_holds_it_back():
    adoptions = {"1401": ADOPTED, "1402": PENDING}
    forecast = forecast_entry(EntryRule.WHEN_ALL_FINAL, None, adoptions, {"1402": date(2027, 4, 19)})
    assert forecast == Forecast(
        date(2027, 5, 27), {"1401": date(2027, 5, 27), "1402": date(2027, 5, 27)}, ("1402",), (), ()
    )


def test_with_a_fixed_date_a_plan_before_it_keeps_the_date_and_a_later_one_moves_it():
    adoptions = {"1401": ADOPTED, "1402": PENDING}
    on_time = forecast_entry(
        EntryRule.FIXED_DATE_ONCE_ALL_ADOPTED, FIXED, adoptions, {"1402": date(2022, 11, 21)}
    )
    assert on_time is not None and (on_time.in_force_from, on_time.holding_back) == (FIXED, ())
    late = forecast_entry(
        EntryRule.FIXED_DATE_ONCE_ALL_ADOPTED, FIXED, adoptions, {"1402": date(2023, 2, 13)}
    )
    assert late is not None and (late.in_force_from, late.holding_back) == (date(2023, 3, 23), ("1402",))


def test_an_adoption_without_its_anslag_is_projected_from_its_meeting():
    waiting = PartyAdoption("1402", AdoptionStatus.ADOPTED, date(2027, 4, 19), None)
    forecast = forecast_entry(EntryRule.WHEN_ALL_FINAL, None, {"1401": ADOPTED, "1402": waiting}, {})
    assert forecast is not None and forecast.in_force_from == date(2027, 5, 27)


def test_a_party_without_a_plan_or_a_rejection_leaves_no_date_and_is_named():
    adoptions = {
        "1401": ADOPTED,
        "1402": PENDING,
        "1403": PartyAdoption("1403", AdoptionStatus.REFERRED_BACK),
    }
    forecast = forecast_entry(EntryRule.WHEN_ALL_FINAL, None, adoptions, {"1402": date(2027, 4, 19)})
    assert forecast == Forecast(None, {}, (), ("1403",), ())
    rejected = {**adoptions, "1403": PartyAdoption("1403", AdoptionStatus.REJECTED, date(2022, 5, 1), None)}
    forecast = forecast_entry(EntryRule.WHEN_ALL_FINAL, None, rejected, {"1402": date(2027, 4, 19)})
    assert forecast == Forecast(None, {}, (), (), ("1403",))


def test_nothing_to_forecast_once_every_decision_is_final():
    assert forecast_entry(EntryRule.WHEN_ALL_FINAL, None, {"1401": ADOPTED}, {}) is None


def test_an_opt_in_agreement_forecasts_each_planned_party_from_its_own_decision():
    forecast = forecast_entry(
        EntryRule.PER_PARTY, None, {"1401": ADOPTED, "1402": PENDING}, {"1402": date(2027, 4, 19)}
    )
    assert forecast is not None
    assert forecast.per_party == {"1401": date(2022, 6, 21), "1402": date(2027, 5, 27)}


@given(st.dates(date(2024, 1, 1), date(2030, 12, 31)), st.dates(date(2024, 1, 1), date(2030, 12, 31)))
def test_the_forecast_is_the_later_of_the_planned_decisions_final_days(first: date, second: date):
    adoptions = {"1401": ADOPTED, "1402": PENDING, "1403": PartyAdoption("1403", AdoptionStatus.PENDING)}
    forecast = forecast_entry(EntryRule.WHEN_ALL_FINAL, None, adoptions, {"1402": first, "1403": second})
    assert forecast is not None
    assert forecast.in_force_from == max(projected_final_on(first), projected_final_on(second))
    assert forecast.in_force_from - max(first, second) >= timedelta(days=16 + 21 + 1)
