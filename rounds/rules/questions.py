"""A round's questions, and checking one party's answer to them.

Questions make answers comparable across the parties (free text, yes/no, one choice, a number, a
1–5 scale). A draft may leave questions open; a submitted answer answers every question. Every
message names the question, and its field is `answers.<key>` so a form shows it beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from core.errors import InvalidInput
from rounds.rules.model import SCALE, Question, QuestionKind

KIND_NAMES = {
    QuestionKind.TEXT: "fritext",
    QuestionKind.YES_NO: "ja/nej",
    QuestionKind.CHOICE: "ett val",
    QuestionKind.NUMBER: "ett tal",
    QuestionKind.SCALE: "en skala 1–5",
}
YES, NO = "ja", "nej"
MAX_QUESTIONS = 30  # not from a seed: a remiss asks a handful; a survey more, never hundreds
MAX_TEXT = 20_000  # characters in one free-text answer (a remissvar of several pages)


def questions(raw: Sequence[Mapping[str, Any]]) -> tuple[Question, ...]:
    """Questions from their input (`kind`, `text`, `options` for a choice), keyed q1, q2, ..."""
    if len(raw) > MAX_QUESTIONS:
        raise InvalidInput(f"En runda kan ha högst {MAX_QUESTIONS} frågor.", field="questions")
    found = []
    for index, item in enumerate(raw, start=1):
        where = f"questions.{index}"
        text = str(item.get("text") or "").strip()
        if not text:
            raise InvalidInput(f"Fråga {index} saknar text.", field=where)
        try:
            kind = QuestionKind(item.get("kind"))
        except ValueError:
            allowed = ", ".join(k.value for k in QuestionKind)
            raise InvalidInput(
                f"Fråga {index} har en okänd typ ”{item.get('kind')}”. Tillåtna: {allowed}.", field=where
            ) from None
        options = tuple(str(o).strip() for o in item.get("options") or () if str(o).strip())
        if kind is QuestionKind.CHOICE:
            if len(options) < 2:
                raise InvalidInput(f"Fråga {index} (ett val) behöver minst två svarsalternativ.", field=where)
            if len(set(options)) != len(options):
                raise InvalidInput(f"Fråga {index} har samma svarsalternativ två gånger.", field=where)
        elif options:
            raise InvalidInput(
                f"Fråga {index} är {KIND_NAMES[kind]} och kan inte ha svarsalternativ.", field=where
            )
        found.append(Question(f"q{index}", kind, text, options))
    return tuple(found)


def _value(question: Question, number: int, raw: Any) -> Any:
    """One answer as stored (str, bool, int, str of a decimal); None when left open."""
    field = f"answers.{question.key}"
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    name = f"Svaret på fråga {number}"
    if question.kind is QuestionKind.TEXT:
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            raise InvalidInput(f"{name} är för långt (högst {MAX_TEXT} tecken).", field=field)
        return text
    if question.kind is QuestionKind.YES_NO:
        if isinstance(raw, bool):
            return raw
        if str(raw).strip().lower() in (YES, NO):
            return str(raw).strip().lower() == YES
        raise InvalidInput(f"{name} ska vara ja eller nej, inte ”{raw}”.", field=field)
    if question.kind is QuestionKind.CHOICE:
        if str(raw) in question.options:
            return str(raw)
        raise InvalidInput(
            f"{name} ska vara ett av alternativen ({', '.join(question.options)}), inte ”{raw}”.", field=field
        )
    if question.kind is QuestionKind.SCALE:
        try:
            value = int(str(raw).strip())
        except ValueError:
            value = None
        if value not in SCALE:
            raise InvalidInput(f"{name} ska vara en siffra från 1 till 5, inte ”{raw}”.", field=field)
        return value
    try:  # a number: "12", "3,5" (Swedish decimal comma) or "3.5"
        if isinstance(raw, bool):
            raise InvalidOperation
        value = Decimal(str(raw).strip().replace(",", ".").replace(" ", ""))
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise InvalidInput(
            f"{name} ska vara ett tal, t.ex. 12 eller 3,5, inte ”{raw}”.", field=field
        ) from None
    return str(value)


def check_answers(qs: Sequence[Question], raw: Mapping[str, Any], *, complete: bool) -> dict[str, Any]:
    """The answers as stored, every question's key present (None: open). `complete`: refuse an
    open question (a submitted answer); a draft may leave them open."""
    unknown = sorted(set(raw) - {q.key for q in qs})
    if unknown:
        raise InvalidInput(f"Rundan har ingen fråga {', '.join(unknown)}.", field="answers")
    values = {}
    for number, question in enumerate(qs, start=1):
        value = _value(question, number, raw.get(question.key))
        if value is None and complete:
            raise InvalidInput(
                f"Besvara fråga {number} (”{question.text}”) innan svaret lämnas in, "
                "eller spara det som utkast.",
                field=f"answers.{question.key}",
            )
        values[question.key] = value
    return values
