"""Checks on a recorded decision (one § of a party's minutes) and paragraph normalisation."""

from dataclasses import replace
from datetime import date

import pytest

from core.errors import InvalidInput, NotAllowed
from lifecycle.rules.appeal import Appeal
from lifecycle.rules.decisions import Decision, normalise_paragraph, validate_decision
from lifecycle.rules.model import AppealState, Outcome
from tests.unit.lifecycle.refusals import refused

# Seed 003: SRO recommended the Hälso- och sjukvårdsavtal on 2022-02-24. Härryda's own
# kommunfullmäktige decision is not in the seed (its papers precede it): the meeting, § and
# dates below are illustrative; the diarienummer is the välfärdsnämnd's from the seed.
RECOMMENDED_ON = date(2022, 2, 24)
TODAY = date(2022, 12, 1)
HARRYDA = Decision(
    party_code="1401",
    body="Kommunfullmäktige",
    meeting_date=date(2022, 6, 9),
    outcome=Outcome.ADOPTED,
    paragraph="§ 87",
    case_number="2022VFN175 779",
    justering_date=date(2022, 6, 15),
    anslag_date=date(2022, 6, 16),
)


def validate(decision: Decision, recommended_on: date | None = RECOMMENDED_ON) -> Decision:
    return validate_decision(decision, recommended_on=recommended_on, today=TODAY)


def test_a_complete_decision_passes_unchanged():
    assert validate(HARRYDA) == HARRYDA


def test_validation_tidies_body_paragraph_and_case_number():
    messy = replace(
        HARRYDA,
        party_code=" 1401 ",
        body="  Kommunfullmäktige ",
        paragraph="87",
        case_number="  KS  2022/123 ",
    )
    tidy = validate(messy)
    assert (tidy.party_code, tidy.body, tidy.paragraph, tidy.case_number) == (
        "1401",
        "Kommunfullmäktige",
        "§ 87",
        "KS 2022/123",
    )


def test_blank_paragraph_and_case_number_become_none():
    tidy = validate(replace(HARRYDA, paragraph="  ", case_number="   "))
    assert (tidy.paragraph, tidy.case_number) == (None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("§ 12", "§ 12"),
        ("§12", "§ 12"),
        ("12", "§ 12"),
        ("12 §", "§ 12"),
        ("  § 012 ", "§ 12"),
        ("§\u00a012", "§ 12"),  # a no-break space pasted from the minutes
        ("§ 356", "§ 356"),  # GR förbundsstyrelse 2022-03-18 (seed 003)
        ("§ 15", "§ 15"),  # VästKom styrelse 2022-03-08 (seed 003)
        ("§ 320", "§ 320"),  # Härryda välfärdsnämnden 2021-12-15 (seed 003)
        ("§ 1234", "§ 1234"),
    ],
)
def test_paragraphs_are_normalised_to_the_form_minutes_print(text, expected):
    assert normalise_paragraph(text) == expected


@pytest.mark.parametrize(
    "text", ["abc", "§", "§ 0", "0", "§ 12-13", "§§ 12", "§ 12 §", "12a", "§ 12345", "1 2"]
)
def test_anything_but_one_paragraph_is_refused(text):
    message = f"Paragrafen ”{text}” känns inte igen. Skriv den som i protokollet, till exempel ”§ 356”."
    with refused(InvalidInput, field="paragraph", message=message):
        normalise_paragraph(text)


def test_a_decision_on_an_agreement_not_yet_recommended_is_not_allowed():
    message = (
        "Överenskommelsen är inte rekommenderad ännu. Parternas beslut kan registreras när den har "
        "rekommenderats; registrera under tiden ett planerat sammanträde."
    )
    with refused(NotAllowed, field=None, message=message):
        validate(HARRYDA, recommended_on=None)


def test_a_decision_on_the_day_of_the_recommendation_is_accepted():
    validate(replace(HARRYDA, meeting_date=RECOMMENDED_ON, justering_date=None, anslag_date=None))


