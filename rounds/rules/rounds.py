"""Opening a round, answering it, closing it, and what its overview and deadlines are.

- A round asks a set of the agreement's parties (all of them by default) to answer by a date on
  or after the day it opens; a reply-by date that is a day off is allowed but said to be one
  (the parties' registries are closed: `lifecycle.rules.days`).
- Each party answers for itself ("varje kommun svarar för sig", seed 003): not started → draft →
  submitted, or declined ("avstår"). A submitted answer can be corrected, and a declined party
  can still answer, until the round closes; a draft cannot replace a submitted answer (the
  submitted one is a public record).
- A round closes with the secretariat's compilation, once; nothing changes after that.
- Deadlines, per party: until it has answered, its reply is due on the reply-by date and, if it
  has not answered `LATE_AFTER_DAYS` after, a late reminder; once it has answered, its event
  says so and reminds of nothing. A closed round has none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from core.errors import Conflict, InvalidInput, NotAllowed
from lifecycle.rules.days import is_day_off
from lifecycle.rules.swedish import genitive, sv_date
from rounds.rules.model import ANSWERED, SCALE, Answer, AnswerState, Question, QuestionKind, RoundFacts

# Not from a seed: a week after the reply-by date the late parties are reminded (once).
LATE_AFTER_DAYS = 7
# The deadline kinds a round stores (lifecycle.rules.deadlines.DeadlineKind has them too).
REPLY, LATE, ANSWERED_KIND = "round_reply", "round_late", "round_answered"


def check_dates(opened_on: date, reply_by: date) -> None:
    if reply_by < opened_on:
        raise InvalidInput(
            f"Sista svarsdag kan inte vara före dagen rundan öppnas ({reply_by} < {opened_on}).",
            field="reply_by",
        )


def check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise InvalidInput(
            "Ge rundan en rubrik, t.ex. ”Remiss: Överenskommelse om hemsjukvård”.", field="title"
        )
    return title


def group_asked(
    agreement_parties: Sequence[str],
    chosen: Iterable[str] | None,
    group: str,
    found: tuple[str, Iterable[str]] | None,
) -> tuple[str, ...]:
    """The parties a round for a group asks: its members among the agreement's parties (a
    kommunalförbund and its own members, seed 003). `found`: the group's short name and members,
    None when the structure has no such group. Not together with a list of parties."""
    if chosen is not None:
        raise InvalidInput("Ange antingen parter eller en grupp av parter, inte båda.", field="group")
    if found is None:
        raise InvalidInput(
            f"'{group}' är ingen grupp av parter i överenskommelsens samverkansstruktur.", field="group"
        )
    name, members = found
    asked = tuple(sorted(set(members) & set(agreement_parties)))
    if not asked:
        raise InvalidInput(f"Ingen av {genitive(name)} medlemmar är part i överenskommelsen.", field="group")
    return asked


def asked_parties(agreement_parties: Sequence[str], chosen: Iterable[str] | None) -> tuple[str, ...]:
    """The parties asked: all of the agreement's, or the chosen ones, which must be among them."""
    if chosen is None:
        picked = tuple(sorted(agreement_parties))
    else:
        picked = tuple(sorted(set(chosen)))
        strangers = sorted(set(picked) - set(agreement_parties))
        if strangers:
            raise InvalidInput(
                f"Parterna {', '.join(strangers)} är inte parter i överenskommelsen.", field="parties"
            )
    if not picked:
        raise InvalidInput("Välj minst en part att fråga.", field="parties")
    return picked


def reply_by_day_off(reply_by: date) -> bool:
    """Shown beside the date: a reply due on a Saturday, Sunday or holiday (lag 1930:173's days)."""
    return is_day_off(reply_by)


def check_open(facts: RoundFacts) -> None:
    if facts.closed_on is not None:
        raise NotAllowed(f"Rundan ”{facts.title}” stängdes {facts.closed_on}; den kan inte längre ändras.")


def next_state(current: AnswerState, wanted: AnswerState) -> AnswerState:
    """Refuse a draft over a submitted answer (correct it by submitting again) and a "not started"."""
    if wanted is AnswerState.NOT_STARTED:
        raise InvalidInput("Ett svar kan sparas som utkast, lämnas in eller avstås.", field="state")
    if wanted is AnswerState.DRAFT and current is AnswerState.SUBMITTED:
        raise Conflict(
            "Svaret är redan inlämnat. Rätta det genom att lämna in det igen; "
            "ett utkast kan inte ersätta det.",
            field="state",
        )
    return wanted


def check_questions_change(
    old: Sequence[Question], new: Sequence[Question], answers: Sequence[Answer]
) -> None:
    """The questions change only while no party has submitted an answer: a submitted answer is a
    public record of the questions it answered, and the answers side by side must answer the same."""
    if tuple(new) == tuple(old):
        return
    submitted = sum(1 for a in answers if a.state is AnswerState.SUBMITTED)
    if submitted:
        who = "en part har" if submitted == 1 else f"{submitted} parter har"
        raise Conflict(
            f"Frågorna kan inte ändras eftersom {who} redan lämnat in svar på dem. Rubrik, "
            "instruktioner och sista svarsdag går att ändra; öppna en ny runda för andra frågor.",
            field="questions",
        )


def kept_draft_values(
    old: Sequence[Question], new: Sequence[Question], values: dict[str, Any]
) -> dict[str, Any]:
    """What a draft keeps when the questions change: its answers to the questions that are still
    there with the same kind and options (a reworded question keeps its answer); every new
    question's key is there, None where it is open, as `questions.check_answers` stores them."""
    before = {q.key: (q.kind, q.options) for q in old}
    return {q.key: values.get(q.key) if before.get(q.key) == (q.kind, q.options) else None for q in new}


