"""The whole evaluation of one agreement: here, what an annex's deadlines are."""

from __future__ import annotations

from datetime import date

from lifecycle.rules.agreement import AgreementInputs, evaluate
from lifecycle.rules.deadlines import DeadlineKind
from lifecycle.rules.model import AgreementKind, AgreementStatus
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
