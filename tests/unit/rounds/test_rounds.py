from datetime import date

import pytest

from core.errors import Conflict, InvalidInput, NotAllowed
from rounds.rules.model import Answer, AnswerState, RoundFacts, RoundKind
from rounds.rules.questions import questions
from rounds.rules.rounds import (
    LATE,
    REPLY,
    asked_parties,
    check_close,
    check_dates,
    check_decided_by,
    check_questions_change,
    deadlines,
    kept_draft_values,
    next_state,
    overview,
    reply_by_day_off,
)

S, D, N, X = AnswerState.SUBMITTED, AnswerState.DRAFT, AnswerState.NOT_STARTED, AnswerState.DECLINED
FACTS = RoundFacts(7, "Remiss: Hemsjukvård", RoundKind.REMISS, date(2026, 11, 2), date(2026, 12, 15))


def test_all_of_the_agreements_parties_are_asked_by_default():
    assert asked_parties(["1880", "18", "1814"], None) == ("18", "1814", "1880")


def test_a_chosen_party_outside_the_agreement_is_refused():
    with pytest.raises(InvalidInput, match="1401 är inte parter"):
        asked_parties(["18", "1880"], ["1880", "1401"])
    with pytest.raises(InvalidInput, match="minst en part"):
        asked_parties(["18"], [])


def test_the_reply_cannot_be_due_before_the_round_opens():
    check_dates(date(2026, 11, 2), date(2026, 11, 2))
    with pytest.raises(InvalidInput, match="före dagen rundan öppnas") as error:
        check_dates(date(2026, 11, 2), date(2026, 11, 1))
    assert error.value.field == "reply_by"


def test_a_reply_due_on_a_saturday_or_on_christmas_eve_is_on_a_day_off():
    assert reply_by_day_off(date(2026, 12, 12))  # a Saturday
    assert reply_by_day_off(date(2026, 12, 24))  # julafton
    assert not reply_by_day_off(date(2026, 12, 15))  # a Tuesday


def test_a_draft_cannot_replace_a_submitted_answer_but_a_new_submission_corrects_it():
    assert next_state(N, D) is D
    assert next_state(S, S) is S
    assert next_state(X, S) is S
    with pytest.raises(Conflict, match="redan inlämnat"):
        next_state(S, D)
    with pytest.raises(InvalidInput):
        next_state(D, N)


def test_an_answer_decided_by_a_body_names_it_and_a_date_not_ahead():
    # Härryda's remissvar: välfärdsnämnden § 320, Dnr 2021VFN445, 2021-12-15 (seed 003)
    check_decided_by("Välfärdsnämnden", "§ 320", "2021VFN445", date(2021, 12, 15), today=date(2022, 1, 10))
    check_decided_by("", "", "", None, today=date(2022, 1, 10))
    with pytest.raises(InvalidInput, match="vilket organ") as error:
        check_decided_by("", "§ 320", "", date(2021, 12, 15), today=date(2022, 1, 10))
    assert error.value.field == "decided_body"
    with pytest.raises(InvalidInput, match="datum för beslutet"):
        check_decided_by("Välfärdsnämnden", "", "", None, today=date(2022, 1, 10))
    with pytest.raises(InvalidInput, match="senare än i dag"):
        check_decided_by("Välfärdsnämnden", "", "", date(2022, 1, 11), today=date(2022, 1, 10))


def test_closing_needs_the_compilation_and_happens_once():
    assert check_close(FACTS, "  Sammanställning ", date(2026, 12, 20)) == "Sammanställning"
    with pytest.raises(InvalidInput, match="sammanställningen"):
        check_close(FACTS, " ", date(2026, 12, 20))
    with pytest.raises(InvalidInput, match="före dagen den öppnades"):
        check_close(FACTS, "x", date(2026, 11, 1))
    closed = RoundFacts(7, "R", RoundKind.REMISS, date(2026, 11, 2), date(2026, 12, 15), date(2026, 12, 20))
    with pytest.raises(NotAllowed, match="stängdes 2026-12-20"):
        check_close(closed, "x", date(2026, 12, 21))