def test_a_paragraph_approved_at_the_meeting_may_be_announced_the_same_day():
    # omedelbar justering: "Paragrafen är justerad" (seed 003, välfärdsnämnden § 320)
    same_day = date(2022, 6, 9)
    validate(replace(HARRYDA, justering_date=same_day, anslag_date=same_day))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"party_code": "  "},
            "party_code",
            "Ange vilken part beslutet gäller.",
        ),
        (
            {"body": " "},
            "body",
            "Ange vilket organ som fattade beslutet, till exempel Kommunfullmäktige.",
        ),
        (
            {"meeting_date": date(2022, 12, 2), "justering_date": None, "anslag_date": None},
            "meeting_date",
            "Sammanträdesdatum kan inte vara senare än i dag (2022-12-02 > 2022-12-01). "
            "Registrera ett planerat sammanträde i stället.",
        ),
        (
            {"meeting_date": date(2022, 2, 23)},
            "meeting_date",
            "Beslutet kan inte vara fattat före rekommendationen (2022-02-23 < 2022-02-24).",
        ),
        (
            {"justering_date": date(2022, 6, 8), "anslag_date": None},
            "justering_date",
            "Justeringsdatum kan inte vara före sammanträdesdatum (2022-06-08 < 2022-06-09).",
        ),
        (
            {"justering_date": date(2022, 12, 2), "anslag_date": None},
            "justering_date",
            "Justeringsdatum kan inte vara senare än i dag (2022-12-02 > 2022-12-01).",
        ),
        (
            {"justering_date": None},
            "justering_date",
            "Ange justeringsdatum: anslaget tillkännager att protokollet är justerat.",
        ),
        (
            {"justering_date": date(2022, 6, 15), "anslag_date": date(2022, 6, 14)},
            "anslag_date",
            "Anslagsdatum kan inte vara före justeringsdatum (2022-06-14 < 2022-06-15).",
        ),
        (
            {"anslag_date": date(2022, 12, 2)},
            "anslag_date",
            "Anslagsdatum kan inte vara senare än i dag (2022-12-02 > 2022-12-01).",
        ),
        (
            {"paragraph": "paragraf tolv"},
            "paragraph",
            "Paragrafen ”paragraf tolv” känns inte igen. Skriv den som i protokollet, till exempel ”§ 356”.",
        ),
        (
            {"outcome": Outcome.REFERRED_BACK, "appeal": Appeal(AppealState.LODGED, date(2022, 6, 20))},
            "appeal.state",
            "En återremiss eller bordläggning kan inte överklagas: den är av rent förberedande art "
            "(kommunallagen 13 kap. 2 §).",
        ),
        (
            {"outcome": Outcome.POSTPONED, "appeal": Appeal(AppealState.LODGED, date(2022, 6, 20))},
            "appeal.state",
            "En återremiss eller bordläggning kan inte överklagas: den är av rent förberedande art "
            "(kommunallagen 13 kap. 2 §).",
        ),
        (
            {"appeal": Appeal(AppealState.LODGED, date(2022, 6, 15))},
            "appeal.lodged_on",
            "Överklagandet kan inte ha kommit in före anslagsdatum (2022-06-15 < 2022-06-16).",
        ),
    ],
)
def test_a_decision_that_cannot_be_true_is_refused(changes, field, message):
    with refused(InvalidInput, field=field, message=message):
        validate(replace(HARRYDA, **changes))


def test_the_brief_example_of_an_anslag_before_its_justering():
    decision = replace(
        HARRYDA,
        meeting_date=date(2024, 3, 1),
        justering_date=date(2024, 3, 5),
        anslag_date=date(2024, 3, 2),
    )
    message = "Anslagsdatum kan inte vara före justeringsdatum (2024-03-02 < 2024-03-05)."
    with refused(InvalidInput, field="anslag_date", message=message):
        validate_decision(decision, recommended_on=RECOMMENDED_ON, today=date(2024, 4, 1))


def test_an_appealed_adoption_with_a_consistent_record_is_accepted():
    appeal = Appeal(AppealState.DISMISSED, date(2022, 7, 1), date(2022, 10, 3))
    assert validate(replace(HARRYDA, appeal=appeal)).appeal == appeal


PLANNED = Decision("1401", "Kommunfullmäktige", date(2023, 2, 16), Outcome.PLANNED)


@pytest.mark.parametrize("meeting_date", [date(2023, 2, 16), date(2022, 1, 1), TODAY])
def test_a_planned_meeting_may_be_on_any_day_even_before_a_recommendation(meeting_date):
    planned = replace(PLANNED, meeting_date=meeting_date)
    assert validate(planned, recommended_on=None) == planned


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"paragraph": "§ 5"},
            "paragraph",
            "Ett planerat sammanträde har ingen paragraf ännu. Registrera beslutet när det är fattat.",
        ),
        (
            {"justering_date": date(2023, 2, 20)},
            "justering_date",
            "Ett planerat sammanträde har inget justeringsdatum ännu. Registrera beslutet när det är fattat.",
        ),
        (
            {"anslag_date": date(2023, 2, 21)},
            "anslag_date",
            "Ett planerat sammanträde har inget anslagsdatum ännu. Registrera beslutet när det är fattat.",
        ),
        (
            {"appeal": Appeal(AppealState.LODGED, date(2023, 3, 1))},
            "appeal.state",
            "Ett planerat sammanträde kan inte överklagas.",
        ),
    ],
)
def test_a_planned_meeting_has_no_minutes_yet(changes, field, message):
    with refused(InvalidInput, field=field, message=message):
        validate(replace(PLANNED, **changes))
