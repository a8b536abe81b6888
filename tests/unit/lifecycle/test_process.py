"""Walking a process template: the current step, what may follow, step dates, the recommendation."""

from datetime import date

import pytest

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from lifecycle.rules.decisions import Decision, validate_decision
from lifecycle.rules.model import AgreementKind, Outcome
from lifecycle.rules.process import (
    TakenStep,
    allowed_next,
    check_step,
    check_step_date,
    current_step,
    get_template,
    load_templates,
    recommended_on,
    require_party_decisions,
    take_step,
)
from tests.unit.lifecycle.refusals import refused

STOCKHOLM = get_template("stockholm", AgreementKind.AGREEMENT)
VIS_HAPPY_PATH = [
    "behov_identifierat",
    "arbete_inlett",
    "arbetsgrupp_tillsatt",
    "forslag",
    "remiss",
    "revidering",
    "beredning",
    "rekommendation_politisk_styrgrupp",
    "rekommendation_storsthlm",
    "beslut_hos_parterna",
    "forvaltning",
]


def test_get_template_accepts_the_kind_as_its_value():
    assert get_template("stockholm", "riktlinje") is get_template("stockholm", AgreementKind.GUIDELINE)


def test_a_supplement_follows_the_agreement_process_of_its_structure():
    supplement = get_template("vastmanland", AgreementKind.SUPPLEMENT)
    assert supplement.steps == get_template("vastmanland", AgreementKind.AGREEMENT).steps
    assert supplement.kind is AgreementKind.SUPPLEMENT


def test_an_unknown_structure_is_not_found():
    message = (
        "Samverkansstrukturen ”skane” finns inte. "
        "Kända strukturer: orebro, stockholm, vastmanland, vastra-gotaland."
    )
    with refused(NotFound, field="structure", message=message):
        get_template("skane", AgreementKind.AGREEMENT)


def test_an_unknown_kind_is_not_found():
    with refused(NotFound, field="kind", message="Dokumenttypen ”avtal” finns inte."):
        get_template("stockholm", "avtal")


def test_a_kind_without_a_template_in_the_structure_is_not_found():
    message = "Det finns ingen processmall för tillfälliga övergångsbestämmelser i Örebro län."
    with refused(NotFound, field="kind", message=message):
        get_template("orebro", AgreementKind.TRANSITIONAL)


def test_the_vis_agreement_process_can_be_walked_from_need_to_stewardship():
    for i, step in enumerate(VIS_HAPPY_PATH):
        check_step(STOCKHOLM, VIS_HAPPY_PATH[:i], step)
    assert (
        current_step(STOCKHOLM, VIS_HAPPY_PATH).label
        == "Kommunikation, implementering och löpande förvaltning"
    )


def test_before_the_start_only_the_first_step_is_allowed():
    assert current_step(STOCKHOLM, []) is None
    assert allowed_next(STOCKHOLM, []) == ["behov_identifierat"]


@pytest.mark.parametrize(
    ("current", "allowed"),
    [
        ("forslag", ["remiss", "avbruten"]),
        ("remiss", ["revidering", "avbruten"]),
        # a second consultation round, or on to preparation
        ("revidering", ["remiss", "beredning", "avbruten"]),
        # the officials or the politicians may send it back to revision
        ("beredning", ["rekommendation_politisk_styrgrupp", "revidering", "avbruten"]),
        ("rekommendation_politisk_styrgrupp", ["rekommendation_storsthlm", "revidering", "avbruten"]),
        ("rekommendation_storsthlm", ["beslut_hos_parterna", "avbruten"]),
        ("beslut_hos_parterna", ["forvaltning", "revidering", "avbruten"]),
        ("forvaltning", []),
        ("avbruten", []),
    ],
)
def test_allowed_next_steps_in_the_vis_process(current, allowed):
    assert allowed_next(STOCKHOLM, ["behov_identifierat", current]) == allowed


def test_a_second_consultation_round_is_allowed():
    taken = [*VIS_HAPPY_PATH[:6], "remiss", "revidering"]
    check_step(STOCKHOLM, taken, "beredning")


ALL_NON_TERMINAL = [
    (template, step.key)
    for template in load_templates().values()
    for step in template.steps
    if not step.terminal
]


