"""One decision for a package: a main agreement with the annexes and related documents it names.

Seed 003: Härryda's council "antar Hälso- och sjukvårdsavtal med tillhörande överenskommelser"
and "Färdplan – länsgemensam strategi" in one paragraph of its minutes. Such a decision is one
§, one diarienummer and one set of legal dates (justering, anslag, laga kraft), so it is stored
once, under the main agreement, and counts as each covered agreement's decision for that party.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core.errors import InvalidInput
from lifecycle.rules.model import AgreementKind
from lifecycle.rules.swedish import sv_date
from lifecycle.rules.validity import ATTACHED_KINDS

# Decided by a joint body alone (DOMAIN.md: riktlinje, tillfälliga övergångsbestämmelser).
_NOT_DECIDED_BY_PARTIES = frozenset({AgreementKind.GUIDELINE, AgreementKind.TRANSITIONAL})


@dataclass(frozen=True, slots=True)
class Document:
    """An agreement as a package sees it."""

    id: int
    title: str
    reference: str
    structure: str
    kind: AgreementKind
    parent_id: int | None
    supersedes_id: int | None
    parties: frozenset[str]

    @property
    def label(self) -> str:
        """ "Färdplan – länsgemensam strategi (VG-FARDPLAN-2022)", as a clerk recognises it."""
        return f"{self.title} ({self.reference})" if self.reference else self.title


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, field="covers")


def check_package(main: Document, covered: Sequence[Document], *, party_code: str, party: str) -> None:
    """Refuse a package that one paragraph cannot have decided.

    The decision is logged on the main agreement; each covered one is an annex of it, or a related
    document of the same structure that the parties decide on (seed 003's Färdplan, recommended
    alongside by GR § 357), never another version of the main one (a revision replaces it), an
    annex of another agreement (that belongs to its own parent's package) or a document decided by
    a joint body alone. The party must be a party to each. `party` names it ("Härryda (1401)").
    """
    if not covered:
        return
    if main.kind in ATTACHED_KINDS:
        raise _refuse(
            f"Ett beslut som gäller flera dokument loggas på huvudöverenskommelsen, inte på "
            f"bilagan {main.label}."
        )
    seen: set[int] = set()
    for doc in covered:
        if doc.id in seen:
            raise _refuse(f"{doc.label} står två gånger bland de dokument beslutet gäller.")
        seen.add(doc.id)
        if doc.id == main.id:
            raise _refuse(
                f"Beslutet loggas redan på {main.label}; ange bara bilagor och tillhörande dokument."
            )
        if doc.parent_id is not None and doc.parent_id != main.id:
            raise _refuse(f"{doc.label} är bilaga till en annan överenskommelse än {main.label}.")
        if doc.parent_id is None:
            if doc.structure != main.structure:
                raise _refuse(f"{doc.label} hör till en annan samverkansstruktur än {main.label}.")
            if doc.supersedes_id == main.id or doc.id == main.supersedes_id:
                raise _refuse(
                    f"{doc.label} är en annan version av {main.label}, inte ett tillhörande dokument."
                )
            if doc.kind in _NOT_DECIDED_BY_PARTIES:
                raise _refuse(f"{doc.label} beslutas av den gemensamma organisationen, inte av parterna.")
        if party_code not in doc.parties:
            raise _refuse(f"{party} är inte part i {doc.label}.")


def check_covered_recommendation(
    doc: Document, recommended_on: date | None, meeting_date: date, *, planned: bool
) -> None:
    """A taken decision on a covered document needs that document's own recommendation, as on
    the main one (`decisions.validate_decision`); a planned meeting needs none yet."""
    if planned:
        return
    if recommended_on is None:
        raise _refuse(
            f"{doc.label} är inte rekommenderad ännu, så beslutet kan inte gälla den. Logga beslutet "
            "utan den, eller registrera rekommendationen först."
        )
    if meeting_date < recommended_on:
        raise _refuse(
            f"{doc.label} rekommenderades {sv_date(recommended_on)}, efter sammanträdet "
            f"{sv_date(meeting_date)}."
        )
