"""One decision for a package (seed 003: Härryda's council adopts the health-care agreement, its
four annexes and the Färdplan in one paragraph): what such a decision may cover."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from core.errors import InvalidInput
from lifecycle.rules.model import AgreementKind
from lifecycle.rules.packages import Document, check_covered_recommendation, check_package
from tests.unit.lifecycle.refusals import refused

PARTIES = frozenset({"1401", "1480"})
MAIN = Document(
    1,
    "HoS-avtal",
    "HOS",
    "vastra-gotaland",
    AgreementKind.AGREEMENT,
    None,
    None,
    PARTIES,
)
ANNEX = Document(2, "Läkarmedverkan", "B1", "vastra-gotaland", AgreementKind.ANNEX, 1, None, PARTIES)
FARDPLAN = Document(3, "Färdplan", "FP", "vastra-gotaland", AgreementKind.AGREEMENT, None, None, PARTIES)
HARRYDA = "Härryda (1401)"


def _check(main: Document, *covered: Document) -> None:
    check_package(main, covered, party_code="1401", party=HARRYDA)


def test_a_main_agreement_covers_its_annexes_and_a_related_document_of_its_structure():
    _check(MAIN, ANNEX, FARDPLAN)
    _check(MAIN)
    _check(ANNEX)  # an annex's own decision, covering nothing


@pytest.mark.parametrize(
    ("main", "covered", "message"),
    [
        (
            MAIN,
            MAIN,
            "Beslutet loggas redan på HoS-avtal (HOS); ange bara bilagor och tillhörande dokument.",
        ),
        (
            MAIN,
            replace(ANNEX, parent_id=9),
            "Läkarmedverkan (B1) är bilaga till en annan överenskommelse än HoS-avtal (HOS).",
        ),
        (
            MAIN,
            replace(FARDPLAN, structure="stockholm"),
            "Färdplan (FP) hör till en annan samverkansstruktur än HoS-avtal (HOS).",
        ),
        (
            MAIN,
            replace(FARDPLAN, supersedes_id=1),
            "Färdplan (FP) är en annan version av HoS-avtal (HOS), inte ett tillhörande dokument.",
        ),
        (
            replace(MAIN, supersedes_id=3),
            FARDPLAN,
            "Färdplan (FP) är en annan version av HoS-avtal (HOS), inte ett tillhörande dokument.",
        ),
        (
            MAIN,
            replace(FARDPLAN, kind=AgreementKind.GUIDELINE),
            "Färdplan (FP) beslutas av den gemensamma organisationen, inte av parterna.",
        ),
        (
            MAIN,
            replace(ANNEX, parties=frozenset({"1480"})),
            "Härryda (1401) är inte part i Läkarmedverkan (B1).",
        ),
        (
            ANNEX,
            FARDPLAN,
            "Ett beslut som gäller flera dokument loggas på huvudöverenskommelsen, inte på bilagan "
            "Läkarmedverkan (B1).",
        ),
    ],
)
def test_a_package_one_paragraph_cannot_have_decided_is_refused(main, covered, message):
    with refused(InvalidInput, field="covers", message=message):
        _check(main, covered)


def test_a_document_named_twice_is_refused():
    with refused(
        InvalidInput,
        field="covers",
        message="Läkarmedverkan (B1) står två gånger bland de dokument beslutet gäller.",
    ):
        _check(MAIN, ANNEX, FARDPLAN, ANNEX)


def test_a_document_without_a_reference_is_named_by_its_title():
    assert replace(FARDPLAN, reference="").label == "Färdplan"


def test_a_covered_document_needs_its_own_recommendation_before_the_meeting():
    # the Färdplan recommended by SRO 2022-02-24 (seed 003); Härryda's council met 2022-06-16
    check_covered_recommendation(FARDPLAN, date(2022, 2, 24), date(2022, 6, 16), planned=False)
    check_covered_recommendation(FARDPLAN, date(2022, 6, 16), date(2022, 6, 16), planned=False)
    with refused(
        InvalidInput,
        field="covers",
        message="Färdplan (FP) rekommenderades 17 juni 2022, efter sammanträdet 16 juni 2022.",
    ):
        check_covered_recommendation(FARDPLAN, date(2022, 6, 17), date(2022, 6, 16), planned=False)
    with refused(
        InvalidInput,
        field="covers",
        message="Färdplan (FP) är inte rekommenderad ännu, så beslutet kan inte gälla den. "
        "Logga beslutet utan den, eller registrera rekommendationen först.",
    ):
        check_covered_recommendation(FARDPLAN, None, date(2022, 6, 16), planned=False)


def test_a_planned_meeting_may_cover_a_document_not_yet_recommended():
    check_covered_recommendation(FARDPLAN, None, date(2026, 12, 14), planned=True)
