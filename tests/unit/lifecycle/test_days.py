"""Swedish days off as lag (1930:173) 2 § counts them, and the pinned `holidays` data behind them."""

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifecycle.rules.days import is_day_off, next_working_day_on_or_after

any_day = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def test_holidays_package_is_the_pinned_version():
    # its Swedish categories changed between releases; the rules below depend on 0.109
    assert holidays.__version__ == "0.109"


def test_pinned_holidays_does_not_list_ordinary_sundays_so_we_check_the_weekday_ourselves():
    calendar = holidays.Sweden(years=2024, categories=("public", "de_facto"))
    assert date(2024, 3, 10) not in calendar  # an ordinary Sunday
    assert is_day_off(date(2024, 3, 10))


def test_pinned_holidays_lists_the_three_eves_only_as_de_facto():
    public = holidays.Sweden(years=2024, categories=("public",))
    assert date(2024, 6, 21) not in public
    assert date(2024, 12, 24) not in public
    assert date(2024, 12, 31) not in public


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2024, 1, 1), "nyårsdagen"),
        (date(2024, 1, 6), "trettondedag jul (a Saturday this year)"),
        (date(2025, 1, 6), "trettondedag jul"),
        (date(2024, 3, 29), "långfredagen"),
        (date(2024, 4, 1), "annandag påsk"),
        (date(2024, 5, 1), "första maj"),
        (date(2024, 5, 9), "Kristi himmelsfärdsdag"),
        (date(2024, 6, 6), "nationaldagen"),
        (date(2024, 6, 21), "midsommarafton"),
        (date(2026, 6, 19), "midsommarafton"),
        (date(2024, 12, 24), "julafton"),
        (date(2024, 12, 25), "juldagen"),
        (date(2024, 12, 26), "annandag jul"),
        (date(2024, 12, 31), "nyårsafton"),
        (date(2004, 5, 31), "annandag pingst, a holiday until 2004"),
        (date(2024, 3, 9), "a Saturday"),
        (date(2024, 3, 10), "a Sunday"),
    ],
)
def test_is_day_off_for_weekends_holidays_and_the_three_eves(day, why):
    assert is_day_off(day), why


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2024, 3, 11), "an ordinary Monday"),
        (date(2024, 3, 28), "skärtorsdagen is a working day"),
        (date(2024, 4, 30), "valborgsmässoafton is a working day"),
        (date(2024, 1, 5), "trettondagsafton is a working day"),
        (date(2024, 5, 8), "the day before Kristi himmelsfärdsdag is a working day"),
        (date(2024, 6, 20), "the day before midsommarafton is a working day"),
        (date(2024, 12, 27), "the Friday after Christmas is a working day"),
        (date(2005, 5, 16), "annandag pingst is no longer a holiday from 2005"),
    ],
)
def test_is_day_off_is_false_for_working_days(day, why):
    assert not is_day_off(day), why


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 3, 11), date(2024, 3, 11)),  # a working day is its own answer
        (date(2024, 3, 9), date(2024, 3, 11)),  # Saturday -> Monday
        (date(2024, 3, 29), date(2024, 4, 2)),  # långfredagen -> Tuesday after Easter
        (date(2026, 6, 19), date(2026, 6, 22)),  # midsommarafton -> Monday
        (date(2024, 12, 24), date(2024, 12, 27)),  # julafton -> Friday after annandag jul
        (date(2024, 12, 31), date(2025, 1, 2)),  # nyårsafton -> over nyårsdagen, into the new year
        (date(2001, 12, 22), date(2001, 12, 27)),  # Saturday before julafton on a Monday: five days off
    ],
)
def test_next_working_day_on_or_after(day, expected):
    assert next_working_day_on_or_after(day) == expected


@given(any_day.filter(lambda d: d.weekday() >= 5))
def test_every_saturday_and_sunday_is_a_day_off(day):
    assert is_day_off(day)


@given(any_day)
def test_next_working_day_is_the_first_working_day_on_or_after(day):
    result = next_working_day_on_or_after(day)
    assert result >= day
    assert not is_day_off(result)
    skipped = (result - day).days
    assert all(is_day_off(day + timedelta(days=n)) for n in range(skipped))
    # the longest run of days off is five: Saturday to annandag jul when julafton is a Monday
    assert skipped <= 5
