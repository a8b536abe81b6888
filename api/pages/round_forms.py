"""The rounds' web forms: what was typed into the services' input structs, errors by field."""

from __future__ import annotations

from api.pages.forms import Form, FormInvalid, _date
from core.errors import DomainError
from lifecycle.views import Link
from rounds.views import AnswerIn, CloseIn, QuestionIn, RoundIn

ANSWER_FIELDS = (
    "comment",
    "decided_body",
    "decided_paragraph",
    "decided_case_number",
    "decided_on",
    "link_title",
    "link_url",
)
ROUND_FIELDS = ("kind", "title", "reply_by", "instructions", "link_title", "link_url")
QUESTION_ROWS = 5  # blank question rows on the form to open a round
CLOSE_FIELDS = ("compilation", "link_title", "link_url")
STATES = {"draft", "submitted", "declined"}


def question_fields() -> tuple[str, ...]:
    return tuple(
        f"{part}{n}"
        for n in range(1, QUESTION_ROWS + 1)
        for part in ("question_text", "question_kind", "question_options")
    )


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
    errors: dict[str, str] = {}
    if not values.get("kind"):
        errors["kind"] = "Välj vad rundan gäller."
    reply_by = _date(values, "reply_by", "sista svarsdag", errors, required=True)
    questions = []
    for n in range(1, QUESTION_ROWS + 1):
        text = values.get(f"question_text{n}", "")
        if not text:
            continue
        options = [o.strip() for o in values.get(f"question_options{n}", "").split(";") if o.strip()]
        questions.append(
            QuestionIn(kind=values.get(f"question_kind{n}") or "text", text=text, options=options)
        )
    if errors:
        raise FormInvalid(errors)
    return RoundIn(
        agreement_id=agreement_id,
        kind=values["kind"],
        title=values.get("title", ""),
        reply_by=reply_by,
        instructions=values.get("instructions", ""),
        links=_links(values),
        parties=parties,
        questions=questions,
    )


def close_in(values: dict[str, str]) -> CloseIn:
    return CloseIn(compilation=values.get("compilation", ""), links=_links(values))
