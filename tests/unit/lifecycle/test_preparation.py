"""The chain inside a party (seed 003: Härryda's välfärdsnämnd, then kommunstyrelsen, then
kommunfullmäktige): a preparatory decision is checked and tidied, and never settles the party."""

from __future__ import annotations

from datetime import date

from core.errors import InvalidInput
from lifecycle.rules.model import AdoptionStatus, PartyAdoption
from lifecycle.rules.preparation import Proposal, in_preparation, validate_proposal
from tests.unit.lifecycle.refusals import refused

TODAY = date(2026, 11, 23)
BOARD = Proposal("1401", "  Kommunstyrelsen ", date(2022, 5, 16), "80", " 2022VFN175   779 ", " Föreslår. ")


def test_a_proposal_is_tidied_as_a_decision_is():
    tidy = validate_proposal(BOARD, today=TODAY)
    assert (tidy.body, tidy.paragraph, tidy.case_number, tidy.proposal) == (
        "Kommunstyrelsen",
        "§ 80",
        "2022VFN175 779",
        "Föreslår.",
    )


def test_a_proposal_on_the_day_itself_is_taken_and_one_tomorrow_is_refused():
    validate_proposal(Proposal("1401", "Välfärdsnämnden", TODAY), today=TODAY)
    with refused(
        InvalidInput,
        field="meeting_date",
        message="Sammanträdesdatum kan inte vara senare än i dag (2026-11-24 > 2026-11-23). "
        "Registrera förslaget när organet har sammanträtt.",
    ):
        validate_proposal(Proposal("1401", "Välfärdsnämnden", date(2026, 11, 24)), today=TODAY)


def test_the_assembly_does_not_propose_to_itself():
    for body in ("Kommunfullmäktige", "Regionfullmäktige"):
        with refused(
            InvalidInput,
            field="body",
            message=f"{body} fattar partens beslut och lämnar inget förslag. Logga det som ett beslut.",
        ):
            validate_proposal(Proposal("1401", body, date(2022, 5, 16)), today=TODAY)
    with refused(
        InvalidInput,
        field="body",
        message="Ange vilket organ som lämnade förslaget, till exempel Kommunstyrelsen.",
    ):
        validate_proposal(Proposal("1401", "  ", date(2022, 5, 16)), today=TODAY)


def test_the_parties_in_preparation_are_the_unsettled_ones_with_a_proposal_by_then():
    adoptions = {
        "1401": PartyAdoption("1401", AdoptionStatus.PENDING),
        "1435": PartyAdoption("1435", AdoptionStatus.REFERRED_BACK, date(2022, 5, 12)),
        "1480": PartyAdoption("1480", AdoptionStatus.ADOPTED, date(2022, 5, 19), date(2022, 6, 16)),
        "1489": PartyAdoption("1489", AdoptionStatus.PENDING),
    }
    proposals = [
        BOARD,
        Proposal("1435", "Kommunstyrelsen", date(2022, 8, 29)),
        Proposal("1480", "Kommunstyrelsen", date(2022, 5, 2)),
        Proposal("1489", "Kommunstyrelsen", date(2026, 11, 2)),
    ]
    assert in_preparation(proposals, adoptions, TODAY) == ("1401", "1435", "1489")
    # as of 2022-06-01 Alingsås's board had not met yet
    assert in_preparation(proposals, adoptions, date(2022, 6, 1)) == ("1401",)
