"""Disputes: the ladder's reply deadlines (month ends, weekends, holidays), what a dispute report
must hold, escalating and settling, the deadline rows, and the yearly compilation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.rules.compilation import CompiledDispute, compile_year
from cases.rules.disputes import (
    DisputeIn,
    DisputeState,
    LevelResult,
    check_raise,
    deadlines,
    escalate,
    first_level,
    settle,
)
from cases.rules.ladder import Level, check_ladder, reply_by
from core.errors import InvalidInput, NotAllowed
from lifecycle.rules.days import is_day_off

LADDER = (
    Level("Ansvariga chefer lokalt", reply_days=14),
    Level("Chefsforum", reply_months=1),
    Level("Tjänstemannagruppen, Strategisk regional beredning", reply_months=2),
)


def test_a_month_from_the_31st_of_january_ends_on_the_last_of_february():
    # 2027-02-28 is a Sunday: the next working day is Monday 1 March
    assert reply_by(date(2027, 1, 31), Level("Chefsforum", reply_months=1)) == date(2027, 3, 1)
    # 2028 is a leap year: 29 February is a Tuesday
    assert reply_by(date(2028, 1, 31), Level("Chefsforum", reply_months=1)) == date(2028, 2, 29)


def test_a_deadline_on_midsummer_eve_moves_past_the_weekend():
    # 2027-06-25 is midsommarafton (a Friday): next working day Monday 28 June
    assert reply_by(date(2027, 6, 11), Level("Lokalt", reply_days=14)) == date(2027, 6, 28)


def test_a_deadline_over_christmas_moves_past_the_holidays():
    # 24 December 2026 is julafton (Thursday), 25 and 26 are holidays, 27 a Sunday
    assert reply_by(date(2026, 12, 10), Level("Lokalt", reply_days=14)) == date(2026, 12, 28)


def test_a_deadline_on_a_working_day_stays():
    assert reply_by(date(2026, 11, 2), Level("Lokalt", reply_days=14)) == date(2026, 11, 16)


@given(st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.integers(0, 12), st.integers(0, 60))
def test_a_reply_deadline_is_a_working_day_within_a_week_after_the_period(start, months, days):
    if months == days == 0:
        days = 1
    due = reply_by(start, Level("Nivå", months, days))
    assert not is_day_off(due) and due > start
    from lifecycle.rules.months import add_months

    plain = add_months(start, months) + timedelta(days=days)
    assert plain <= due <= plain + timedelta(days=6)


def test_a_ladder_has_two_to_five_named_levels_each_with_a_reply_period():
    assert check_ladder(LADDER) == LADDER
    with pytest.raises(InvalidInput, match="2–5 nivåer"):
        check_ladder(LADDER[:1])
    with pytest.raises(InvalidInput, match="2–5 nivåer"):
        check_ladder(LADDER * 2)
    with pytest.raises(InvalidInput, match="Nivå 2 saknar namn"):
        check_ladder((LADDER[0], Level(" ", reply_days=3)))
    with pytest.raises(InvalidInput, match="Nivå 2 \\(Chefsforum\\) behöver en svarstid"):
        check_ladder((LADDER[0], Level("Chefsforum")))
    with pytest.raises(InvalidInput, match="”chefsforum” finns redan"):
        check_ladder((LADDER[1], Level("chefsforum", reply_days=3)))
    with pytest.raises(InvalidInput, match="högst 12 månader"):
        check_ladder((LADDER[0], Level("Chefsforum", reply_months=13)))


DISPUTE = DisputeIn(
    agreement_id=1,
    raised_by_party="1401",
    description="Vem ansvarar för hemsjukvård efter utskrivning en fredag?",
    interpretations=(("1401", "Regionen ansvarar till måndagen."), ("14", "Kommunen ansvarar från hemgång.")),
    reason="Avtalet säger inte vad som gäller under helgen.",
)
PARTIES = {"1401", "14", "1402"}


def test_a_dispute_report_holds_a_description_each_partys_interpretation_and_why():
    check_raise(DISPUTE, PARTIES)
    from dataclasses import replace

    with pytest.raises(InvalidInput, match="minst två parter") as one:
        check_raise(replace(DISPUTE, interpretations=DISPUTE.interpretations[:1]), PARTIES)
    assert one.value.field == "parties"
    with pytest.raises(InvalidInput, match="inte part i överenskommelsen"):
        check_raise(replace(DISPUTE, interpretations=(*DISPUTE.interpretations, ("0180", "x"))), PARTIES)
    with pytest.raises(InvalidInput, match="en av de oense parterna"):
        check_raise(replace(DISPUTE, raised_by_party="1402"), PARTIES)
    with pytest.raises(InvalidInput, match="Skriv hur part 14 tolkar") as empty:
        check_raise(replace(DISPUTE, interpretations=(DISPUTE.interpretations[0], ("14", " "))), PARTIES)
    assert empty.value.field == "interpretation_14"
    with pytest.raises(InvalidInput, match="orsaken och motivet"):
        check_raise(replace(DISPUTE, reason=""), PARTIES)
    with pytest.raises(InvalidInput, match="”19121212-1212”"):
        check_raise(replace(DISPUTE, description="Gäller 19121212-1212."), PARTIES)


def test_a_dispute_climbs_the_ladder_and_the_last_level_decides():
    first = first_level(LADDER, date(2026, 3, 2), ["1401", "14"])
    assert (first.position, first.name, first.reply_by) == (1, "Ansvariga chefer lokalt", date(2026, 3, 16))
    second = escalate(
        LADDER, first, DisputeState.OPEN, "Cheferna enades inte.", date(2026, 3, 13), date(2026, 4, 1)
    )
    assert (second.position, second.name, second.opened_on) == (2, "Chefsforum", date(2026, 3, 13))
    assert second.reply_by == date(2026, 4, 13)  # 13 April 2026 is a Monday (Easter Monday is the 6th)
    assert second.parties == ("1401", "14")
    third = escalate(
        LADDER, second, DisputeState.OPEN, "Principiell fråga.", date(2026, 4, 10), date(2026, 4, 10)
    )
    assert third.reply_by == date(2026, 6, 10)
    with pytest.raises(NotAllowed, match="sista nivå"):
        escalate(LADDER, third, DisputeState.OPEN, "Igen.", date(2026, 5, 1), date(2026, 5, 1))
    done = settle(
        LADDER,
        third,
        DisputeState.OPEN,
        "Regionen ansvarar.",
        date(2026, 5, 20),
        date(2026, 5, 20),
        "Förtydliga § 5.",
    )
    assert (done.state, done.result, done.clarification) == (
        DisputeState.DECIDED,
        LevelResult.DECIDED,
        "Förtydliga § 5.",
    )


def test_parties_agreeing_below_the_last_level_resolve_it():
    first = first_level(LADDER, date(2026, 3, 2), ["1401", "14"])
    done = settle(LADDER, first, DisputeState.OPEN, "Enades om rutinen.", date(2026, 3, 5), date(2026, 3, 5))
    assert (done.state, done.result, done.clarification) == (DisputeState.RESOLVED, LevelResult.RESOLVED, "")


def test_a_step_needs_an_outcome_and_a_date_within_the_level():
    first = first_level(LADDER, date(2026, 3, 2), ["1401", "14"])
    with pytest.raises(InvalidInput, match="framtiden"):
        settle(LADDER, first, DisputeState.OPEN, "Klart.", date(2026, 3, 9), date(2026, 3, 5))
    with pytest.raises(InvalidInput, match="före den dag tvisten nådde Ansvariga chefer lokalt") as early:
        escalate(LADDER, first, DisputeState.OPEN, "Nej.", date(2026, 3, 1), date(2026, 3, 5))
    assert early.value.field == "decided_on"
    with pytest.raises(InvalidInput, match="Skriv vad Ansvariga chefer lokalt kom fram till"):
        escalate(LADDER, first, DisputeState.OPEN, "", date(2026, 3, 3), date(2026, 3, 5))
    with pytest.raises(NotAllowed, match="redan avgjord"):
        settle(LADDER, first, DisputeState.RESOLVED, "Igen.", date(2026, 3, 3), date(2026, 3, 5))


def test_the_open_level_has_a_deadline_per_party_and_a_settled_dispute_none():
    first = first_level(LADDER, date(2026, 3, 2), ["1401", "14"])
    rows = deadlines(7, DisputeState.OPEN, first, {"1401": "Härryda", "14": "Västra Götalandsregionen"})
    assert [(r.key, r.due, r.party_code) for r in rows] == [
        ("dispute:7:1:1401", date(2026, 3, 16), "1401"),
        ("dispute:7:1:14", date(2026, 3, 16), "14"),
    ]
    assert (
        rows[0].title == "Tvist 7: besked från Ansvariga chefer lokalt senast 16 mars 2026 (Härryda (1401))"
    )
    assert deadlines(7, DisputeState.RESOLVED, first, {}) == []


def _compiled(id_, agreement, raised, closed, state, level, position, clarification=""):
    return CompiledDispute(id_, agreement, raised, closed, state, level, position, "Utfall.", clarification)


def test_the_yearly_compilation_counts_the_years_disputes_as_they_stood_at_its_end():
    disputes = [
        _compiled(1, "HoS-avtal", date(2026, 2, 1), date(2026, 3, 3), DisputeState.RESOLVED, "Lokalt", 1),
        _compiled(
            2,
            "HoS-avtal",
            date(2026, 5, 1),
            date(2026, 6, 30),
            DisputeState.DECIDED,
            "SRB",
            3,
            "Förtydliga § 5.",
        ),
        _compiled(
            3,
            "Äldreavtal",
            date(2026, 11, 1),
            date(2027, 1, 10),
            DisputeState.RESOLVED,
            "Chefsforum",
            2,
            "Ny rutin.",
        ),
        _compiled(4, "Äldreavtal", date(2025, 12, 30), None, DisputeState.OPEN, "Lokalt", 1),
    ]
    c = compile_year(disputes, 2026)
    assert (c.total, c.open, c.resolved, c.decided) == (3, 1, 1, 1)  # no. 3 was settled in 2027
    assert c.median_days_to_settle == 45.0  # 30 and 60 days
    assert [(x.label, x.count) for x in c.by_agreement] == [("HoS-avtal", 2), ("Äldreavtal", 1)]
    assert [(x.label, x.count) for x in c.by_level] == [("Lokalt", 1), ("Chefsforum", 1), ("SRB", 1)]
    assert [(a, [d.id for d in ds]) for a, ds in c.clarifications] == [("HoS-avtal", [2])]
    assert [d.id for d in c.disputes] == [1, 2, 3]
    empty = compile_year(disputes, 2024)
    assert (empty.total, empty.median_days_to_settle, empty.by_level) == (0, None, ())
