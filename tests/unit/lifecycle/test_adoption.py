"""A party's standing derived from its decisions (DOMAIN rule 1), and the overview helpers."""

from datetime import date

import pytest

from lifecycle.rules.appeal import Appeal
from lifecycle.rules.decisions import Decision, adoption_counts, next_planned_meeting, party_adoption
from lifecycle.rules.model import AdoptionStatus, AppealState, Outcome, PartyAdoption

TODAY = date(2023, 3, 1)


def decision(
    outcome: Outcome,
    meeting_date: date,
    *,
    party: str = "1401",
    anslag: date | None = None,
    appeal: Appeal | None = None,
    sequence: int = 0,
) -> Decision:
    return Decision(
        party_code=party,
        body="Kommunfullmäktige",
        meeting_date=meeting_date,
        outcome=outcome,
        justering_date=anslag,
        anslag_date=anslag,
        appeal=appeal or Appeal(),
        sequence=sequence,
    )


def test_a_party_without_decisions_is_pending():
    assert party_adoption("1401", [], TODAY) == PartyAdoption("1401", AdoptionStatus.PENDING)


def test_a_planned_meeting_does_not_change_the_status():
    planned = decision(Outcome.PLANNED, date(2023, 4, 20))
    assert party_adoption("1401", [planned], TODAY) == PartyAdoption("1401", AdoptionStatus.PENDING)


def test_referred_back_then_adopted_counts_the_adoption():
    # the usual story: återremiss, then adoption at a later meeting (anslag 2022-06-16 -> final 2022-07-08)
    decisions = [
        decision(Outcome.REFERRED_BACK, date(2022, 5, 12)),
        decision(Outcome.ADOPTED, date(2022, 6, 9), anslag=date(2022, 6, 16)),
    ]
    assert party_adoption("1401", decisions, TODAY) == PartyAdoption(
        "1401", AdoptionStatus.ADOPTED, date(2022, 6, 9), date(2022, 7, 8)
    )


def test_an_adoption_not_yet_announced_has_no_final_date():
    decisions = [decision(Outcome.ADOPTED, date(2023, 2, 23))]
    assert party_adoption("1401", decisions, TODAY) == PartyAdoption(
        "1401", AdoptionStatus.ADOPTED, date(2023, 2, 23), None
    )


def test_an_adoption_within_its_appeal_period_carries_the_presumed_final_date():
    decisions = [decision(Outcome.ADOPTED_WITH_RESERVATION, date(2023, 2, 16), anslag=date(2023, 2, 20))]
    assert party_adoption("1401", decisions, TODAY) == PartyAdoption(
        "1401", AdoptionStatus.ADOPTED_WITH_RESERVATION, date(2023, 2, 16), date(2023, 3, 14)
    )


@pytest.mark.parametrize(
    ("outcomes", "status"),
    [
        ([Outcome.REJECTED, Outcome.ADOPTED], AdoptionStatus.ADOPTED),
        ([Outcome.ADOPTED, Outcome.REJECTED], AdoptionStatus.REJECTED),
        # a later referral back does not undo a final decision: the latest final one counts
        ([Outcome.ADOPTED, Outcome.REFERRED_BACK], AdoptionStatus.ADOPTED),
        ([Outcome.REFERRED_BACK, Outcome.POSTPONED], AdoptionStatus.POSTPONED),
        ([Outcome.POSTPONED, Outcome.REFERRED_BACK], AdoptionStatus.REFERRED_BACK),
    ],
)
def test_the_latest_final_decision_counts_else_the_latest_other(outcomes, status):
    meetings = [date(2022, 5, 12), date(2022, 9, 15)]
    decisions = [decision(o, d) for o, d in zip(outcomes, meetings, strict=True)]
    assert party_adoption("1401", decisions, TODAY).status is status


def test_a_referral_back_or_postponement_has_its_meeting_but_no_final_date():
    decisions = [decision(Outcome.POSTPONED, date(2022, 9, 15), anslag=date(2022, 9, 20))]
    assert party_adoption("1401", decisions, TODAY) == PartyAdoption(
        "1401", AdoptionStatus.POSTPONED, date(2022, 9, 15), None
    )


def test_decisions_at_the_same_meeting_are_ordered_by_sequence():
    same_day = date(2022, 9, 15)
    decisions = [
        decision(Outcome.ADOPTED, same_day, sequence=2),
        decision(Outcome.REJECTED, same_day, sequence=1),
    ]
    assert party_adoption("1401", decisions, TODAY).status is AdoptionStatus.ADOPTED
    assert party_adoption("1401", list(reversed(decisions)), TODAY).status is AdoptionStatus.ADOPTED


UPHELD = Appeal(AppealState.UPHELD, date(2022, 6, 20), date(2022, 11, 30))


def test_an_adoption_annulled_on_appeal_no_longer_counts():
    decisions = [decision(Outcome.ADOPTED, date(2022, 6, 9), anslag=date(2022, 6, 16), appeal=UPHELD)]
    assert party_adoption("1401", decisions, TODAY) == PartyAdoption("1401", AdoptionStatus.PENDING)


