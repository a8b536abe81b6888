"""One party's term (DOMAIN.md rule 5, "Notices that come late"), and which agreement-wide
deadlines no longer concern a party that has given notice."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from lifecycle.rules.deadlines import DeadlineInputs, DeadlineKind, derive_deadlines
from lifecycle.rules.term import FixedTerm, Notice, PartyTerm, party_term, term_as_of

# Seed 003: 2023-01-01 – 2026-12-31, 18 months' notice (deadline 2025-06-30), 3-year renewals.
VGR = FixedTerm(date(2023, 1, 1), date(2026, 12, 31), notice_months=18, renewal_years=3)
PARTIES = ("1401", "1480", "1489", "1490")  # Härryda, Göteborg, Alingsås, Borås
IN_TIME = Notice("1401", date(2025, 3, 1))  # Härryda, before 2025-06-30: leaves 2026-12-31
LATE = Notice("1489", date(2025, 9, 1))  # Alingsås, after it: leaves at the next end, 2029-12-31
NOTICES = (IN_TIME, LATE)
AS_OF = date(2026, 11, 23)


def term_for(code: str, as_of: date = AS_OF) -> PartyTerm:
    return party_term(term_as_of(VGR, NOTICES, as_of, parties=PARTIES), code)


def test_a_party_that_gave_notice_in_time_leaves_at_the_period_end_and_has_no_notice_deadline():
    assert term_for("1401") == PartyTerm("1401", AS_OF, date(2026, 12, 31), date(2026, 12, 31), None, False)


def test_a_party_that_gave_notice_late_stays_one_more_period_and_has_no_notice_deadline():
    assert term_for("1489") == PartyTerm("1489", AS_OF, date(2029, 12, 31), date(2029, 12, 31), None, False)


def test_a_party_that_stays_keeps_the_agreements_term_and_its_next_notice_deadline():
    assert term_for("1480") == PartyTerm("1480", AS_OF, None, date(2029, 12, 31), date(2028, 6, 30), False)


def test_a_party_has_left_from_the_day_after_its_last_bound_day():
    assert term_for("1401", date(2026, 12, 31)).has_left is False
    assert term_for("1401", date(2027, 1, 1)).has_left is True


def test_before_its_notice_a_party_still_has_the_agreements_notice_deadline():
    assert term_for("1401", date(2025, 2, 1)).next_notice_deadline == date(2025, 6, 30)


def _not_for(as_of: date = AS_OF) -> dict[str, tuple[str, ...]]:
    inputs = DeadlineInputs(term=VGR, notices=NOTICES, parties=PARTIES)
    return {d.key: d.not_for for d in derive_deadlines(inputs, as_of) if d.party_code is None}


def test_the_later_notice_and_term_end_deadlines_no_longer_concern_the_parties_that_gave_notice():
    assert _not_for() == {
        "notice:2026-12-31": ("1401",),  # Härryda gave notice before it; Alingsås missed it (history)
        "term_end:2026-12-31": (),  # Härryda's last day: its own term_end:1401 says so too
        "notice:2029-12-31": ("1401", "1489"),
        "term_end:2029-12-31": ("1401",),
        "notice:2032-12-31": ("1401", "1489"),
    }


def test_the_partys_own_end_deadline_stays_its_own():
    inputs = DeadlineInputs(term=VGR, notices=NOTICES, parties=PARTIES)
    own = {d.key: d for d in derive_deadlines(inputs, AS_OF) if d.party_code is not None}
    assert {k: (d.kind, d.due) for k, d in own.items()} == {
        "term_end:1401": (DeadlineKind.TERM_END, date(2026, 12, 31)),
        "term_end:1489": (DeadlineKind.TERM_END, date(2029, 12, 31)),
    }


@given(st.dates(date(2023, 1, 1), date(2025, 6, 30)), st.dates(date(2025, 7, 1), date(2026, 11, 23)))
def test_no_party_that_gave_notice_is_asked_for_a_notice_after_it(in_time: date, late: date):
    notices = (Notice("1401", in_time), Notice("1489", late))
    inputs = DeadlineInputs(term=VGR, notices=notices, parties=PARTIES)
    for deadline in derive_deadlines(inputs, AS_OF):
        if deadline.kind is DeadlineKind.NOTICE:
            for notice in notices:
                assert (notice.party_code in deadline.not_for) == (deadline.due >= notice.given_on)
            assert "1480" not in deadline.not_for and "1490" not in deadline.not_for
