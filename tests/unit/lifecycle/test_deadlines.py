"""Deadlines of an agreement (DOMAIN.md rules 5-6) and the reminders ahead of them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import Conflict, InvalidInput
from lifecycle.rules.deadlines import (
    Deadline,
    DeadlineInputs,
    DeadlineKind,
    DecisionDates,
    MonthDay,
    derive_deadlines,
)
from lifecycle.rules.reminders import DEFAULT_POLICY, Lead, merge_policies, reminder_dates
from lifecycle.rules.term import FixedTerm, Notice, UntilFurtherNotice
from tests.unit.lifecycle.refusals import refused

VGR = FixedTerm(date(2023, 1, 1), date(2026, 12, 31), notice_months=18, renewal_years=3)
VASTMANLAND = UntilFurtherNotice(date(2018, 4, 1), notice_months=6, law_change_notice_months=3)
OREBRO = UntilFurtherNotice(date(2025, 1, 1))
NOVEMBER_15 = MonthDay(11, 15)  # seed 002: the survey dialogue "senast den 15 november"


def keyed(deadlines: list[Deadline]) -> list[tuple[str, date]]:
    return [(d.key, d.due) for d in deadlines]


def test_seed_003_agreement_has_its_notice_deadlines_and_period_ends_up_to_the_horizon():
    inputs = DeadlineInputs(term=VGR, entered_into_force_on=date(2023, 1, 1))

    deadlines = derive_deadlines(inputs, date(2026, 11, 23))

    assert keyed(deadlines) == [
        ("follow_up_implementation", date(2024, 1, 1)),
        ("notice:2026-12-31", date(2025, 6, 30)),  # keyed by the end of the period it is notice for
        ("term_end:2026-12-31", date(2026, 12, 31)),
        ("notice:2029-12-31", date(2028, 6, 30)),
        ("term_end:2029-12-31", date(2029, 12, 31)),
        ("notice:2032-12-31", date(2031, 6, 30)),
    ]
    notice = deadlines[1]
    assert notice == Deadline(
        "notice:2026-12-31",
        DeadlineKind.NOTICE,
        date(2025, 6, 30),
        None,
        "Sista dag att skriftligen säga upp överenskommelsen till 31 december 2026 (18 månaders "
        "uppsägningstid)",
        notice_months=18,
    )
    assert deadlines[2].title_sv == (
        "Avtalsperioden 1 januari 2023–31 december 2026 löper ut: överenskommelsen förlängs med 3 år "
        "om ingen part "
        "har sagt upp den"
    )
    assert deadlines[0].title_sv == (
        "Uppföljning av överenskommelsens genomslag i beslut och styrning (ett år i kraft)"
    )


def test_a_term_without_renewal_ends_once_and_has_no_notice_deadline():
    term = FixedTerm(date(2023, 1, 1), date(2026, 12, 31), notice_months=18)

    (deadline,) = derive_deadlines(DeadlineInputs(term=term), date(2025, 1, 1))

    assert deadline == Deadline(
        "term_end:2026-12-31",
        DeadlineKind.TERM_END,
        date(2026, 12, 31),
        None,
        "Avtalstiden löper ut 31 december 2026: överenskommelsen upphör",
    )


def test_a_notice_deadline_before_the_term_starts_is_left_out():
    # a one-year term with 18 months' notice: the first deadline would fall before the start
    term = FixedTerm(date(2025, 1, 1), date(2025, 12, 31), notice_months=18, renewal_years=1)

    deadlines = derive_deadlines(DeadlineInputs(term=term), date(2025, 1, 1), horizon_years=2)

    assert keyed(deadlines) == [
        ("notice:2026-12-31", date(2025, 6, 30)),
        ("term_end:2025-12-31", date(2025, 12, 31)),
        ("notice:2027-12-31", date(2026, 6, 30)),
        ("term_end:2026-12-31", date(2026, 12, 31)),
    ]


def test_seed_002_agreement_has_its_survey_dialogue_by_15_november_each_year():
    inputs = DeadlineInputs(term=OREBRO, annual_follow_up=NOVEMBER_15)

    deadlines = derive_deadlines(inputs, date(2026, 11, 23), horizon_years=2)

    assert keyed(deadlines) == [
        ("follow_up_annual:2025", date(2025, 11, 15)),
        ("follow_up_annual:2026", date(2026, 11, 15)),
        ("follow_up_annual:2027", date(2027, 11, 15)),
        ("follow_up_annual:2028", date(2028, 11, 15)),
    ]
    assert deadlines[0].title_sv == "Årlig uppföljning av överenskommelsen ska vara genomförd"


def test_annual_follow_ups_count_from_the_entry_into_force_when_known():
    inputs = DeadlineInputs(
        term=OREBRO, entered_into_force_on=date(2025, 11, 16), annual_follow_up=NOVEMBER_15
    )

    deadlines = derive_deadlines(inputs, date(2025, 12, 1), horizon_years=1)

    assert [d.key for d in deadlines if d.kind is DeadlineKind.FOLLOW_UP_ANNUAL] == ["follow_up_annual:2026"]


def test_an_annual_follow_up_on_29_february_falls_on_the_28th_in_common_years():
    inputs = DeadlineInputs(entered_into_force_on=date(2024, 1, 1), annual_follow_up=MonthDay(2, 29))

    deadlines = derive_deadlines(inputs, date(2024, 1, 1), horizon_years=2)

    assert [d.due for d in deadlines if d.kind is DeadlineKind.FOLLOW_UP_ANNUAL] == [
        date(2024, 2, 29),
        date(2025, 2, 28),
    ]


def test_an_annual_follow_up_without_a_start_has_no_dates():
    assert derive_deadlines(DeadlineInputs(annual_follow_up=NOVEMBER_15), date(2025, 1, 1)) == []


def test_a_partys_notice_gives_it_its_own_end_of_participation():
    inputs = DeadlineInputs(
        term=VASTMANLAND, notices=(Notice("1980", date(2024, 8, 31)),), party_names={"1980": "Västerås"}
    )

    deadlines = derive_deadlines(inputs, date(2024, 9, 1))

    assert deadlines == [
        Deadline(
            "term_end:1980",
            DeadlineKind.TERM_END,
            date(2025, 2, 28),
            "1980",
            "Överenskommelsen upphör att gälla för Västerås (1980) efter uppsägning",
        )
    ]


def test_deadlines_stop_when_too_few_parties_remain():
    inputs = DeadlineInputs(
        term=VGR,
        notices=(Notice("1401", date(2025, 1, 10)),),
        parties=("14", "1401"),
        entered_into_force_on=date(2023, 1, 1),
        annual_follow_up=NOVEMBER_15,
    )

    deadlines = derive_deadlines(inputs, date(2025, 2, 1))

    assert keyed(deadlines) == [
        ("follow_up_annual:2023", date(2023, 11, 15)),
        ("follow_up_implementation", date(2024, 1, 1)),
        ("follow_up_annual:2024", date(2024, 11, 15)),
        ("follow_up_annual:2025", date(2025, 11, 15)),
        ("follow_up_annual:2026", date(2026, 11, 15)),
        ("term_end:2026-12-31", date(2026, 12, 31)),
        ("term_end:1401", date(2026, 12, 31)),
    ]
    assert deadlines[-2].title_sv == "Avtalstiden löper ut 31 december 2026: överenskommelsen upphör"


def test_each_pending_party_has_a_decision_deadline_nine_months_after_the_recommendation():
    inputs = DeadlineInputs(recommended_on=date(2022, 3, 18), pending_party_codes=("1480", "1401", "1480"))

    deadlines = derive_deadlines(inputs, date(2022, 4, 1))

    assert deadlines == [
        Deadline(
            f"decision_due:{code}",
            DeadlineKind.DECISION_DUE,
            date(2022, 12, 18),
            code,
            "Beslut om överenskommelsen väntas, 9 månader efter rekommendationen",
        )
        for code in ("1401", "1480")
    ]


def test_a_decision_deadline_set_by_the_secretariat_wins():
    inputs = DeadlineInputs(
        recommended_on=date(2022, 3, 18), decision_due_on=date(2022, 10, 31), pending_party_codes=("1401",)
    )

    (deadline,) = derive_deadlines(inputs, date(2022, 4, 1))

    assert (deadline.due, deadline.title_sv) == (
        date(2022, 10, 31),
        "Sista dag för beslut om överenskommelsen",
    )


def test_without_a_recommendation_or_a_set_date_there_is_no_decision_deadline():
    assert derive_deadlines(DeadlineInputs(pending_party_codes=("1401",)), date(2022, 4, 1)) == []


def test_each_decision_has_its_presumed_final_date_and_planned_meeting():
    inputs = DeadlineInputs(
        consultation_reply_by=date(2021, 12, 31),  # seed 003: Härryda's reply "senast 2021-12-31"
        decisions=(
            DecisionDates(356, "1480", presumed_final_on=date(2022, 4, 12)),
            DecisionDates(57, "1401", planned_meeting_on=date(2022, 6, 16)),
        ),
    )

    deadlines = derive_deadlines(inputs, date(2022, 1, 1))

    assert deadlines == [
        Deadline(
            "consultation_reply",
            DeadlineKind.CONSULTATION_REPLY,
            date(2021, 12, 31),
            None,
            "Sista dag att svara på remissen",
        ),
        Deadline(
            "final:1480:356",
            DeadlineKind.LEGALLY_FINAL,
            date(2022, 4, 12),
            "1480",
            "Beslutet vinner laga kraft om det inte har överklagats",
        ),
        Deadline(
            "meeting:1401:57",
            DeadlineKind.PLANNED_MEETING,
            date(2022, 6, 16),
            "1401",
            "Planerat sammanträde med beslut om överenskommelsen",
        ),
    ]


def test_deadlines_of_the_same_day_come_by_kind_then_party():
    day = date(2026, 12, 31)
    inputs = DeadlineInputs(
        term=FixedTerm(date(2023, 1, 1), day, notice_months=18),
        consultation_reply_by=day,
        decision_due_on=day,
        pending_party_codes=("1480", "1401"),
        decisions=(DecisionDates("x", "1401", presumed_final_on=day, planned_meeting_on=day),),
    )

    assert [d.key for d in derive_deadlines(inputs, date(2026, 1, 1))] == [
        "term_end:2026-12-31",
        "consultation_reply",
        "decision_due:1401",
        "decision_due:1480",
        "final:1401:x",
        "meeting:1401:x",
    ]


def test_deadlines_beyond_the_horizon_are_left_out():
    inputs = DeadlineInputs(
        term=VGR, decisions=(DecisionDates(1, "1401", planned_meeting_on=date(2026, 1, 1)),)
    )

    assert derive_deadlines(inputs, date(2025, 1, 1), horizon_years=0) == []
    assert keyed(derive_deadlines(inputs, date(2025, 6, 30), horizon_years=0)) == [
        ("notice:2026-12-31", date(2025, 6, 30))
    ]
    assert keyed(derive_deadlines(inputs, date(2025, 6, 30), horizon_years=1)) == [
        ("notice:2026-12-31", date(2025, 6, 30)),
        ("meeting:1401:1", date(2026, 1, 1)),
    ]


@pytest.mark.parametrize(
    ("inputs", "horizon", "field", "message"),
    [
        (DeadlineInputs(), -1, "horizon_years", "Horisonten kan inte vara negativ."),
        (
            DeadlineInputs(annual_follow_up=MonthDay(2, 30)),
            5,
            "annual_follow_up",
            "Ogiltig dag för årlig uppföljning: 2-30.",
        ),
        (
            DeadlineInputs(annual_follow_up=MonthDay(13, 1)),
            5,
            "annual_follow_up",
            "Ogiltig dag för årlig uppföljning: 13-1.",
        ),
        (
            DeadlineInputs(decision_due_months=0),
            5,
            "decision_due_months",
            "Antalet månader måste vara minst 1.",
        ),
    ],
)
def test_deadline_inputs_that_cannot_be_true_are_refused(inputs, horizon, field, message):
    with refused(InvalidInput, field=field, message=message):
        derive_deadlines(inputs, date(2025, 1, 1), horizon)


def test_the_same_decision_twice_is_a_conflict():
    inputs = DeadlineInputs(decisions=(DecisionDates(7, "1401"), DecisionDates(7, "1401")))

    with refused(Conflict, field="decisions", message="Beslutet 7 förekommer mer än en gång."):
        derive_deadlines(inputs, date(2025, 1, 1))


def test_a_changed_notice_period_moves_the_notice_deadline_of_the_same_period_under_the_same_key():
    six_months = FixedTerm(date(2023, 1, 1), date(2026, 12, 31), notice_months=6, renewal_years=3)

    before = keyed(derive_deadlines(DeadlineInputs(term=VGR), date(2025, 1, 1), horizon_years=2))
    after = keyed(derive_deadlines(DeadlineInputs(term=six_months), date(2025, 1, 1), horizon_years=2))

    assert ("notice:2026-12-31", date(2025, 6, 30)) in before
    assert ("notice:2026-12-31", date(2026, 6, 30)) in after


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        # a later entry into force moves the one implementation follow-up
        (
            DeadlineInputs(entered_into_force_on=date(2023, 1, 1)),
            DeadlineInputs(entered_into_force_on=date(2023, 4, 1)),
            DeadlineKind.FOLLOW_UP_IMPLEMENTATION,
        ),
        # an annual follow-up moved from 15 to 30 November is still that year's
        (
            DeadlineInputs(entered_into_force_on=date(2023, 1, 1), annual_follow_up=NOVEMBER_15),
            DeadlineInputs(entered_into_force_on=date(2023, 1, 1), annual_follow_up=MonthDay(11, 30)),
            DeadlineKind.FOLLOW_UP_ANNUAL,
        ),
        # a consultation reply date put off
        (
            DeadlineInputs(consultation_reply_by=date(2021, 12, 31)),
            DeadlineInputs(consultation_reply_by=date(2022, 1, 31)),
            DeadlineKind.CONSULTATION_REPLY,
        ),
        # a party's notice given on another day: it still leaves, on another day
        (
            DeadlineInputs(term=VASTMANLAND, notices=(Notice("1980", date(2024, 8, 31)),)),
            DeadlineInputs(term=VASTMANLAND, notices=(Notice("1980", date(2024, 9, 30)),)),
            DeadlineKind.TERM_END,
        ),
    ],
)
def test_a_deadline_whose_date_moves_for_the_same_cause_keeps_its_key(before, after, kind):
    def of_kind(inputs: DeadlineInputs) -> list[tuple[str, date]]:
        return [(d.key, d.due) for d in derive_deadlines(inputs, date(2024, 10, 1)) if d.kind is kind]

    old, new = of_kind(before), of_kind(after)

    assert [key for key, _ in old] == [key for key, _ in new] != []
    assert all(a != b for (_, a), (_, b) in zip(old, new, strict=True))


@st.composite
def deadline_inputs(draw):
    start = draw(st.dates(date(2000, 1, 1), date(2090, 1, 1)))
    term = draw(
        st.one_of(
            st.none(),
            st.builds(
                FixedTerm,
                st.just(start),
                st.dates(start, date(2095, 12, 31)),
                st.integers(0, 36),
                st.one_of(st.none(), st.integers(1, 5)),
            ),
            st.builds(UntilFurtherNotice, st.just(start), st.integers(1, 12)),
        )
    )
    codes = st.sampled_from(["01", "0114", "0120", "1401", "1480"])
    days = st.dates(date(2000, 1, 1), date(2100, 12, 31))
    maybe_days = st.one_of(st.none(), days)
    decisions = st.lists(
        st.builds(DecisionDates, st.integers(1, 10_000), codes, maybe_days, maybe_days),
        unique_by=lambda d: d.id,
        max_size=6,
    )
    return DeadlineInputs(
        term=term,
        entered_into_force_on=draw(st.one_of(st.none(), st.just(start))),
        annual_follow_up=draw(
            st.one_of(st.none(), st.builds(MonthDay, st.integers(1, 12), st.integers(1, 28)))
        ),
        consultation_reply_by=draw(maybe_days),
        recommended_on=draw(maybe_days),
        decision_due_on=draw(maybe_days),
        pending_party_codes=tuple(draw(st.lists(codes, max_size=5))),
        decisions=tuple(draw(decisions)),
    )


@given(deadline_inputs(), st.dates(date(2000, 1, 1), date(2095, 12, 31)), st.integers(0, 5))
def test_deadline_keys_are_unique_and_the_list_is_sorted_and_bounded(inputs, as_of, horizon):
    deadlines = derive_deadlines(inputs, as_of, horizon)

    assert len({d.key for d in deadlines}) == len(deadlines)
    assert [d.due for d in deadlines] == sorted(d.due for d in deadlines)
    assert all(d.due.year <= as_of.year + horizon for d in deadlines)
    assert derive_deadlines(inputs, as_of, horizon) == deadlines


# --- reminders -------------------------------------------------------------------------------


def test_an_18_month_notice_deadline_is_reminded_of_24_19_and_18_months_before_the_end_and_a_week_ahead():
    notice = derive_deadlines(DeadlineInputs(term=VGR), date(2025, 1, 1))[0]

    assert notice.key == "notice:2026-12-31"

    assert reminder_dates(notice) == [
        ("6m", date(2024, 12, 31)),  # 24 months before 2026-12-31
        ("1m", date(2025, 5, 31)),  # 19 months before
        ("7d", date(2025, 6, 23)),
        ("0d", date(2025, 6, 30)),  # 18 months before: the last day
    ]


def test_a_6_month_notice_deadline_is_reminded_of_9_7_and_6_months_before_the_end_and_a_week_ahead():
    term = FixedTerm(date(2023, 1, 1), date(2026, 12, 31), notice_months=6, renewal_years=1)
    notice = next(
        d for d in derive_deadlines(DeadlineInputs(term=term), date(2025, 1, 1)) if d.kind == "notice"
    )

    assert notice.key == "notice:2026-12-31"
    assert reminder_dates(notice) == [
        ("3m", date(2026, 3, 31)),  # 9 months before 2026-12-31
        ("1m", date(2026, 5, 31)),  # 7 months before
        ("7d", date(2026, 6, 23)),
        ("0d", date(2026, 6, 30)),  # 6 months before
    ]


@pytest.mark.parametrize(
    ("kind", "due", "reminders"),
    [
        (DeadlineKind.FOLLOW_UP_IMPLEMENTATION, date(2024, 1, 1), [("1m", date(2023, 12, 1))]),
        (DeadlineKind.FOLLOW_UP_ANNUAL, date(2025, 11, 15), [("1m", date(2025, 10, 15))]),
        (
            DeadlineKind.DECISION_DUE,
            date(2022, 12, 18),
            [("1m", date(2022, 11, 18)), ("7d", date(2022, 12, 11))],
        ),
        (
            DeadlineKind.CONSULTATION_REPLY,
            date(2021, 12, 31),
            [("1m", date(2021, 11, 30)), ("7d", date(2021, 12, 24))],
        ),
        (DeadlineKind.TERM_END, date(2026, 12, 31), [("1m", date(2026, 11, 30))]),
        (DeadlineKind.LEGALLY_FINAL, date(2022, 4, 12), [("0d", date(2022, 4, 12))]),
        (DeadlineKind.PLANNED_MEETING, date(2022, 6, 16), [("7d", date(2022, 6, 9))]),
        (
            DeadlineKind.NOTICE,
            date(2025, 6, 30),
            [
                ("6m", date(2024, 12, 31)),
                ("1m", date(2025, 5, 31)),
                ("7d", date(2025, 6, 23)),
                ("0d", date(2025, 6, 30)),
            ],
        ),
    ],
)
def test_the_default_policy_reminds_of_each_kind_ahead_of_its_due_date(kind, due, reminders):
    assert reminder_dates(Deadline("k", kind, due, None, "t")) == reminders


def test_a_notice_length_without_its_own_entry_falls_back_to_the_notice_entry():
    deadline = Deadline("k", DeadlineKind.NOTICE, date(2025, 6, 30), None, "t", notice_months=12)

    assert [label for label, _ in reminder_dates(deadline)] == ["6m", "1m", "7d", "0d"]


def test_a_structure_overrides_whole_entries_of_the_default_policy():
    policy = merge_policies(
        DEFAULT_POLICY,
        {"decision_due": (Lead(days=14), Lead(days=14), Lead(months=2))},
        {"planned_meeting": ()},
    )
    due = date(2022, 12, 18)

    assert reminder_dates(Deadline("k", DeadlineKind.DECISION_DUE, due, "1401", "t"), policy) == [
        ("2m", date(2022, 10, 18)),
        ("14d", date(2022, 12, 4)),
    ]
    assert reminder_dates(Deadline("k", DeadlineKind.PLANNED_MEETING, due, "1401", "t"), policy) == []
    assert policy["follow_up_annual"] == DEFAULT_POLICY[DeadlineKind.FOLLOW_UP_ANNUAL]


@pytest.mark.parametrize(
    ("lead", "label", "send_on"),
    [
        (Lead(), "0d", date(2025, 6, 30)),
        (Lead(days=7), "7d", date(2025, 6, 23)),
        (Lead(months=6), "6m", date(2024, 12, 31)),
        (Lead(months=1, days=7), "1m7d", date(2025, 5, 24)),
    ],
)
def test_a_lead_has_a_stable_label_and_counts_back_from_the_due_date(lead, label, send_on):
    assert (lead.label, lead.send_on(date(2025, 6, 30))) == (label, send_on)


@pytest.mark.parametrize("key", ["reminder", "notice:six", "decision_due:6", "notice:"])
def test_a_policy_entry_for_an_unknown_kind_is_refused(key):
    with refused(InvalidInput, field="policy", message=f"Okänd sorts påminnelse: {key}."):
        merge_policies({key: (Lead(),)})


def test_a_reminder_after_the_deadline_is_refused():
    with refused(InvalidInput, field="policy", message="En påminnelse kan inte skickas efter tidsfristen."):
        Lead(days=-1)


def test_the_decision_due_date_is_the_secretariats_else_nine_months_after_the_recommendation():
    from lifecycle.rules.deadlines import decision_due_on

    assert decision_due_on(date(2022, 9, 30), date(2022, 2, 24)) == date(2022, 9, 30)
    assert decision_due_on(None, date(2022, 2, 24)) == date(2022, 11, 24)
    assert decision_due_on(None, date(2022, 5, 31)) == date(2023, 2, 28)  # the month's last day
    assert decision_due_on(None, date(2023, 5, 31)) == date(2024, 2, 29)  # a leap year
    assert decision_due_on(None, None) is None