def test_after_an_annulment_the_earlier_decisions_give_the_status():
    decisions = [
        decision(Outcome.REFERRED_BACK, date(2022, 5, 12)),
        decision(Outcome.ADOPTED, date(2022, 6, 9), anslag=date(2022, 6, 16), appeal=UPHELD),
    ]
    assert party_adoption("1401", decisions, TODAY) == PartyAdoption(
        "1401", AdoptionStatus.REFERRED_BACK, date(2022, 5, 12), None
    )


def test_an_earlier_final_decision_counts_when_a_later_one_is_annulled():
    decisions = [
        decision(Outcome.REJECTED, date(2022, 3, 10), anslag=date(2022, 3, 15)),
        decision(Outcome.ADOPTED, date(2022, 6, 9), anslag=date(2022, 6, 16), appeal=UPHELD),
    ]
    assert party_adoption("1401", decisions, TODAY) == PartyAdoption(
        "1401", AdoptionStatus.REJECTED, date(2022, 3, 10), date(2022, 4, 6)
    )


def test_an_adoption_under_appeal_still_counts_but_has_no_final_date():
    lodged = Appeal(AppealState.LODGED, date(2022, 6, 20))
    decisions = [decision(Outcome.ADOPTED, date(2022, 6, 9), anslag=date(2022, 6, 16), appeal=lodged)]
    assert party_adoption("1401", decisions, TODAY) == PartyAdoption(
        "1401", AdoptionStatus.ADOPTED, date(2022, 6, 9), None
    )


def test_an_adoption_whose_appeal_was_dismissed_is_final_from_the_ruling():
    dismissed = Appeal(AppealState.DISMISSED, date(2022, 6, 20), date(2022, 10, 3))
    decisions = [decision(Outcome.ADOPTED, date(2022, 6, 9), anslag=date(2022, 6, 16), appeal=dismissed)]
    assert party_adoption("1401", decisions, TODAY).final_on == date(2022, 10, 3)


def test_the_standing_is_as_of_today():
    decisions = [
        decision(Outcome.REFERRED_BACK, date(2022, 5, 12)),
        decision(Outcome.ADOPTED, date(2022, 6, 9), anslag=date(2022, 6, 16), appeal=UPHELD),
    ]
    assert party_adoption("1401", decisions, date(2022, 5, 11)).status is AdoptionStatus.PENDING
    assert party_adoption("1401", decisions, date(2022, 5, 12)).status is AdoptionStatus.REFERRED_BACK
    assert party_adoption("1401", decisions, date(2022, 11, 29)).status is AdoptionStatus.ADOPTED
    assert party_adoption("1401", decisions, date(2022, 11, 30)).status is AdoptionStatus.REFERRED_BACK


def test_other_parties_decisions_are_ignored():
    decisions = [
        decision(Outcome.ADOPTED, date(2022, 6, 9), party="1480"),
        decision(Outcome.REFERRED_BACK, date(2022, 5, 12), party="1401"),
    ]
    assert party_adoption("1401", decisions, TODAY).status is AdoptionStatus.REFERRED_BACK
    assert party_adoption("1480", decisions, TODAY).status is AdoptionStatus.ADOPTED


def test_next_planned_meeting_is_the_earliest_upcoming_one():
    decisions = [
        decision(Outcome.PLANNED, date(2023, 4, 20)),
        decision(Outcome.PLANNED, date(2023, 3, 16), party="1480"),
        decision(Outcome.PLANNED, date(2023, 2, 16), party="1402"),  # passed without a decision
    ]
    assert next_planned_meeting(decisions, TODAY) == date(2023, 3, 16)
    assert next_planned_meeting(decisions[:1], TODAY) == date(2023, 4, 20)


def test_a_meeting_planned_for_today_is_still_upcoming():
    assert next_planned_meeting([decision(Outcome.PLANNED, TODAY)], TODAY) == TODAY


def test_a_plan_is_spent_once_its_party_has_decided_at_or_after_it():
    decisions = [
        decision(Outcome.PLANNED, date(2023, 3, 16)),
        decision(Outcome.ADOPTED, date(2023, 3, 16)),
        decision(Outcome.PLANNED, date(2023, 3, 23), party="1480"),
        decision(Outcome.REFERRED_BACK, date(2023, 3, 2), party="1480"),  # before its plan: still open
    ]
    assert next_planned_meeting(decisions, TODAY) == date(2023, 3, 23)
    assert next_planned_meeting(decisions[:2], TODAY) is None


def test_no_planned_meeting_gives_none():
    assert next_planned_meeting([], TODAY) is None
    assert next_planned_meeting([decision(Outcome.ADOPTED, date(2022, 6, 9))], TODAY) is None


def test_adoption_counts_lists_every_status():
    adoptions = [
        PartyAdoption("1401", AdoptionStatus.ADOPTED),
        PartyAdoption("1480", AdoptionStatus.ADOPTED),
        PartyAdoption("1402", AdoptionStatus.REFERRED_BACK),
    ]
    assert adoption_counts(adoptions) == {
        AdoptionStatus.PENDING: 0,
        AdoptionStatus.ADOPTED: 2,
        AdoptionStatus.ADOPTED_WITH_RESERVATION: 0,
        AdoptionStatus.REJECTED: 0,
        AdoptionStatus.REFERRED_BACK: 1,
        AdoptionStatus.POSTPONED: 0,
    }


def test_adoption_counts_of_nothing_is_all_zero():
    assert set(adoption_counts([]).values()) == {0}
    assert len(adoption_counts([])) == len(AdoptionStatus)
