"""The whole evaluation of one agreement: here, what an annex's deadlines are."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from lifecycle.rules.agreement import AgreementInputs, StoredDecision, evaluate
from lifecycle.rules.deadlines import DeadlineKind
from lifecycle.rules.decisions import Decision
from lifecycle.rules.model import AgreementKind, AgreementStatus, Outcome
from lifecycle.rules.term import FixedTerm

TODAY = date(2026, 11, 23)
# Seed 003: Västra Götaland's health-care agreement, 18 months' notice, 3-year renewals.
TERM = FixedTerm(start=date(2023, 1, 1), end=date(2026, 12, 31), notice_months=18, renewal_years=3)
PARENT = AgreementInputs(
    id=1,
    structure="vastra-gotaland",
    kind=AgreementKind.AGREEMENT,
    status=AgreementStatus.ACTIVE,
    parties=("1401", "1489"),
    term=TERM,
)


def _annex(**changes) -> AgreementInputs:
    return AgreementInputs(
        **{
            "id": 2,
            "structure": "vastra-gotaland",
            "kind": AgreementKind.ANNEX,
            "status": AgreementStatus.ACTIVE,
            "parties": ("1401", "1489"),
            "parent": PARENT,
            **changes,
        }
    )


def _kinds(inputs: AgreementInputs) -> set[DeadlineKind]:
    return {d.kind for d in evaluate(inputs, TODAY).deadlines}


def test_an_annex_following_its_parents_term_leaves_notice_and_term_end_to_the_parent():
    assert {DeadlineKind.NOTICE, DeadlineKind.TERM_END} <= _kinds(PARENT)
    annex = evaluate(_annex(), TODAY)
    # its term is its parent's (the page shows it) ...
    assert annex.term is not None and annex.term.next_notice_deadline == date(2028, 6, 30)
    # ... but the reminders of it are the parent's alone
    assert not {DeadlineKind.NOTICE, DeadlineKind.TERM_END} & {d.kind for d in annex.deadlines}


def test_an_annexs_own_term_is_overruled_by_its_parents_and_adds_no_deadlines():
    own = FixedTerm(start=date(2024, 1, 1), end=date(2027, 12, 31), notice_months=6, renewal_years=2)
    annex = evaluate(_annex(term=own), TODAY)
    assert annex.term is not None and annex.term.next_notice_deadline == date(2028, 6, 30)
    assert DeadlineKind.NOTICE not in {d.kind for d in annex.deadlines}


def test_a_referral_back_gives_no_legally_final_deadline_and_the_adoption_after_it_does():
    referral = Decision(
        "1401",
        "Kommunfullmäktige",
        date(2022, 5, 12),
        Outcome.REFERRED_BACK,
        "§ 60",
        None,
        date(2022, 5, 17),
        date(2022, 5, 18),
    )
    adoption = replace(
        referral,
        meeting_date=date(2022, 6, 9),
        outcome=Outcome.ADOPTED,
        paragraph="§ 87",
        justering_date=date(2022, 6, 15),
        anslag_date=date(2022, 6, 16),
    )
    inputs = replace(PARENT, decisions=(StoredDecision(7, referral), StoredDecision(8, adoption)))

    finals = [
        d for d in evaluate(inputs, date(2022, 6, 20)).deadlines if d.kind is DeadlineKind.LEGALLY_FINAL
    ]

    assert [(d.key, d.due) for d in finals] == [("final:1401:8", date(2022, 7, 8))]