@pytest.mark.parametrize(
    ("template", "step"), ALL_NON_TERMINAL, ids=[f"{t.structure}-{t.kind}-{s}" for t, s in ALL_NON_TERMINAL]
)
def test_work_can_be_withdrawn_from_every_step_that_is_not_terminal(template, step):
    assert template.withdrawal in allowed_next(template, [step])


def test_a_skipped_step_is_refused_naming_the_current_and_the_allowed_steps():
    message = (
        "Steget ”Beredning i VIS tjänstestyrgrupp” kan inte tas nu. Nuvarande steg är "
        "”Förslag framtaget i arbetsgruppen”. Tillåtna nästa steg: ”Remissrunda”, ”Arbetet avbrutet”."
    )
    with refused(NotAllowed, field="step", message=message):
        check_step(STOCKHOLM, VIS_HAPPY_PATH[:4], "beredning")


def test_a_step_before_the_process_has_started_is_refused():
    message = (
        "Steget ”Remissrunda” kan inte tas nu. "
        "Processen har inte börjat; första steget är ”Behov av överenskommelse identifierat”."
    )
    with refused(NotAllowed, field="step", message=message):
        check_step(STOCKHOLM, [], "remiss")


def test_no_step_follows_a_terminal_step():
    message = (
        "Steget ”Revidering efter remiss” kan inte tas nu. Processen är avslutad "
        "(”Kommunikation, implementering och löpande förvaltning”); inga fler steg kan tas."
    )
    with refused(NotAllowed, field="step", message=message):
        check_step(STOCKHOLM, VIS_HAPPY_PATH, "revidering")


def test_a_step_unknown_to_the_template_is_invalid():
    message = "Steget ”remiss” finns inte i processen för riktlinjer i Stockholms län (VIS)."
    with refused(InvalidInput, field="step", message=message):
        check_step(get_template("stockholm", AgreementKind.GUIDELINE), ["behov_identifierat"], "remiss")


def test_a_history_whose_step_left_the_template_is_a_conflict():
    message = (
        "Processens nuvarande steg ”samrad” finns inte längre i processmallen för "
        "överenskommelser i Stockholms län (VIS)."
    )
    with refused(Conflict, field=None, message=message):
        allowed_next(STOCKHOLM, ["behov_identifierat", "samrad"])


# Seed 003, Västra Götaland. SRO recommended on 2022-02-24, VästKom's board met on 2022-03-08 (§ 15),
# GR's förbundsstyrelse on 2022-03-18 (§ 356). Earlier dates are illustrative: the seed says only
# that the consultation replies were due by 2021-12-31.
VG = get_template("vastra-gotaland", AgreementKind.AGREEMENT)
VG_HISTORY = [
    TakenStep("uppdrag", date(2021, 3, 1)),
    TakenStep("forslag", date(2021, 9, 1)),
    TakenStep("remiss", date(2021, 10, 1)),
    TakenStep("revidering", date(2022, 1, 10)),
    TakenStep("beredning", date(2022, 2, 4)),
    TakenStep("rekommendation_sro", date(2022, 2, 24)),
    TakenStep("vastkom", date(2022, 3, 8)),
    TakenStep("kommunalforbund", date(2022, 3, 18)),
]


def test_the_vg_history_of_seed_003_is_a_valid_walk():
    for i, step in enumerate(VG_HISTORY):
        assert take_step(VG, VG_HISTORY[:i], step.key, step.taken_on, today=date(2022, 4, 1)) == step


def test_recommended_on_is_none_before_the_recommendation():
    assert recommended_on(VG, VG_HISTORY[:5]) is None


def test_recommended_on_is_the_day_sro_recommended_the_parties():
    assert recommended_on(VG, VG_HISTORY) == date(2022, 2, 24)


def test_the_first_recommendation_counts_when_the_process_went_back_to_revision():
    again = [
        *VG_HISTORY[:6],
        TakenStep("revidering", date(2022, 3, 1)),
        TakenStep("beredning", date(2022, 4, 1)),
        TakenStep("rekommendation_sro", date(2022, 5, 5)),
    ]
    assert recommended_on(VG, again) == date(2022, 2, 24)


def test_a_guideline_has_no_recommendation():
    guideline = get_template("stockholm", AgreementKind.GUIDELINE)
    assert recommended_on(guideline, [TakenStep("beslut_tjanstestyrgrupp", date(2024, 1, 1))]) is None