QS = questions(
    [
        {"kind": "choice", "text": "Alternativ?", "options": ["A", "B"]},
        {"kind": "scale", "text": "Tydlighet?"},
        {"kind": "number", "text": "Antal?"},
    ]
)
ANSWERS = [
    Answer("1880", S, {"q1": "A", "q2": 4, "q3": "10"}),
    Answer("1814", S, {"q1": "A", "q2": 5, "q3": "2.5"}),
    Answer("18", X),
    Answer("1860", D, {"q1": "B", "q2": 1, "q3": "100"}),  # a draft: not counted
    Answer("1861", N),
]


def test_the_overview_counts_states_and_compares_only_submitted_answers():
    o = overview(QS, ANSWERS, date(2026, 12, 15), date(2026, 12, 16))
    assert (o.asked, o.answered) == (5, 3)
    assert o.counts == {N: 1, D: 1, S: 2, X: 1}
    assert o.late == ("1860", "1861")
    choice, scale, number = o.questions
    assert choice.counts == {"A": 2, "B": 0}
    assert choice.by_party == {"1880": "A", "1814": "A"}
    assert scale.counts == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}
    assert str(scale.mean) == "4.5"
    assert (str(number.total), str(number.mean)) == ("12.5", "6.25")


def test_nobody_is_late_on_the_reply_by_day_itself():
    assert overview(QS, ANSWERS, date(2026, 12, 15), date(2026, 12, 15)).late == ()


def test_each_party_that_has_not_answered_has_a_reply_and_a_late_deadline_the_others_an_answered_event():
    found = {(d.key, d.kind, d.due) for d in deadlines(FACTS, ANSWERS)}
    assert found == {
        ("round:7:1880", "round_answered", date(2026, 12, 15)),
        ("round:7:1814", "round_answered", date(2026, 12, 15)),
        ("round:7:18", "round_answered", date(2026, 12, 15)),
        ("round:7:1860", REPLY, date(2026, 12, 15)),
        ("round_late:7:1860", LATE, date(2026, 12, 22)),
        ("round:7:1861", REPLY, date(2026, 12, 15)),
        ("round_late:7:1861", LATE, date(2026, 12, 22)),
    }
    titles = {d.key: d.title for d in deadlines(FACTS, ANSWERS)}
    assert titles["round:7:18"] == "Avstår: Remiss: Hemsjukvård"
    assert titles["round:7:1880"] == "Besvarad: Remiss: Hemsjukvård"
    assert titles["round:7:1860"] == "Svara senast 15 december 2026: Remiss: Hemsjukvård"


def test_a_closed_round_has_no_deadlines():
    closed = RoundFacts(7, "R", RoundKind.REMISS, date(2026, 11, 2), date(2026, 12, 15), date(2026, 12, 20))
    assert deadlines(closed, ANSWERS) == []


EDITED = questions(
    [
        {"kind": "yes_no", "text": "Står ni bakom förslaget i sin helhet?"},  # reworded
        {"kind": "choice", "text": "Vilken modell?", "options": ["Gemensam", "Lokal", "Båda"]},
        {"kind": "number", "text": "Hur många platser?"},
    ]
)
ASKED = questions(
    [
        {"kind": "yes_no", "text": "Står ni bakom förslaget?"},
        {"kind": "choice", "text": "Vilken modell?", "options": ["Gemensam", "Lokal"]},
    ]
)


def test_the_questions_change_while_only_drafts_and_declines_are_in():
    answers = [Answer("1401", D, {"q1": True}), Answer("1402", X), Answer("1480", N)]
    check_questions_change(ASKED, EDITED, answers)  # no error


def test_the_questions_cannot_change_once_a_party_has_submitted():
    answers = [Answer("1401", S, {"q1": True, "q2": "Lokal"}), Answer("1402", S), Answer("1480", D)]
    with pytest.raises(Conflict, match="2 parter har redan lämnat in svar") as refused:
        check_questions_change(ASKED, EDITED, answers)
    assert refused.value.field == "questions"


def test_the_same_questions_sent_again_are_no_change_after_a_submission():
    check_questions_change(
        ASKED,
        questions([{"kind": q.kind, "text": q.text, "options": q.options} for q in ASKED]),
        [Answer("1401", S)],
    )


def test_a_draft_keeps_the_answers_to_questions_of_the_same_kind_and_options():
    kept = kept_draft_values(ASKED, EDITED, {"q1": True, "q2": "Lokal"})
    # the reworded yes/no keeps its answer; the choice got an option, so its answer goes; q3 is new
    assert kept == {"q1": True, "q2": None, "q3": None}
