"""The chain inside a party: preparatory decisions before the party's own.

Seed 003, Härryda: "Välfärdsnämnden bereder detta ärende till kommunfullmäktige"; kommunstyrelsen
"har dock ett beredningsansvar för ärenden till kommunfullmäktige" (kommunallagen (2017:725)
5 kap. 26 §) and proposes that kommunfullmäktige decide as the nämnd proposed. Such a proposal is
of "rent förberedande art" (13 kap. 2 §): it cannot be appealed, never becomes final and never
counts as the party's decision. It shows where the party's case stands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from core.errors import InvalidInput
from lifecycle.rules.decisions import normalise_paragraph
from lifecycle.rules.model import AdoptionStatus, PartyAdoption

_SETTLED = frozenset(
    {AdoptionStatus.ADOPTED, AdoptionStatus.ADOPTED_WITH_RESERVATION, AdoptionStatus.REJECTED}
)


@dataclass(frozen=True, slots=True)
class Proposal:
    """One body's preparatory decision (one § of its minutes) on an agreement."""

    party_code: str
    body: str  # "Välfärdsnämnden", "Kommunstyrelsen", "Regionstyrelsen"
    meeting_date: date
    paragraph: str | None = None
    case_number: str | None = None
    proposal: str = ""  # "Kommunstyrelsen föreslår att kommunfullmäktige beslutar enligt ..."


def validate_proposal(proposal: Proposal, *, today: date) -> Proposal:
    """Refuse a proposal that cannot be one, and return it tidied (paragraph as "§ 12").

    It is recorded from minutes, so its meeting has taken place. The assembly (fullmäktige) does
    not propose to itself: what it does is the party's decision, logged as one.
    """
    body = " ".join(proposal.body.split())
    if not body:
        raise InvalidInput(
            "Ange vilket organ som lämnade förslaget, till exempel Kommunstyrelsen.", field="body"
        )
    if "fullmäktige" in body.lower():
        raise InvalidInput(
            f"{body} fattar partens beslut och lämnar inget förslag. Logga det som ett beslut.",
            field="body",
        )
    if proposal.meeting_date > today:
        raise InvalidInput(
            f"Sammanträdesdatum kan inte vara senare än i dag ({proposal.meeting_date} > {today}). "
            "Registrera förslaget när organet har sammanträtt.",
            field="meeting_date",
        )
    return replace(
        proposal,
        body=body,
        paragraph=normalise_paragraph(proposal.paragraph) if (proposal.paragraph or "").strip() else None,
        case_number=" ".join((proposal.case_number or "").split()) or None,
        proposal=proposal.proposal.strip(),
    )


def in_preparation(
    proposals: Iterable[Proposal], adoptions: Mapping[str, PartyAdoption], as_of: date
) -> tuple[str, ...]:
    """The parties not yet settled (adopted, adopted with reservation, rejected) as of `as_of` with
    a proposal on the way by then, in code order: their case is prepared, the decision awaited."""
    return tuple(
        sorted(
            {
                p.party_code
                for p in proposals
                if p.meeting_date <= as_of
                and (adoption := adoptions.get(p.party_code)) is not None
                and adoption.status not in _SETTLED
            }
        )
    )