def check_decided_by(
    body: str, paragraph: str, case_number: str, decided_on: date | None, *, today: date
) -> None:
    """An answer decided by a body (Härryda's remissvar: välfärdsnämnden § 320, Dnr 2021VFN445,
    2021-12-15) names the body and the date together; the date is not in the future."""
    if (paragraph or case_number or decided_on) and not body.strip():
        raise InvalidInput(
            "Ange vilket organ som beslutade svaret, t.ex. Välfärdsnämnden.", field="decided_body"
        )
    if body.strip() and decided_on is None:
        raise InvalidInput("Ange datum för beslutet om svaret.", field="decided_on")
    if decided_on is not None and decided_on > today:
        raise InvalidInput(
            f"Beslutsdatum kan inte vara senare än i dag ({decided_on} > {today}).", field="decided_on"
        )


def check_close(facts: RoundFacts, compilation: str, closed_on: date) -> str:
    check_open(facts)
    text = compilation.strip()
    if not text:
        raise InvalidInput(
            "Skriv sammanställningen av svaren innan rundan stängs: den publiceras med rundan.",
            field="compilation",
        )
    if closed_on < facts.opened_on:
        raise InvalidInput(
            f"Rundan kan inte stängas före dagen den öppnades ({closed_on} < {facts.opened_on}).",
            field="closed_on",
        )
    return text


def is_late(answer: Answer, reply_by: date, today: date) -> bool:
    return answer.state not in ANSWERED and today > reply_by


@dataclass(frozen=True, slots=True)
class QuestionSummary:
    """The submitted answers to one question, side by side: per party, and counted."""

    question: Question
    by_party: dict[str, Any]  # party code → value (submitted answers only)
    counts: dict[str, int] = field(default_factory=dict)  # choice, yes/no, scale: value → count
    total: Decimal | None = None  # numbers
    mean: Decimal | None = None  # numbers and scales


@dataclass(frozen=True, slots=True)
class Overview:
    asked: int
    counts: dict[AnswerState, int]
    answered: int  # submitted or declined
    late: tuple[str, ...]
    questions: tuple[QuestionSummary, ...]


def _summary(question: Question, submitted: Sequence[Answer]) -> QuestionSummary:
    by_party = {
        a.party_code: a.values.get(question.key) for a in submitted if a.values.get(question.key) is not None
    }
    values = list(by_party.values())
    if question.kind is QuestionKind.CHOICE:
        counted = Counter(values)
        return QuestionSummary(question, by_party, {o: counted.get(o, 0) for o in question.options})
    if question.kind is QuestionKind.YES_NO:
        return QuestionSummary(question, by_party, {"ja": values.count(True), "nej": values.count(False)})
    if question.kind is QuestionKind.SCALE:
        counted = Counter(values)
        mean = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")) if values else None
        return QuestionSummary(question, by_party, {str(s): counted.get(s, 0) for s in SCALE}, mean=mean)
    if question.kind is QuestionKind.NUMBER:
        numbers = [Decimal(v) for v in values]
        total = sum(numbers, Decimal(0)) if numbers else None
        mean = (total / len(numbers)).quantize(Decimal("0.01")) if total is not None else None
        return QuestionSummary(question, by_party, total=total, mean=mean)
    return QuestionSummary(question, by_party)


def overview(
    questions: Sequence[Question], answers: Sequence[Answer], reply_by: date, today: date
) -> Overview:
    """Parties × state with counts, who is late, and the submitted answers per question."""
    counts = Counter(a.state for a in answers)
    submitted = [a for a in answers if a.state is AnswerState.SUBMITTED]
    return Overview(
        asked=len(answers),
        counts={s: counts.get(s, 0) for s in AnswerState},
        answered=sum(counts.get(s, 0) for s in ANSWERED),
        late=tuple(sorted(a.party_code for a in answers if is_late(a, reply_by, today))),
        questions=tuple(_summary(q, submitted) for q in questions),
    )


@dataclass(frozen=True, slots=True)
class RoundDeadline:
    """A row for the `deadline` table: key unique per agreement, one party each."""

    key: str
    kind: str
    due: date
    party_code: str
    title: str


def deadlines(facts: RoundFacts, answers: Sequence[Answer]) -> list[RoundDeadline]:
    """Each asked party's deadline; none once the round is closed (the rows are then cancelled)."""
    if facts.closed_on is not None:
        return []
    found = []
    late_on = facts.reply_by + timedelta(days=LATE_AFTER_DAYS)
    for a in sorted(answers, key=lambda a: a.party_code):
        key = f"round:{facts.id}:{a.party_code}"
        if a.state in ANSWERED:
            word = "Besvarad" if a.state is AnswerState.SUBMITTED else "Avstår"
            found.append(
                RoundDeadline(key, ANSWERED_KIND, facts.reply_by, a.party_code, f"{word}: {facts.title}")
            )
            continue
        found.append(
            RoundDeadline(
                key,
                REPLY,
                facts.reply_by,
                a.party_code,
                f"Svara senast {sv_date(facts.reply_by)}: {facts.title}",
            )
        )
        found.append(
            RoundDeadline(
                f"round_late:{facts.id}:{a.party_code}",
                LATE,
                late_on,
                a.party_code,
                f"Svaret är försenat (skulle ha lämnats senast {facts.reply_by}): {facts.title}",
            )
        )
    return found
