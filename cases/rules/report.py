"""What a samverkansbrist report must hold, checked before it is stored (pure).

From the issue and seed 004: which agreement, which organisations were involved, when it
happened, what happened, what it meant for the person, a category from the structure's list, and
an optional e-mail for feedback. No patient data: the free texts are refused when they hold a
personnummer or samordningsnummer (`personnummer`), with a message naming what to remove.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cases.rules.personnummer import find_identity_numbers, refusal_sv
from core.errors import InvalidInput

MAX_TEXT = 4000  # a page of text: a report is a short account, not a case file
OLDEST_YEARS = 5  # an event older than this is for the organisation's own archive, not for learning
TEXT_FIELDS = {"what_happened": "Vad hände", "consequence": "Vad det innebar för personen"}


@dataclass(frozen=True, slots=True)
class ReportIn:
    agreement_id: int
    party_codes: tuple[str, ...]
    occurred_on: date
    what_happened: str
    consequence: str
    category: str
    reporter_email: str | None = None


def check_report(
    report: ReportIn, *, categories: tuple[str, ...], agreement_parties: set[str], today: date
) -> None:
    """Raise `InvalidInput` (with the field) at the first thing the form must correct."""
    if not report.party_codes:
        raise InvalidInput("Välj minst en organisation som var inblandad.", field="party_codes")
    outside = sorted(set(report.party_codes) - agreement_parties)
    if outside:
        raise InvalidInput(
            f"{', '.join(outside)} är inte part i den valda överenskommelsen.", field="party_codes"
        )
    if report.occurred_on > today:
        raise InvalidInput("Datumet för händelsen kan inte ligga i framtiden.", field="occurred_on")
    if report.occurred_on.year < today.year - OLDEST_YEARS:
        raise InvalidInput(
            f"Händelsen är äldre än {OLDEST_YEARS} år; rapportera den till din egen organisation.",
            field="occurred_on",
        )
    if report.category not in categories:
        raise InvalidInput("Välj en kategori i listan.", field="category")
    for name, label in TEXT_FIELDS.items():
        check_text(getattr(report, name), label=label, field=name, empty=f"Fyll i ”{label}”.")


def check_text(text: str, *, label: str, field: str, empty: str) -> None:
    """A free text of a report (the reporter's, a party's account, the conclusion): filled in
    (else `empty`), at most MAX_TEXT characters, and no personnummer or samordningsnummer (the
    message quotes what to remove): none of the texts may hold patient data."""
    if not text.strip():
        raise InvalidInput(empty, field=field)
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"”{label}” får vara högst {MAX_TEXT} tecken (nu {len(text)}).", field=field)
    findings = find_identity_numbers(text)
    if findings:
        raise InvalidInput(refusal_sv(f"”{label}”", findings), field=field)
