"""Many into one (seed 004: 17 agreements into about seven): the replaced agreement ends the day
before its replacement enters into force, and the replacements may not run in a circle."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import Conflict, InvalidInput
from lifecycle.rules.agreement import AgreementInputs, evaluate
from lifecycle.rules.deadlines import Deadline, DeadlineKind
from lifecycle.rules.model import AgreementKind, AgreementStatus
from lifecycle.rules.replacement import (
    ReplacementFacts,
    check_replacements,
    deadlines_until_replaced,
    is_replaced,
    last_day_before,
    stored_status,
)
from lifecycle.rules.term import UntilFurtherNotice

NEW = ReplacementFacts(10, "Samverkan kring personer på särskilt boende", "stockholm")
LOGOPEDI = ReplacementFacts(1, "Logopedinsatser och medicinsk fotvård", "stockholm")
MUNHALSA = ReplacementFacts(2, "Munhälsa", "stockholm")
VG = ReplacementFacts(3, "Hälso- och sjukvårdsavtal", "vastra-gotaland")


def test_the_replaced_agreement_ends_the_day_before_the_new_one_enters_into_force():
    assert last_day_before(date(2028, 1, 1)) == date(2027, 12, 31)
    assert last_day_before(None) is None
    assert not is_replaced(date(2028, 1, 1), date(2027, 12, 31))
    assert is_replaced(date(2028, 1, 1), date(2028, 1, 1))
    assert not is_replaced(None, date(2030, 1, 1))


def test_several_agreements_of_the_structure_may_be_replaced_by_one_each_once():
    known = {a.id: a for a in (NEW, LOGOPEDI, MUNHALSA)}
    assert check_replacements(NEW, [2, 1, 2], known) == (2, 1)
    assert check_replacements(NEW, [], known) == ()


@pytest.mark.parametrize(
    ("replaces", "known", "error", "message"),
    [
        ([10], [NEW], InvalidInput, "En överenskommelse kan inte ersätta sig själv."),
        ([99], [NEW], InvalidInput, "Det finns ingen överenskommelse med id 99."),
        (
            [3],
            [NEW, VG],
            InvalidInput,
            "”Hälso- och sjukvårdsavtal” hör till en annan samverkansstruktur och kan inte ersättas "
            "av ”Samverkan kring personer på särskilt boende”.",
        ),
        (
            [1],
            [
                NEW,
                ReplacementFacts(1, "Logopedinsatser och medicinsk fotvård", "stockholm", replaced_by=20),
                ReplacementFacts(20, "Äldre, sammanhållen", "stockholm"),
            ],
            Conflict,
            "”Logopedinsatser och medicinsk fotvård” ersätts redan av ”Äldre, sammanhållen”.",
        ),
    ],
)
def test_a_replacement_that_cannot_be_is_refused_in_swedish(replaces, known, error, message):
    with pytest.raises(error) as refused:
        check_replacements(NEW, replaces, {a.id: a for a in known})
    assert str(refused.value) == message


def test_an_agreement_cannot_replace_the_one_that_replaces_it_even_through_another():
    # 10 is replaced by 11, which is replaced by 12: 10 cannot replace 12
    new = ReplacementFacts(10, "A", "stockholm", replaced_by=11)
    known = {
        10: new,
        11: ReplacementFacts(11, "B", "stockholm", replaced_by=12),
        12: ReplacementFacts(12, "C", "stockholm"),
    }
    with pytest.raises(InvalidInput) as refused:
        check_replacements(new, [12], known)
    assert str(refused.value).startswith("”C” ersätter redan ”A” (direkt eller genom en annan")


def test_only_the_deadlines_up_to_the_last_day_stay():
    deadlines = [
        Deadline("follow_up_annual:2027", DeadlineKind.FOLLOW_UP_ANNUAL, date(2027, 11, 15), None, "x"),
        Deadline("follow_up_annual:2028", DeadlineKind.FOLLOW_UP_ANNUAL, date(2028, 11, 15), None, "x"),
    ]
    kept = deadlines_until_replaced(deadlines, date(2028, 1, 1))
    assert [d.key for d in kept] == ["follow_up_annual:2027"]
    assert deadlines_until_replaced(deadlines, None) == tuple(deadlines)


def _logopedi(replaced_from: date | None) -> AgreementInputs:
    return AgreementInputs(
        id=1,
        structure="stockholm",
        kind=AgreementKind.AGREEMENT,
        status=AgreementStatus.ACTIVE,
        parties=("01", "0180"),
        term=UntilFurtherNotice(date(2014, 1, 1), 6),
        declared_in_force_from=date(2014, 1, 1),
        annual_follow_up=None,
        replaced_from=replaced_from,
    )


def test_a_replaced_agreement_runs_to_the_day_before_and_is_ended_from_the_replacements_entry():
    before = evaluate(_logopedi(date(2028, 1, 1)), date(2027, 6, 1))
    assert before.term.runs_until == date(2027, 12, 31)
    assert before.term.ends_on == date(2027, 12, 31)
    assert not before.term.ended
    after = evaluate(_logopedi(date(2028, 1, 1)), date(2028, 1, 1))
    assert after.term.ended
    assert after.deadlines == ()
    assert [w.kind for w in after.warnings] == []
    unreplaced = evaluate(_logopedi(None), date(2028, 1, 1))
    assert unreplaced.term.runs_until is None and not unreplaced.term.ended


def test_the_register_stores_a_replaced_agreement_as_ended_from_its_replacements_first_day():
    # the replacement enters into force on 1 January 2027
    assert stored_status(AgreementStatus.ACTIVE, date(2027, 1, 1), date(2026, 12, 31)) == (
        AgreementStatus.ACTIVE,
        None,
    )
    assert stored_status(AgreementStatus.ACTIVE, date(2027, 1, 1), date(2027, 1, 1)) == (
        AgreementStatus.ENDED,
        AgreementStatus.ACTIVE,
    )
    assert stored_status(AgreementStatus.DRAFT, date(2027, 1, 1), date(2027, 3, 1)) == (
        AgreementStatus.ENDED,
        AgreementStatus.DRAFT,
    )
    # without a day of entry into force, it stays as the register has it
    assert stored_status(AgreementStatus.ACTIVE, None, date(2027, 3, 1)) == (AgreementStatus.ACTIVE, None)


def test_a_withdrawn_or_already_ended_agreement_is_stored_as_it_is():
    for own in (AgreementStatus.WITHDRAWN, AgreementStatus.ENDED):
        assert stored_status(own, date(2027, 1, 1), date(2027, 3, 1)) == (own, None)
