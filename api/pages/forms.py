"""The web forms: reading what was typed into the services' input structs, with an error per field.

Nothing typed is lost: a form that fails comes back with `values` (exactly as typed) and
`errors` (field name → Swedish message), whether the mistake is in the form (a date that is not
a date) or in the rules (a `DomainError` naming its field).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated

from litestar.enums import RequestEncodingType
from litestar.params import Body

from cases.rules.report import ReportIn
from core.errors import DomainError
from lifecycle.views import DecisionIn, GroupRecommendationIn, NoticeIn, ProposalIn, StepIn

# A form with checkboxes: a field ticked more than once comes as a list.
FormList = Annotated[dict[str, str | list[str]], Body(media_type=RequestEncodingType.URL_ENCODED)]

# The form's own fields: everything else the browser sends (the CSRF token) is not kept.
DECISION_FIELDS = (
    "party_code",
    "agreement_id",
    "body",
    "meeting_date",
    "outcome",
    "paragraph",
    "case_number",
    "justering_date",
    "anslag_date",
    "note",
    "covers",  # the ticked annexes and related documents, "12,13" (`ticked`)
    "existing_decision",  # set when the rule asked whether a repeat decision corrects that one
    "repeat",  # "correct" (replaces the existing decision) or "new" (confirm_new)
)
PROPOSAL_FIELDS = ("party_code", "body", "meeting_date", "paragraph", "case_number", "proposal", "note")
STEP_FIELDS = ("step", "taken_on", "body", "paragraph", "case_number", "reply_by", "note")
GROUP_FIELDS = ("group", "taken_on", "body", "paragraph", "case_number", "note")
NOTICE_FIELDS = ("party_code", "given_on", "law_change", "agreed_end", "note")
# A rule's error field that the form shows beside another field.
FIELD_ALIASES = {
    "appeal.state": "outcome",
    "parties": "party_code",
    "replaces": "repeat",
    "confirm_new": "repeat",
}


class FormInvalid(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass
class Form:
    """A form as shown: its values as typed and its errors by field ("" for the whole form)."""

    name: str
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def typed(cls, name: str, data: dict, fields: tuple[str, ...]) -> Form:
        return cls(name, {k: str(data.get(k, "")).strip() for k in fields})

    def fail(self, exc: DomainError | FormInvalid) -> Form:
        if isinstance(exc, FormInvalid):
            self.errors = dict(exc.errors)
        else:
            key = FIELD_ALIASES.get(exc.field or "", exc.field or "")
            self.errors = {key if key in self.values else "": exc.message}
            if "existing_decision" in exc.extra and "existing_decision" in self.values:
                # the rule asks whether the new decision corrects that one: the form asks the same
                self.values["existing_decision"] = str(exc.extra["existing_decision"])
                self.values["repeat"] = ""
        return self


def _date(values: dict[str, str], name: str, what: str, errors: dict, *, required: bool) -> date | None:
    text = values.get(name, "")
    if not text:
        if required:
            errors[name] = f"Ange {what}."
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = f"{what.capitalize()} ska vara ett datum som 2026-11-23, inte ”{text}”."
        return None


def _required(values: dict[str, str], name: str, message: str, errors: dict) -> str:
    if not values.get(name):
        errors[name] = message
    return values.get(name, "")


def decision_in(values: dict[str, str]) -> DecisionIn:
    errors: dict[str, str] = {}
    body = _required(
        values, "body", "Ange vilket organ som fattade beslutet, t.ex. Kommunfullmäktige.", errors
    )
    outcome = _required(values, "outcome", "Välj vad beslutet blev.", errors)
    meeting = _date(values, "meeting_date", "sammanträdesdatum", errors, required=True)
    justering = _date(values, "justering_date", "justeringsdatum", errors, required=False)
    anslag = _date(values, "anslag_date", "anslagsdatum", errors, required=False)
    covers = [c for c in values.get("covers", "").split(",") if c]
    if not all(c.isdigit() for c in covers):
        errors["covers"] = "Välj dokumenten i listan."
    existing, repeat = values.get("existing_decision", ""), values.get("repeat", "")
    if existing and not existing.isdigit():
        errors["repeat"] = "Ladda om sidan och logga beslutet igen."
    elif existing and repeat not in ("correct", "new"):
        errors["repeat"] = "Välj om beslutet rättar det tidigare beslutet eller är ett nytt beslut."
    if errors:
        raise FormInvalid(errors)
    return DecisionIn(
        body=body,
        meeting_date=meeting,
        outcome=outcome,
        paragraph=values.get("paragraph") or None,
        case_number=values.get("case_number") or None,
        justering_date=justering,
        anslag_date=anslag,
        note=values.get("note", ""),
        replaces=int(existing) if existing and repeat == "correct" else None,
        confirm_new=bool(existing) and repeat == "new",
        covers=[int(c) for c in covers] or None,
    )


def ticked(data: dict[str, str | list[str]], name: str) -> tuple[dict[str, str], str]:
    """A form's fields with its checkboxes `name` (sent once per ticked box) taken out, and those
    as the form keeps them, "12,13"."""
    values = data.get(name, [])
    values = [values] if isinstance(values, str) else list(values)
    flat = {k: v for k, v in data.items() if isinstance(v, str) and k != name}
    return flat, ",".join(v.strip() for v in values if v.strip())


def proposal_in(values: dict[str, str]) -> ProposalIn:
    errors: dict[str, str] = {}
    body = _required(
        values, "body", "Ange vilket organ som lämnade förslaget, t.ex. Kommunstyrelsen.", errors
    )
    meeting = _date(values, "meeting_date", "sammanträdesdatum", errors, required=True)
    if errors:
        raise FormInvalid(errors)
    return ProposalIn(
        body=body,
        meeting_date=meeting,
        paragraph=values.get("paragraph") or None,
        case_number=values.get("case_number") or None,
        proposal=values.get("proposal", ""),
        note=values.get("note", ""),
    )


def group_recommendation_in(values: dict[str, str]) -> GroupRecommendationIn:
    errors: dict[str, str] = {}
    group = _required(values, "group", "Välj vilket kommunalförbund som rekommenderar.", errors)
    body = _required(values, "body", "Ange vilket organ som beslutade, t.ex. Förbundsstyrelsen.", errors)
    taken_on = _date(values, "taken_on", "datum", errors, required=True)
    if errors:
        raise FormInvalid(errors)
    return GroupRecommendationIn(
        group=group,
        taken_on=taken_on,
        body=body,
        paragraph=values.get("paragraph", ""),
        case_number=values.get("case_number", ""),
        note=values.get("note", ""),
    )


def step_in(values: dict[str, str]) -> StepIn:
    errors: dict[str, str] = {}
    step = _required(values, "step", "Välj vilket steg som har tagits.", errors)
    taken_on = _date(values, "taken_on", "datum", errors, required=True)
    reply_by = _date(values, "reply_by", "sista dag för remissvar", errors, required=False)
    if errors:
        raise FormInvalid(errors)
    return StepIn(
        step=step,
        taken_on=taken_on,
        body=values.get("body", ""),
        paragraph=values.get("paragraph", ""),
        case_number=values.get("case_number", ""),
        note=values.get("note", ""),
        reply_by=reply_by,
    )


def notice_in(values: dict[str, str]) -> NoticeIn:
    errors: dict[str, str] = {}
    given_on = _date(values, "given_on", "datum för uppsägningen", errors, required=True)
    agreed_end = _date(values, "agreed_end", "överenskommet slutdatum", errors, required=False)
    if errors:
        raise FormInvalid(errors)
    return NoticeIn(
        given_on=given_on,
        law_change=values.get("law_change") == "on",
        agreed_end=agreed_end,
        note=values.get("note", ""),
    )


def required_choice(values: dict[str, str], name: str, message: str) -> str:
    if not values.get(name):
        raise FormInvalid({name: message})
    return values[name]


def report_in(values: dict[str, str], party_codes: list[str]) -> ReportIn:
    """A samverkansbrist as typed in the public form (the rule checks the rest)."""
    errors: dict[str, str] = {}
    agreement = values.get("agreement_id", "")
    if not agreement.isdigit():
        errors["agreement_id"] = "Välj vilken överenskommelse det gäller."
    occurred = _date(values, "occurred_on", "datumet för händelsen", errors, required=True)
    if errors:
        raise FormInvalid(errors)
    return ReportIn(
        agreement_id=int(agreement),
        party_codes=tuple(party_codes),
        occurred_on=occurred,
        what_happened=values.get("what_happened", ""),
        consequence=values.get("consequence", ""),
        category=values.get("category", ""),
        reporter_email=values.get("reporter_email") or None,
    )
