"""Annexes follow their parent (seed 003): in term, in notices and in end, and only for the
parent's parties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from core.errors import InvalidInput, NotAllowed
from lifecycle.rules.agreement import AgreementInputs, evaluate, governing_notices
from lifecycle.rules.attached import check_attached, refuse_attached_notice
from lifecycle.rules.model import AgreementKind, AgreementStatus
from lifecycle.rules.term import FixedTerm, Notice
from tests.unit.lifecycle.refusals import refused

TERM = FixedTerm(start=date(2023, 1, 1), end=date(2026, 12, 31), notice_months=18, renewal_years=3)
PARENT = AgreementInputs(
    id=1,
    structure="vastra-gotaland",
    kind=AgreementKind.AGREEMENT,
    status=AgreementStatus.ACTIVE,
    parties=("1401", "1480", "1489", "1490"),
    term=TERM,
    # Härryda in time (leaves 2026-12-31), Alingsås late (leaves 2029-12-31)
    notices=(Notice("1401", date(2025, 3, 1)), Notice("1489", date(2025, 9, 1))),
)
ANNEX = AgreementInputs(
    id=2,
    structure="vastra-gotaland",
    kind=AgreementKind.ANNEX,
    status=AgreementStatus.ACTIVE,
    parties=("1401", "1480", "1490"),
    parent=PARENT,
)
NAMES = {"1401": "Härryda", "1480": "Göteborg", "0180": "Stockholm"}


def test_a_notice_of_the_parent_ends_the_annex_for_that_party_on_the_same_day():
    term = evaluate(ANNEX, date(2026, 11, 23)).term
    assert term is not None
    assert term.party_end_dates == {"1401": date(2026, 12, 31)}  # Alingsås is not in the annex
    assert term.next_notice_deadline == date(2028, 6, 30)


def test_an_annex_ends_as_a_whole_when_its_parties_leave_the_parent():
    # Göteborg leaves the parent in time for 2029-12-31: the annex then has only Borås left...
    parent = replace(PARENT, notices=(*PARENT.notices, Notice("1480", date(2028, 1, 10))))
    term = evaluate(replace(ANNEX, parent=parent), date(2028, 2, 1)).term
    assert term is not None
    # ... and with fewer than two parties it ends when the second-to-last leaves
    assert term.ends_on == date(2029, 12, 31)


def test_an_annex_own_notices_do_not_count_only_its_parents_for_its_parties():
    annex = replace(ANNEX, notices=(Notice("1480", date(2024, 1, 1)),))
    assert governing_notices(annex) == (Notice("1401", date(2025, 3, 1)),)
    assert governing_notices(PARENT) == PARENT.notices


def test_an_annex_can_only_have_its_parents_parties():
    with refused(
        InvalidInput,
        field="party_codes",
        message="En bilaga eller tilläggsöverenskommelse kan bara gälla parter i huvudöverenskommelsen: "
        "Stockholm (0180) är inte part i den.",
    ):
        check_attached(
            AgreementKind.ANNEX,
            parties=("1401", "0180"),
            parent_parties=("1401", "1480"),
            has_own_term=False,
            names=NAMES,
        )


def test_an_annex_has_no_term_of_its_own():
    with pytest.raises(InvalidInput) as refusal:
        check_attached(
            AgreementKind.SUPPLEMENT, parties=("1401",), parent_parties=("1401",), has_own_term=True, names={}
        )
    assert refusal.value.field == "term"


def test_a_main_agreement_has_neither_check():
    check_attached(AgreementKind.AGREEMENT, parties=("0180",), parent_parties=(), has_own_term=True, names={})
    refuse_attached_notice(AgreementKind.AGREEMENT, None)


def test_a_notice_on_an_annex_is_refused_pointing_to_its_parent():
    with refused(
        NotAllowed,
        field=None,
        message="En bilaga eller tilläggsöverenskommelse sägs inte upp för sig: säg upp "
        "huvudöverenskommelsen (id 1), så upphör den här för parten samtidigt.",
    ):
        refuse_attached_notice(AgreementKind.ANNEX, 1)