def test_the_recommendation_date_opens_the_parties_decisions():
    # a party decision is checked against the process's recommendation date
    gr_members_decide = Decision("1401", "Kommunfullmäktige", date(2022, 2, 23), Outcome.ADOPTED)
    with refused(
        InvalidInput,
        field="meeting_date",
        message="Beslutet kan inte vara fattat före rekommendationen (2022-02-23 < 2022-02-24).",
    ):
        validate_decision(
            gr_members_decide, recommended_on=recommended_on(VG, VG_HISTORY), today=date(2022, 4, 1)
        )


def test_a_step_dated_the_same_day_as_the_previous_one_is_accepted():
    check_step_date(VG, VG_HISTORY, date(2022, 3, 18), today=date(2022, 4, 1))


def test_a_step_dated_before_the_previous_step_is_refused():
    message = (
        "Stegets datum kan inte vara före föregående steg "
        "”Kommunalförbunden rekommenderar sina medlemmar” (2022-03-17 < 2022-03-18)."
    )
    with refused(InvalidInput, field="taken_on", message=message):
        take_step(VG, VG_HISTORY, "beslut_hos_parterna", date(2022, 3, 17), today=date(2022, 4, 1))


def test_a_step_dated_in_the_future_is_refused():
    message = "Stegets datum kan inte vara senare än i dag (2022-04-02 > 2022-04-01)."
    with refused(InvalidInput, field="taken_on", message=message):
        take_step(VG, VG_HISTORY, "beslut_hos_parterna", date(2022, 4, 2), today=date(2022, 4, 1))


def test_take_step_checks_the_transition_before_the_date():
    with pytest.raises(NotAllowed):
        take_step(VG, VG_HISTORY, "forvaltning", date(2022, 3, 1), today=date(2022, 4, 1))


def test_the_first_step_may_have_any_past_date():
    assert take_step(VG, [], "uppdrag", date(2020, 1, 1), today=date(2022, 4, 1)) == TakenStep(
        "uppdrag", date(2020, 1, 1)
    )


def test_party_decisions_are_required_for_an_agreement():
    require_party_decisions(STOCKHOLM)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (
            AgreementKind.GUIDELINE,
            "Parterna fattar inga egna beslut om riktlinjer i Stockholms län (VIS): "
            "de beslutas av VIS tjänstestyrgrupp.",
        ),
        (
            AgreementKind.TRANSITIONAL,
            "Parterna fattar inga egna beslut om tillfälliga övergångsbestämmelser i Stockholms län (VIS): "
            "de beslutas av VIS politiska styrgrupp.",
        ),
    ],
)
def test_parties_do_not_decide_on_what_a_joint_body_decides_alone(kind, message):
    with refused(NotAllowed, field=None, message=message):
        require_party_decisions(get_template("stockholm", kind))


# Seed 004: "Den politiska styrgruppen lämnar en rekommendation till kommunerna respektive
# regionen", then Storsthlm's board recommends the kommuner. Dates illustrative.
VIS_RECOMMENDED = [
    TakenStep(key, date(2024, 1, 1 + index)) for index, key in enumerate(VIS_HAPPY_PATH[:7])
] + [
    TakenStep("rekommendation_politisk_styrgrupp", date(2024, 3, 15)),
    TakenStep("rekommendation_storsthlm", date(2024, 4, 26)),
]


def test_region_stockholm_may_decide_from_the_political_steering_groups_recommendation():
    assert recommended_on(STOCKHOLM, VIS_RECOMMENDED, "region") == date(2024, 3, 15)
    region = Decision("01", "Regionfullmäktige", date(2024, 4, 9), Outcome.ADOPTED)
    validate_decision(region, recommended_on=date(2024, 3, 15), today=date(2024, 5, 1))


def test_the_kommuner_decide_from_storsthlms_boards_recommendation():
    assert recommended_on(STOCKHOLM, VIS_RECOMMENDED, "kommun") == date(2024, 4, 26)
    assert recommended_on(STOCKHOLM, VIS_RECOMMENDED) == date(2024, 4, 26)
    assert recommended_on(STOCKHOLM, VIS_RECOMMENDED[:8], "kommun") is None


def test_where_the_template_names_no_step_of_its_own_the_region_follows_the_common_recommendation():
    assert recommended_on(VG, VG_HISTORY, "region") == date(2022, 2, 24)
