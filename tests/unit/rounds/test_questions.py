from decimal import Decimal

import pytest

from core.errors import InvalidInput
from rounds.rules.model import Question, QuestionKind
from rounds.rules.questions import check_answers, questions

QS = questions(
    [
        {"kind": "yes_no", "text": "Ställer ni er bakom förslaget?"},
        {"kind": "choice", "text": "Vilket alternativ?", "options": ["A", "B", "C"]},
        {"kind": "scale", "text": "Hur tydligt är ansvaret?"},
        {"kind": "number", "text": "Antal ärenden 2026"},
        {"kind": "text", "text": "Synpunkter"},
    ]
)


def test_questions_are_keyed_in_order_and_keep_their_options():
    assert [q.key for q in QS] == ["q1", "q2", "q3", "q4", "q5"]
    assert QS[1] == Question("q2", QuestionKind.CHOICE, "Vilket alternativ?", ("A", "B", "C"))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"kind": "text", "text": " "}, "Fråga 1 saknar text."),
        ({"kind": "essay", "text": "x"}, "Fråga 1 har en okänd typ ”essay”"),
        ({"kind": "choice", "text": "x", "options": ["A"]}, "minst två svarsalternativ"),
        ({"kind": "choice", "text": "x", "options": ["A", "A"]}, "samma svarsalternativ två gånger"),
        ({"kind": "scale", "text": "x", "options": ["A", "B"]}, "kan inte ha svarsalternativ"),
    ],
)
def test_a_malformed_question_is_refused_by_number(raw, message):
    with pytest.raises(InvalidInput, match=message) as error:
        questions([raw])
    assert error.value.field == "questions.1"


def test_a_complete_answer_is_stored_typed():
    values = check_answers(
        QS, {"q1": "Ja", "q2": "B", "q3": "4", "q4": "3,5", "q5": "  Bra förslag. "}, complete=True
    )
    assert values == {"q1": True, "q2": "B", "q3": 4, "q4": "3.5", "q5": "Bra förslag."}
    assert Decimal(values["q4"]) == Decimal("3.5")


def test_a_draft_may_leave_questions_open_but_a_submitted_answer_may_not():
    assert check_answers(QS, {"q1": False}, complete=False) == {
        "q1": False,
        "q2": None,
        "q3": None,
        "q4": None,
        "q5": None,
    }
    with pytest.raises(InvalidInput, match="Besvara fråga 2") as error:
        check_answers(QS, {"q1": False}, complete=True)
    assert error.value.field == "answers.q2"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("q1", "kanske", "ska vara ja eller nej"),
        ("q2", "D", "ska vara ett av alternativen"),
        ("q3", "6", "från 1 till 5"),
        ("q3", "tre", "från 1 till 5"),
        ("q4", "många", "ska vara ett tal"),
        ("q4", "NaN", "ska vara ett tal"),
    ],
)
def test_a_wrong_answer_names_its_question(key, value, message):
    with pytest.raises(InvalidInput, match=message) as error:
        check_answers(QS, {key: value}, complete=False)
    assert error.value.field == f"answers.{key}"


def test_an_answer_to_a_question_the_round_does_not_have_is_refused():
    with pytest.raises(InvalidInput, match="ingen fråga q9"):
        check_answers(QS, {"q9": "x"}, complete=False)
