"""Checks on a recorded decision (one § of a party's minutes) and paragraph normalisation."""

from dataclasses import replace
from datetime import date

import pytest

from core.errors import Conflict, InvalidInput, NotAllowed
from lifecycle.rules.appeal import Appeal, LegalState
from lifecycle.rules.decisions import (
    Decision,
    adoption_settled,
    check_repeat,
    normalise_paragraph,
    party_adoption,
    validate_decision,
)
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


@pytest.mark.parametrize("outcome", [Outcome.REFERRED_BACK, Outcome.POSTPONED])
def test_a_referral_back_or_postponement_has_no_appeal_day_and_is_never_final(outcome):
    # given a referral back with its minutes approved and posted (kommunallagen 13 kap. 2 §)
    referred = replace(HARRYDA, outcome=outcome)

    # then, long after three weeks would have run out, it is still not final
    assert referred.last_appeal_day is None
    assert referred.presumed_final_on is None
    assert referred.legal_standing(date(2023, 6, 1)) == (LegalState.NOT_APPEALABLE, None)


def test_an_adoption_can_be_appealed_to_its_last_day_and_is_final_the_day_after():
    # anslag Thursday 2022-06-16: three weeks is Thursday 2022-07-07, a working day
    assert HARRYDA.last_appeal_day == date(2022, 7, 7)
    assert HARRYDA.presumed_final_on == date(2022, 7, 8)
    assert HARRYDA.legal_standing(date(2022, 7, 7)) == (LegalState.APPEALABLE, date(2022, 7, 8))
    assert HARRYDA.legal_standing(date(2022, 7, 8)) == (LegalState.FINAL, date(2022, 7, 8))


# --- a repeat final decision (no silent downgrade) ------------------------------------------------

REPEAT_TODAY = date(2022, 9, 1)  # Härryda's adoption (anslag 2022-06-16) is final from 2022-07-08


def repeat(new: Decision, earlier=((12, HARRYDA),), replaces=None, confirm_new=False) -> None:
    check_repeat(
        new, earlier, party="Härryda (1401)", replaces=replaces, confirm_new=confirm_new, today=REPEAT_TODAY
    )


def test_a_second_adoption_for_a_party_already_adopted_is_refused_naming_the_decision_that_counts():
    again = replace(HARRYDA, meeting_date=date(2022, 8, 25), paragraph="§ 101")
    with pytest.raises(Conflict) as refusal:
        repeat(again)
    assert refusal.value.message == (
        "Härryda (1401) har redan antagit överenskommelsen (Kommunfullmäktige, 9 juni 2022, § 87, "
        "laga kraft 8 juli 2022; beslut 12). Ett nytt beslut ersätter det och räknar om laga kraft och "
        "ikraftträdande. Ange om det rättar beslut 12 eller är ett nytt beslut."
    )
    assert refusal.value.extra == {"existing_decision": 12}


def test_a_repeat_passes_as_a_correction_or_when_confirmed_as_new():
    again = replace(HARRYDA, meeting_date=date(2022, 8, 25))
    repeat(again, replaces=12)
    repeat(again, confirm_new=True)


def test_a_first_adoption_after_a_referral_back_and_a_referral_after_an_adoption_need_no_confirmation():
    referral = replace(HARRYDA, meeting_date=date(2022, 5, 12), outcome=Outcome.REFERRED_BACK)
    repeat(HARRYDA, earlier=((11, referral),))
    repeat(replace(referral, meeting_date=date(2022, 8, 25)))  # not final: never replaces an adoption


def test_a_new_decision_after_a_rejection_must_be_confirmed_too():
    rejection = replace(HARRYDA, outcome=Outcome.REJECTED)
    with pytest.raises(Conflict, match="har redan avslagit"):
        repeat(replace(HARRYDA, meeting_date=date(2022, 8, 25)), earlier=((12, rejection),))


def test_replaces_must_name_one_of_the_partys_decisions_and_not_come_with_confirm_new():
    other_party = replace(HARRYDA, party_code="1489")
    with refused(
        InvalidInput,
        field="replaces",
        message="Beslut 12 är inte ett beslut av Härryda (1401) om den här överenskommelsen.",
    ):
        repeat(HARRYDA, earlier=((12, other_party),), replaces=12)
    with refused(
        InvalidInput,
        field="confirm_new",
        message="Ange antingen vilket beslut det nya ersätter eller att det är ett nytt beslut, inte båda.",
    ):
        repeat(HARRYDA, replaces=12, confirm_new=True)


def test_an_adoption_is_settled_once_no_date_of_its_decisions_lies_ahead():
    # Härryda: meeting 9 June 2022, anslag 16 June 2022
    assert adoption_settled([HARRYDA], date(2022, 6, 16))
    assert adoption_settled([HARRYDA], date(2026, 11, 23))
    assert not adoption_settled([HARRYDA], date(2022, 6, 15))  # the anslag is still ahead
    assert not adoption_settled([HARRYDA], date(2022, 6, 1))  # so is the meeting
    # an appeal decided on 1 March 2023 settles it only from that day
    appealed = replace(HARRYDA, appeal=Appeal(AppealState.DISMISSED, date(2022, 7, 1), date(2023, 3, 1)))
    assert not adoption_settled([appealed], date(2023, 2, 28))
    assert adoption_settled([appealed], date(2023, 3, 1))
    # a planned meeting ahead changes no one's standing
    planned = Decision("1401", "Kommunfullmäktige", date(2027, 2, 1), Outcome.PLANNED)
    assert adoption_settled([HARRYDA, planned], date(2026, 11, 23))


def test_a_settled_adoption_is_the_same_on_every_later_day():
    appealed = replace(
        HARRYDA, appeal=Appeal(AppealState.DISMISSED, date(2022, 7, 1), date(2023, 3, 1)), sequence=2
    )
    referred = replace(HARRYDA, party_code="1402", outcome=Outcome.REFERRED_BACK, anslag_date=None)
    decisions = [appealed, referred]
    day = date(2023, 3, 1)
    assert adoption_settled(decisions, day)
    for later in (day, date(2023, 3, 2), date(2023, 3, 22), date(2030, 1, 1)):
        for code in ("1401", "1402", "1489"):
            assert party_adoption(code, decisions, later) == party_adoption(code, decisions, day)
