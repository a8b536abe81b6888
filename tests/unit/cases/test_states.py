from datetime import date

import pytest

from cases.rules.report import ReportIn, check_report
from cases.rules.retention import due_for_removal, removal_date
from cases.rules.states import CaseState, Measure, PartyAsk, answer, close, review, send_to_parties
from core.errors import InvalidInput, NotAllowed

S = CaseState


def test_taking_a_received_report_puts_it_under_review_and_a_later_one_stays():
    assert review(S.RECEIVED) is S.UNDER_REVIEW
    assert review(S.SENT_TO_PARTIES) is S.SENT_TO_PARTIES
    with pytest.raises(NotAllowed):
        review(S.CLOSED)


def test_a_report_goes_to_parties_of_the_agreement_only_after_review():
    with pytest.raises(NotAllowed, match="granskning"):
        send_to_parties(S.RECEIVED, [], ["1401"], {"1401"})
    with pytest.raises(InvalidInput, match="minst en part"):
        send_to_parties(S.UNDER_REVIEW, [], [], {"1401"})
    with pytest.raises(InvalidInput, match="0180 är inte part"):
        send_to_parties(S.UNDER_REVIEW, [], ["0180"], {"1401"})
    assert send_to_parties(S.UNDER_REVIEW, [], ["1401"], {"1401", "14"}) is S.SENT_TO_PARTIES


def test_the_report_is_answered_when_every_party_asked_has_answered():
    asks = [PartyAsk("1401", True, False), PartyAsk("14", True, False), PartyAsk("1402", False, False)]
    assert answer(S.SENT_TO_PARTIES, asks, "1401", "Vi fick ingen kallelse.") is S.SENT_TO_PARTIES
    asks[0] = PartyAsk("1401", True, True)
    assert answer(S.SENT_TO_PARTIES, asks, "14", "Kallelsen gick till fel enhet.") is S.ANSWERED


def test_a_party_not_asked_cannot_answer_and_an_empty_answer_is_refused():
    asks = [PartyAsk("1401", True, False), PartyAsk("1402", False, False)]
    with pytest.raises(NotAllowed):
        answer(S.SENT_TO_PARTIES, asks, "1402", "text")
    with pytest.raises(InvalidInput):
        answer(S.SENT_TO_PARTIES, asks, "1401", "   ")


def test_a_partys_account_and_the_conclusion_hold_no_identity_number_and_no_more_than_a_page():
    asks = [PartyAsk("1401", True, False)]
    with pytest.raises(InvalidInput, match="”Partens beskrivning” innehåller ett personnummer") as refused:
        answer(S.SENT_TO_PARTIES, asks, "1401", "Gäller 19121212-1212.")
    assert refused.value.field == "answer"
    with pytest.raises(InvalidInput, match="”Slutsats” får vara högst 4000 tecken") as long:
        close(S.ANSWERED, "x" * 4001, "none")
    assert long.value.field == "conclusion"


def test_closing_needs_a_conclusion_and_a_measure_from_the_list():
    assert close(S.SENT_TO_PARTIES, "Rutinen var otydlig.", "clarification") == (
        S.CLOSED,
        Measure.CLARIFICATION,
    )
    with pytest.raises(InvalidInput, match="slutsatsen"):
        close(S.ANSWERED, "", "none")
    with pytest.raises(InvalidInput, match="åtgärd"):
        close(S.ANSWERED, "x", "något")
    with pytest.raises(NotAllowed):
        close(S.CLOSED, "x", "none")


def _report(**changes) -> ReportIn:
    base = dict(
        agreement_id=1,
        party_codes=("1401",),
        occurred_on=date(2026, 11, 2),
        what_happened="Ingen kallelse.",
        consequence="Fick vänta två dagar.",
        category="SIP",
    )
    return ReportIn(**{**base, **changes})


def _check(report):
    check_report(report, categories=("SIP",), agreement_parties={"1401", "14"}, today=date(2026, 11, 23))


def test_a_complete_report_passes():
    _check(_report())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"party_codes": ()}, "party_codes"),
        ({"party_codes": ("0180",)}, "party_codes"),
        ({"occurred_on": date(2026, 11, 24)}, "occurred_on"),
        ({"occurred_on": date(2020, 12, 31)}, "occurred_on"),
        ({"category": "Annat"}, "category"),
        ({"what_happened": " "}, "what_happened"),
        ({"consequence": "x" * 4001}, "consequence"),
        ({"what_happened": "Patienten 19121212-1212 fick vänta"}, "what_happened"),
    ],
)
def test_a_report_missing_something_names_the_field(changes, field):
    with pytest.raises(InvalidInput) as caught:
        _check(_report(**changes))
    assert caught.value.field == field


def test_a_report_is_cleared_the_set_number_of_months_after_closing():
    assert removal_date(date(2024, 2, 29), 24) == date(2026, 2, 28)
    assert not due_for_removal(date(2024, 11, 24), date(2026, 11, 23), 24)
    assert due_for_removal(date(2024, 11, 23), date(2026, 11, 23), 24)
    assert not due_for_removal(None, date(2030, 1, 1), 24)
