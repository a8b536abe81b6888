"""The rounds' web forms: what was typed into the services' input structs, errors by field."""

from __future__ import annotations

from api.pages.forms import Form, FormInvalid, _date
from core.errors import DomainError
from lifecycle.views import Link
from rounds.rules.questions import MAX_QUESTIONS
from rounds.views import AnswerIn, CloseIn, QuestionIn, RoundIn, RoundPatch, StructureRoundIn

ANSWER_FIELDS = (
    "comment",
    "decided_body",
    "decided_paragraph",
    "decided_case_number",
    "decided_on",
    "link_title",
    "link_url",
)
ROUND_FIELDS = ("kind", "title", "reply_by", "instructions", "link_title", "link_url", "asked", "group")
# Whom a new round asks: every party of the agreement, a group's members among them, or the
# parties ticked. A form that does not say (as before the choice) asks the ticked ones.
ASKED = ("all", "group", "chosen")
QUESTION_ROWS = 5  # blank question rows on the form to open a round
CLOSE_FIELDS = ("compilation", "link_title", "link_url")
STATES = {"draft", "submitted", "declined"}


EDIT_FIELDS = ("title", "reply_by", "instructions")


def question_fields(rows: int = QUESTION_ROWS) -> tuple[str, ...]:
    return tuple(
        f"{part}{n}"
        for n in range(1, rows + 1)
        for part in ("question_text", "question_kind", "question_options")
    )


def edit_rows(questions: int) -> int:
    """The edit form's question rows: every question and a blank one, at least `QUESTION_ROWS`."""
    return min(max(QUESTION_ROWS, questions + 1), MAX_QUESTIONS)


def sent_rows(data: dict) -> int:
    """How many question rows a form sent (0: it sent none, the questions stay as they are)."""
    numbers = [int(k[13:]) for k in data if k.startswith("question_text") and k[13:].isdigit()]
    return min(max(numbers, default=0), MAX_QUESTIONS)


def question_values(questions) -> dict[str, str]:
    """A round's questions as the form's rows show them."""
    values = {}
    for n, q in enumerate(questions, start=1):
        values[f"question_text{n}"] = q.text
        values[f"question_kind{n}"] = q.kind
        values[f"question_options{n}"] = "; ".join(q.options)
    return values


def fail(form: Form, exc: DomainError | FormInvalid) -> Form:
    """A rule's field beside its field: `answers.q2` beside q2, `questions.3` beside row 3."""
    if isinstance(exc, FormInvalid):
        form.errors = dict(exc.errors)
        return form
    name = exc.field or ""
    if name.startswith("answers."):
        name = name.removeprefix("answers.")
        form.values.setdefault(name, "")  # a question left open was not sent at all
    elif name.startswith("questions."):
        name = f"question_text{name.removeprefix('questions.')}"
    elif name == "links":
        name = "link_url"
    elif name in ("questions", "parties"):
        form.values.setdefault(name, "")  # the questions' or the parties' fieldset shows it
    form.errors = {name if name in form.values else "": exc.message}
    return form


def _links(values: dict[str, str]) -> list[Link]:
    url = values.get("link_url", "")
    if not url:
        return []
    return [Link(title=values.get("link_title") or url, url=url)]


def answer_in(values: dict[str, str], state: str) -> AnswerIn:
    errors: dict[str, str] = {}
    if state not in STATES:
        errors[""] = "Välj om svaret ska sparas som utkast, lämnas in eller om parten avstår."
    decided_on = _date(values, "decided_on", "beslutsdatum", errors, required=False)
    if errors:
        raise FormInvalid(errors)
    return AnswerIn(
        state=state,
        answers={k: v for k, v in values.items() if k.startswith("q") and k[1:].isdigit() and v},
        comment=values.get("comment", ""),
        links=_links(values),
        decided_body=values.get("decided_body", ""),
        decided_paragraph=values.get("decided_paragraph", ""),
        decided_case_number=values.get("decided_case_number", ""),
        decided_on=decided_on,
    )


def round_in(agreement_id: int, values: dict[str, str], parties: list[str]) -> RoundIn:
    return RoundIn(agreement_id=agreement_id, **_round_fields(values, parties))


def structure_round_in(values: dict[str, str], parties: list[str]) -> StructureRoundIn:
    return StructureRoundIn(**_round_fields(values, parties))


def _round_fields(values: dict[str, str], parties: list[str]) -> dict:
    errors: dict[str, str] = {}
    if not values.get("kind"):
        errors["kind"] = "Välj vad rundan gäller."
    reply_by = _date(values, "reply_by", "sista svarsdag", errors, required=True)
    questions = _questions(values, QUESTION_ROWS)
    asked = values.get("asked") or "chosen"
    group = (values.get("group") or None) if asked == "group" else None
    if asked not in ASKED:
        errors["asked"] = "Välj vilka parter som tillfrågas: alla, en grupp eller utvalda parter."
    elif asked == "group" and group is None:
        errors["group"] = "Välj vilken grupp av parter som ska tillfrågas."
    if errors:
        raise FormInvalid(errors)
    return {
        "kind": values["kind"],
        "title": values.get("title", ""),
        "reply_by": reply_by,
        "instructions": values.get("instructions", ""),
        "links": _links(values),
        "parties": parties if asked == "chosen" else None,
        "group": group,
        "questions": questions,
    }


def _questions(values: dict[str, str], rows: int) -> list[QuestionIn]:
    """The filled rows' questions (a blank row is none)."""
    questions = []
    for n in range(1, rows + 1):
        text = values.get(f"question_text{n}", "")
        if not text:
            continue
        options = [o.strip() for o in values.get(f"question_options{n}", "").split(";") if o.strip()]
        questions.append(
            QuestionIn(kind=values.get(f"question_kind{n}") or "text", text=text, options=options)
        )
    return questions


def round_patch(values: dict[str, str], rows: int) -> RoundPatch:
    """The edit form's change; its questions only when it sent their rows (`rows` > 0)."""
    errors: dict[str, str] = {}
    reply_by = _date(values, "reply_by", "sista svarsdag", errors, required=True)
    if errors:
        raise FormInvalid(errors)
    return RoundPatch(
        title=values.get("title", ""),
        instructions=values.get("instructions", ""),
        reply_by=reply_by,
        questions=_questions(values, rows) if rows else None,
    )


def close_in(values: dict[str, str]) -> CloseIn:
    return CloseIn(compilation=values.get("compilation", ""), links=_links(values))
