"""Term and notice (DOMAIN.md rule 5; seed 003 "Avtalstid", seeds 000 § 12, 001 § 21, 002 § 6)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import Conflict, InvalidInput
from lifecycle.rules.months import add_months, add_months_eom, is_month_end, month_end
from lifecycle.rules.term import (
    FixedTerm,
    Notice,
    Period,
    UntilFurtherNotice,
    notice_deadline,
    periods,
    term_as_of,
)
from tests.unit.lifecycle.refusals import refused

ONE_DAY = timedelta(days=1)
# Seed 003: 2023-01-01 – 2026-12-31, 18 months' notice, extended by 3 years at a time.
VGR = FixedTerm(date(2023, 1, 1), date(2026, 12, 31), notice_months=18, renewal_years=3)
# Seeds 000/001: from 2018-04-01 until further notice, six months, three on law changes.
VASTMANLAND = UntilFurtherNotice(date(2018, 4, 1), notice_months=6, law_change_notice_months=3)
# Seed 002: from 2025-01-01 until further notice, no notice period stated.
OREBRO = UntilFurtherNotice(date(2025, 1, 1))


def test_seed_003_agreement_runs_to_2029_with_its_next_notice_deadline_on_2028_06_30():
    # given no notice by 2026-11-23, past the first deadline (2025-06-30)
    # when
    view = term_as_of(VGR, [], date(2026, 11, 23))
    # then
    assert view.runs_until == date(2029, 12, 31)
    assert view.next_notice_deadline == date(2028, 6, 30)


@pytest.mark.parametrize(
    ("as_of", "runs_until", "deadline"),
    [
        (date(2022, 6, 1), date(2026, 12, 31), date(2025, 6, 30)),  # adopted, not started
        (date(2025, 6, 30), date(2026, 12, 31), date(2025, 6, 30)),  # the last day to give notice
        (date(2025, 7, 1), date(2029, 12, 31), date(2028, 6, 30)),  # too late: renewed once
        (date(2026, 11, 23), date(2029, 12, 31), date(2028, 6, 30)),
        (date(2028, 6, 30), date(2029, 12, 31), date(2028, 6, 30)),
        (date(2028, 7, 1), date(2032, 12, 31), date(2031, 6, 30)),
    ],
)
def test_the_next_notice_deadline_moves_to_the_next_period_the_day_after_it_passes(
    as_of, runs_until, deadline
):
    view = term_as_of(VGR, [], as_of)

    assert (view.runs_until, view.next_notice_deadline) == (runs_until, deadline)


@pytest.mark.parametrize(
    ("as_of", "current", "started"),
    [
        (date(2022, 6, 1), Period(date(2023, 1, 1), date(2026, 12, 31)), False),
        (date(2023, 1, 1), Period(date(2023, 1, 1), date(2026, 12, 31)), True),
        (date(2026, 12, 31), Period(date(2023, 1, 1), date(2026, 12, 31)), True),
        (date(2027, 1, 1), Period(date(2027, 1, 1), date(2029, 12, 31)), True),
        (date(2040, 1, 1), Period(date(2039, 1, 1), date(2041, 12, 31)), True),
    ],
)
def test_the_current_period_is_the_one_containing_the_day(as_of, current, started):
    view = term_as_of(VGR, [], as_of)

    assert view.current == current
    assert view.started is started
    assert view.ended is False
    assert view.ends_on is None


def test_upcoming_renewals_are_listed_up_to_the_horizon():
    view = term_as_of(VGR, [], date(2026, 11, 23))

    assert view.upcoming_renewals == (
        Period(date(2027, 1, 1), date(2029, 12, 31)),
        Period(date(2030, 1, 1), date(2032, 12, 31)),
        Period(date(2033, 1, 1), date(2035, 12, 31)),
        Period(date(2036, 1, 1), date(2038, 12, 31)),
    )
    assert term_as_of(VGR, [], date(2026, 11, 23), horizon_years=3).upcoming_renewals == (
        Period(date(2027, 1, 1), date(2029, 12, 31)),
    )


def test_upcoming_renewals_never_include_the_initial_term():
    view = term_as_of(VGR, [], date(2022, 6, 1), horizon_years=5)

    assert view.upcoming_renewals == (Period(date(2027, 1, 1), date(2029, 12, 31)),)


def test_periods_of_seed_003_are_the_term_and_its_three_year_renewals():
    assert list(periods(VGR, date(2033, 1, 1))) == [
        Period(date(2023, 1, 1), date(2026, 12, 31)),
        Period(date(2027, 1, 1), date(2029, 12, 31)),
        Period(date(2030, 1, 1), date(2032, 12, 31)),
        Period(date(2033, 1, 1), date(2035, 12, 31)),
    ]


def test_periods_keep_ending_on_the_last_of_february_across_leap_years():
    term = FixedTerm(date(2024, 3, 1), date(2025, 2, 28), notice_months=6, renewal_years=1)

    assert list(periods(term, date(2027, 3, 1))) == [
        Period(date(2024, 3, 1), date(2025, 2, 28)),
        Period(date(2025, 3, 1), date(2026, 2, 28)),
        Period(date(2026, 3, 1), date(2027, 2, 28)),
        Period(date(2027, 3, 1), date(2028, 2, 29)),
    ]


def test_periods_of_a_fixed_term_without_renewal_are_the_term_alone():
    term = FixedTerm(date(2023, 1, 1), date(2026, 12, 31), notice_months=18)

    assert list(periods(term, date(2040, 1, 1))) == [Period(date(2023, 1, 1), date(2026, 12, 31))]


def test_periods_until_further_notice_are_one_open_period():
    assert list(periods(VASTMANLAND, date(2030, 1, 1))) == [Period(date(2018, 4, 1), None)]


def test_periods_before_the_start_are_none():
    assert list(periods(VGR, date(2022, 12, 31))) == []
    assert list(periods(VASTMANLAND, date(2018, 3, 31))) == []


@pytest.mark.parametrize(
    ("period_end", "months", "deadline"),
    [
        (date(2026, 12, 31), 18, date(2025, 6, 30)),  # seed 003
        (date(2029, 12, 31), 18, date(2028, 6, 30)),
        (date(2027, 2, 28), 6, date(2026, 8, 31)),  # month end to month end
        (date(2028, 2, 29), 6, date(2027, 8, 31)),
        (date(2026, 3, 15), 6, date(2025, 9, 15)),
        (date(2026, 8, 30), 6, date(2026, 2, 28)),
        (date(2026, 12, 31), 0, date(2026, 12, 31)),
    ],
)
def test_notice_deadline_is_the_last_day_whose_notice_period_fits_in_the_term(period_end, months, deadline):
    assert notice_deadline(period_end, months) == deadline


def test_a_fixed_term_without_renewal_has_ended_the_day_after_its_end():
    term = FixedTerm(date(2023, 1, 1), date(2026, 12, 31), notice_months=18)

    on_last_day = term_as_of(term, [], date(2026, 12, 31))
    after = term_as_of(term, [], date(2027, 1, 1))

    assert (on_last_day.ended, on_last_day.ends_on, on_last_day.runs_until) == (
        False,
        date(2026, 12, 31),
        date(2026, 12, 31),
    )
    assert on_last_day.next_notice_deadline is None  # it ends anyway: notice changes nothing
    assert (after.ended, after.current, after.upcoming_renewals) == (
        True,
        Period(date(2023, 1, 1), date(2026, 12, 31)),
        (),
    )


@pytest.mark.parametrize(
    ("given_on", "party_end"),
    [
        (date(2023, 1, 1), date(2026, 12, 31)),
        (date(2025, 6, 30), date(2026, 12, 31)),  # on the deadline
        (date(2025, 7, 1), date(2029, 12, 31)),  # a day late: at the end of the renewal
        (date(2028, 6, 30), date(2029, 12, 31)),
        (date(2028, 7, 1), date(2032, 12, 31)),
    ],
)
def test_a_partys_notice_ends_its_participation_at_the_end_of_the_first_period_it_is_in_time_for(
    given_on, party_end
):
    view = term_as_of(VGR, [Notice("1401", given_on)], date(2028, 12, 1))

    assert view.party_end_dates == {"1401": party_end}


def test_a_partys_notice_ends_the_agreement_for_that_party_only():
    notices = [Notice("1401", date(2025, 3, 1)), Notice("1480", date(2025, 9, 1))]

    view = term_as_of(VGR, notices, date(2027, 6, 1), parties=["14", "1401", "1480", "1415"])

    assert view.party_end_dates == {"1401": date(2026, 12, 31), "1480": date(2029, 12, 31)}
    assert (view.ended, view.ends_on, view.runs_until) == (False, None, date(2029, 12, 31))
    assert view.upcoming_renewals[0] == Period(date(2030, 1, 1), date(2032, 12, 31))


def test_a_late_notice_under_a_term_without_renewal_ends_at_the_term_end():
    term = FixedTerm(date(2023, 1, 1), date(2026, 12, 31), notice_months=18)

    view = term_as_of(term, [Notice("1401", date(2026, 9, 1))], date(2026, 10, 1))

    assert view.party_end_dates == {"1401": date(2026, 12, 31)}


def test_notices_given_after_the_day_are_left_out_of_the_view():
    view = term_as_of(VGR, [Notice("1401", date(2025, 3, 1))], date(2025, 2, 28))

    assert view.party_end_dates == {}


@pytest.mark.parametrize(
    ("notice", "party_end"),
    [
        (Notice("1980", date(2025, 1, 15)), date(2025, 7, 15)),
        (Notice("1980", date(2024, 8, 31)), date(2025, 2, 28)),  # clamped
        (Notice("1980", date(2024, 8, 31), law_change=True), date(2024, 11, 30)),  # seed 001 § 21
        (Notice("1980", date(2018, 4, 1)), date(2018, 10, 1)),
    ],
)
def test_until_further_notice_a_party_leaves_when_its_notice_period_has_run(notice, party_end):
    view = term_as_of(VASTMANLAND, [notice], date(2026, 11, 23))

    assert view.party_end_dates == {"1980": party_end}
    assert (view.current, view.runs_until, view.next_notice_deadline, view.ended) == (
        Period(date(2018, 4, 1), None),
        None,
        None,
        False,
    )


def test_without_a_stated_notice_period_a_party_leaves_on_the_agreed_date():
    notice = Notice("1880", date(2025, 9, 1), agreed_end=date(2025, 12, 31))

    assert term_as_of(OREBRO, [notice], date(2026, 1, 1)).party_end_dates == {"1880": date(2025, 12, 31)}


def test_the_agreement_ends_when_fewer_than_two_parties_remain():
    notices = [Notice("1980", date(2025, 1, 15)), Notice("1983", date(2025, 3, 10))]

    before = term_as_of(VASTMANLAND, notices, date(2025, 9, 10), parties=["19", "1980", "1983"])
    after = term_as_of(VASTMANLAND, notices, date(2025, 9, 11), parties=["19", "1980", "1983"])

    assert before.party_end_dates == {"1980": date(2025, 7, 15), "1983": date(2025, 9, 10)}
    assert (before.ended, before.ends_on, before.current) == (
        False,
        date(2025, 9, 10),
        Period(date(2018, 4, 1), date(2025, 9, 10)),
    )
    assert after.ended is True


def test_a_two_party_fixed_term_ends_for_both_when_one_gives_notice():
    view = term_as_of(VGR, [Notice("1401", date(2025, 1, 10))], date(2027, 1, 1), parties=["14", "1401"])

    assert (view.ended, view.ends_on, view.runs_until, view.next_notice_deadline) == (
        True,
        date(2026, 12, 31),
        date(2026, 12, 31),
        None,
    )
    assert view.current == Period(date(2023, 1, 1), date(2026, 12, 31))
    assert view.upcoming_renewals == ()


def test_the_last_partys_own_notice_is_cut_to_the_agreements_end():
    notices = [Notice("1401", date(2025, 1, 10)), Notice("14", date(2025, 8, 1))]

    view = term_as_of(VGR, notices, date(2025, 9, 1), parties=["14", "1401"])

    assert view.party_end_dates == {"14": date(2026, 12, 31), "1401": date(2026, 12, 31)}


@pytest.mark.parametrize(
    ("build", "field", "message"),
    [
        (
            lambda: FixedTerm(date(2023, 1, 1), date(2022, 12, 31), 18, 3),
            "end",
            "Avtalstiden kan inte sluta (2022-12-31) innan den börjar (2023-01-01).",
        ),
        (
            lambda: FixedTerm(date(2023, 1, 1), date(2026, 12, 31), -1, 3),
            "notice_months",
            "Uppsägningstiden ska vara mellan 0 och 60 månader.",
        ),
        (
            lambda: FixedTerm(date(2023, 1, 1), date(2026, 12, 31), 999999, 3),
            "notice_months",
            "Uppsägningstiden ska vara mellan 0 och 60 månader.",
        ),
        (
            lambda: FixedTerm(date(2023, 1, 1), date(2026, 12, 31), 18, 0),
            "renewal_years",
            "En förlängning ska vara mellan 1 och 10 år i taget.",
        ),
        (
            lambda: FixedTerm(date(2023, 1, 1), date(2026, 12, 31), 18, 99999),
            "renewal_years",
            "En förlängning ska vara mellan 1 och 10 år i taget.",
        ),
        (
            lambda: UntilFurtherNotice(date(2018, 4, 1), -6),
            "notice_months",
            "Uppsägningstiden ska vara mellan 0 och 60 månader.",
        ),
        (
            lambda: UntilFurtherNotice(date(2018, 4, 1), 61),
            "notice_months",
            "Uppsägningstiden ska vara mellan 0 och 60 månader.",
        ),
        (
            lambda: UntilFurtherNotice(date(2018, 4, 1), None, 3),
            "law_change_notice_months",
            "En kortare uppsägningstid vid lagändring förutsätter en ordinarie uppsägningstid.",
        ),
        (
            lambda: UntilFurtherNotice(date(2018, 4, 1), 6, 7),
            "law_change_notice_months",
            "Uppsägningstiden vid lagändring ska ligga mellan 0 och 6 månader.",
        ),
        (
            lambda: UntilFurtherNotice(date(2018, 4, 1), 6, -1),
            "law_change_notice_months",
            "Uppsägningstiden vid lagändring ska ligga mellan 0 och 6 månader.",
        ),
    ],
)
def test_a_term_rule_that_cannot_be_true_is_refused(build, field, message):
    with refused(InvalidInput, field=field, message=message):
        build()


@pytest.mark.parametrize(
    ("rule", "notices", "field", "message"),
    [
        (
            VGR,
            [Notice("1401", date(2022, 12, 31))],
            "given_on",
            "Uppsägningen från part 1401 är daterad 2022-12-31, före avtalstidens början 2023-01-01.",
        ),
        (
            VGR,
            [Notice("1401", date(2025, 1, 1), law_change=True)],
            "law_change",
            "Överenskommelsen har ingen kortare uppsägningstid vid lagändring.",
        ),
        (
            UntilFurtherNotice(date(2018, 4, 1), 6),
            [Notice("1980", date(2025, 1, 1), law_change=True)],
            "law_change",
            "Överenskommelsen har ingen kortare uppsägningstid vid lagändring.",
        ),
        (
            OREBRO,
            [Notice("1880", date(2025, 9, 1))],
            "agreed_end",
            "Överenskommelsen anger ingen uppsägningstid: ange det slutdatum parterna har kommit överens om.",
        ),
        (
            OREBRO,
            [Notice("1880", date(2025, 9, 1), agreed_end=date(2025, 8, 31))],
            "agreed_end",
            "Slutdatumet 2025-08-31 ligger före uppsägningen 2025-09-01.",
        ),
        (
            VASTMANLAND,
            [Notice("1980", date(2025, 9, 1), agreed_end=date(2025, 12, 31))],
            "agreed_end",
            "Slutdatumet räknas fram ur överenskommelsens uppsägningstid och kan inte anges.",
        ),
        (
            FixedTerm(date(2023, 1, 1), date(2026, 12, 31), 18),
            [Notice("1401", date(2027, 1, 1))],
            "given_on",
            "Part 1401 har redan lämnat överenskommelsen, som upphörde 31 december 2026.",
        ),
    ],
)
def test_a_notice_that_cannot_be_true_is_refused(rule, notices, field, message):
    with refused(InvalidInput, field=field, message=message):
        term_as_of(rule, notices, date(2026, 11, 23))


def test_a_second_notice_from_the_same_party_is_a_conflict():
    notices = [Notice("1401", date(2025, 9, 1)), Notice("1401", date(2025, 3, 1))]

    with refused(
        Conflict, field="party_code", message="Part 1401 har redan sagt upp överenskommelsen (1 mars 2025)."
    ):
        term_as_of(VGR, notices, date(2026, 11, 23))


def test_a_notice_dated_after_the_day_is_still_checked():
    notices = [Notice("1401", date(2025, 3, 1)), Notice("1401", date(2027, 3, 1))]

    with refused(
        Conflict, field="party_code", message="Part 1401 har redan sagt upp överenskommelsen (1 mars 2025)."
    ):
        term_as_of(VGR, notices, date(2026, 11, 23))


def test_a_notice_after_the_agreement_ended_for_want_of_parties_is_refused():
    notices = [Notice("1401", date(2025, 1, 10)), Notice("14", date(2027, 2, 1))]

    with refused(
        InvalidInput,
        field="given_on",
        message="Part 14 har redan lämnat överenskommelsen, som upphörde 31 december 2026.",
    ):
        term_as_of(VGR, notices, date(2027, 3, 1), parties=["14", "1401"])


def test_a_notice_from_someone_who_is_not_a_party_is_refused():
    with refused(InvalidInput, field="party_code", message="1402 är inte part i överenskommelsen."):
        term_as_of(VGR, [Notice("1402", date(2025, 1, 10))], date(2026, 11, 23), parties=["14", "1401"])


def test_an_agreement_needs_two_parties():
    with refused(InvalidInput, field="parties", message="En överenskommelse behöver minst två parter."):
        term_as_of(VGR, [], date(2026, 11, 23), parties=["14", "14"])


# --- properties over 2000-2100 ---------------------------------------------------------------


@st.composite
def fixed_terms(draw):
    start = draw(st.dates(date(2000, 1, 1), date(2090, 12, 31)))
    if draw(st.booleans()):  # most real terms end on a month's last day
        end = month_end(add_months(start, draw(st.integers(0, 120))))
    else:
        end = start + timedelta(days=draw(st.integers(0, 3650)))
    return FixedTerm(start, end, draw(st.integers(0, 36)), draw(st.integers(1, 5)))


@given(fixed_terms(), st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_renewal_periods_tile_time_without_gap_or_overlap(term, until):
    found = list(periods(term, until))

    for period in found:
        assert period.start <= period.end
    for earlier, later in itertools.pairwise(found):
        assert later.start == earlier.end + ONE_DAY
    if found:
        assert found[0].start == term.start
        assert found[-1].start <= until


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)), st.integers(0, 60))
def test_a_notice_deadline_is_the_last_day_whose_notice_period_fits(period_end, months):
    deadline = notice_deadline(period_end, months)

    assert add_months(deadline, months) <= period_end < add_months(deadline + ONE_DAY, months)


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)).map(month_end), st.integers(0, 60))
def test_a_notice_deadline_plus_the_notice_period_is_a_month_end_period_end(period_end, months):
    deadline = notice_deadline(period_end, months)

    assert is_month_end(deadline)
    assert add_months_eom(deadline, months) == period_end
    assert month_end(add_months(deadline, months)) == period_end


@given(fixed_terms(), st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_the_next_notice_deadline_is_never_past_and_ends_the_term_at_runs_until(term, as_of):
    view = term_as_of(term, [], as_of)

    assert view.next_notice_deadline is not None and view.runs_until is not None
    assert view.next_notice_deadline >= as_of
    assert view.next_notice_deadline == notice_deadline(view.runs_until, term.notice_months)
    assert view.runs_until >= as_of
    assert view.current.start <= max(as_of, term.start) <= view.current.end


@given(fixed_terms(), st.data())
def test_a_notice_ends_a_partys_participation_at_a_period_end_no_earlier_than_its_notice_period(term, data):
    given_on = data.draw(st.dates(term.start, date(2095, 12, 31)))

    end = term_as_of(term, [Notice("0120", given_on)], given_on).party_end_dates["0120"]

    assert end in {period.end for period in periods(term, end)}
    assert add_months(given_on, term.notice_months) <= end
