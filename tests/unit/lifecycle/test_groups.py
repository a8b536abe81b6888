"""Groups of parties: a member's decide-by date follows its kommunalförbund's recommendation."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import InvalidInput
from lifecycle.rules.agreement import AgreementInputs, evaluate
from lifecycle.rules.deadlines import DeadlineInputs, DeadlineKind, derive_deadlines, party_decision_due
from lifecycle.rules.groups import (
    GroupRecommendation,
    check_group_recommendation,
    parties_recommended_on,
    party_recommendation,
)
from lifecycle.rules.model import AgreementKind, AgreementStatus
from lifecycle.rules.process import TakenStep
from lifecycle.rules.swedish import genitive

SRO = date(2022, 2, 24)  # seed 003: SRO recommends
GR = GroupRecommendation("gr", "GR", date(2022, 3, 18), frozenset({"1401", "1402"}))  # § 356
FYRBODAL = GroupRecommendation("fyrbodal", "Fyrbodal", date(2022, 4, 8), frozenset({"1484"}))


def test_a_member_is_due_nine_months_after_its_groups_recommendation():
    assert party_decision_due(None, SRO, GR) == date(2022, 12, 18)


def test_a_party_without_a_group_recommendation_is_due_nine_months_after_the_structures():
    assert party_decision_due(None, SRO, None) == date(2022, 11, 24)


def test_a_date_set_by_the_secretariat_binds_members_of_a_group_too():
    assert party_decision_due(date(2022, 10, 31), SRO, GR) == date(2022, 10, 31)


def test_a_group_recommendation_dated_before_the_structures_counts_from_the_structures():
    early = GroupRecommendation("gr", "GR", date(2022, 2, 1), frozenset({"1401"}))
    assert party_decision_due(None, SRO, early) == date(2022, 11, 24)


def test_month_arithmetic_clamps_a_group_recommendation_on_the_31st():
    late = GroupRecommendation("gr", "GR", date(2022, 5, 31), frozenset({"1401"}))
    assert party_decision_due(None, SRO, late) == date(2023, 2, 28)


def test_a_party_follows_the_latest_recommendation_of_its_groups():
    also_gr = GroupRecommendation("delregion", "Delregion", date(2022, 5, 2), frozenset({"1401"}))
    assert party_recommendation("1401", [GR, also_gr]) is also_gr
    assert party_recommendation("1402", [GR, also_gr]) is GR
    assert party_recommendation("1480", [GR, also_gr]) is None


def test_only_parties_whose_group_recommended_get_a_group_recommendation():
    assert parties_recommended_on(["1401", "1484", "1490"], [GR, FYRBODAL]) == {"1401": GR, "1484": FYRBODAL}


def test_a_group_recommends_on_or_after_the_structure_and_not_ahead_of_today():
    check_group_recommendation("GR", date(2022, 3, 18), SRO, today=date(2022, 3, 18))
    check_group_recommendation("GR", SRO, SRO, today=date(2022, 3, 18))


@pytest.mark.parametrize(
    ("taken_on", "recommended_on", "message"),
    [
        (
            date(2022, 2, 23),
            SRO,
            "GR:s rekommendation (23 februari 2022) kan inte vara före "
            "samverkansstrukturens rekommendation (24 februari 2022).",
        ),
        (date(2022, 3, 19), SRO, "GR:s rekommendation kan inte vara daterad senare än i dag (18 mars 2022)."),
        (date(2022, 3, 18), None, "Överenskommelsen är inte rekommenderad till parterna än"),
    ],
)
def test_a_group_recommendation_out_of_order_is_refused_in_swedish(taken_on, recommended_on, message):
    with pytest.raises(InvalidInput) as refused:
        check_group_recommendation("GR", taken_on, recommended_on, today=date(2022, 3, 18))
    assert str(refused.value).startswith(message)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("GR", "GR:s"), ("Fyrbodal", "Fyrbodals"), ("Boråsregionen", "Boråsregionens"), ("Mars", "Mars")],
)
def test_genitive_follows_swedish_usage(name, expected):
    assert genitive(name) == expected


def test_each_pending_member_gets_its_own_decision_deadline_named_after_its_group():
    deadlines = derive_deadlines(
        DeadlineInputs(
            recommended_on=SRO,
            pending_party_codes=("1401", "1480"),
            group_recommendations={"1401": GR},
        ),
        date(2022, 4, 1),
    )
    due = {d.party_code: (d.due, d.title_sv) for d in deadlines if d.kind is DeadlineKind.DECISION_DUE}
    assert due == {
        "1401": (
            date(2022, 12, 18),
            "Beslut om överenskommelsen väntas, 9 månader efter GR:s rekommendation",
        ),
        "1480": (date(2022, 11, 24), "Beslut om överenskommelsen väntas, 9 månader efter rekommendationen"),
    }


def test_the_evaluation_gives_each_party_its_decide_by_date():
    inputs = AgreementInputs(
        id=1,
        structure="vastra-gotaland",
        kind=AgreementKind.AGREEMENT,
        status=AgreementStatus.DRAFT,
        parties=("14", "1401", "1484"),
        steps=(TakenStep("rekommendation_sro", SRO),),
        group_recommendations=(GR, FYRBODAL),
    )
    evaluation = evaluate(inputs, date(2022, 4, 20))
    assert evaluation.decision_due == {
        "14": date(2022, 11, 24),
        "1401": date(2022, 12, 18),
        "1484": date(2023, 1, 8),
    }
    assert evaluation.group_recommended == {"1401": GR, "1484": FYRBODAL}
