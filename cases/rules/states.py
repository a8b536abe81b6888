"""A samverkansbrist's handling: its states, which step leads where, and what closing records.

Seed 004 (measure 9, "Gemensamt system för rapportering av samverkansbrister"): one entrance,
learning as the purpose, automatic feedback to the reporter. The handling is the secretariat's
and the agreement's stewards': received → under review → sent to the parties involved (each is
asked for its account) → answered (every party asked has answered) → closed with a conclusion and
any measure. Closing is possible from every open state: a report may need no parties' account.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from cases.rules.report import check_text
from core.errors import InvalidInput, NotAllowed


class CaseState(enum.StrEnum):
    RECEIVED = "received"
    UNDER_REVIEW = "under_review"
    SENT_TO_PARTIES = "sent_to_parties"
    ANSWERED = "answered"
    CLOSED = "closed"


STATE_SV = {
    CaseState.RECEIVED: "Mottagen",
    CaseState.UNDER_REVIEW: "Under granskning",
    CaseState.SENT_TO_PARTIES: "Skickad till berörda parter",
    CaseState.ANSWERED: "Parterna har svarat",
    CaseState.CLOSED: "Avslutad",
}
# What the reporter is told at each state (the feedback e-mail and the status page).
STATE_MEANS_SV = {
    CaseState.RECEIVED: "Rapporten har kommit in och väntar på att granskas.",
    CaseState.UNDER_REVIEW: "Rapporten granskas av dem som förvaltar överenskommelsen.",
    CaseState.SENT_TO_PARTIES: "De berörda parterna har ombetts att lämna sin beskrivning av det som hände.",
    CaseState.ANSWERED: "De berörda parterna har svarat. Rapporten ska nu avslutas med en slutsats.",
    CaseState.CLOSED: "Rapporten är avslutad.",
}


class Measure(enum.StrEnum):
    """What a closed report leads to (the issue's examples, and seed 002's proposed
    clarifications, application instructions and rewordings of the agreement)."""

    NONE = "none"
    CLARIFICATION = "clarification"
    FOLLOW_UP = "follow_up"
    ROUTINE = "routine"
    DIALOGUE = "dialogue"


MEASURE_SV = {
    Measure.NONE: "Ingen åtgärd",
    Measure.CLARIFICATION: "Förtydligande i överenskommelsen",
    Measure.FOLLOW_UP: "Ta upp i uppföljningen",
    Measure.ROUTINE: "Ändrad rutin eller tillämpningsanvisning",
    Measure.DIALOGUE: "Dialog mellan parterna",
}

OPEN_STATES = frozenset(CaseState) - {CaseState.CLOSED}


@dataclass(frozen=True, slots=True)
class PartyAsk:
    party_code: str
    asked: bool
    answered: bool


def review(state: CaseState) -> CaseState:
    """Taking a report: the one who takes it becomes its owner. A report already sent on stays
    where it is (a new owner takes over); a closed one cannot be taken."""
    if state is CaseState.CLOSED:
        raise NotAllowed("Rapporten är avslutad och kan inte tas upp igen.")
    return CaseState.UNDER_REVIEW if state is CaseState.RECEIVED else state


def send_to_parties(
    state: CaseState, asks: list[PartyAsk], chosen: list[str], agreement_parties: set[str]
) -> CaseState:
    """Asking parties of the agreement for their account. At least one, each a party of the
    agreement; asking one again is harmless (it is asked once)."""
    if state is CaseState.CLOSED:
        raise NotAllowed("Rapporten är avslutad.", field="parties")
    if state is CaseState.RECEIVED:
        raise NotAllowed("Ta rapporten för granskning innan den skickas till parterna.", field="parties")
    if not chosen:
        raise InvalidInput("Välj minst en part att skicka rapporten till.", field="parties")
    outside = sorted(set(chosen) - agreement_parties)
    if outside:
        raise InvalidInput(
            f"{', '.join(outside)} är inte part i överenskommelsen och kan inte tillfrågas.", field="parties"
        )
    return CaseState.SENT_TO_PARTIES


def answer(state: CaseState, asks: list[PartyAsk], party_code: str, text: str) -> CaseState:
    """A party's account. The report counts as answered when every party asked has answered."""
    if state is CaseState.CLOSED:
        raise NotAllowed("Rapporten är avslutad och tar inte emot fler svar.")
    ask = next((a for a in asks if a.party_code == party_code), None)
    if ask is None or not ask.asked:
        raise NotAllowed("Parten har inte ombetts att svara på den här rapporten.")
    check_text(
        text, label="Partens beskrivning", field="answer", empty="Skriv partens beskrivning av det som hände."
    )
    answered = {a.party_code for a in asks if a.answered} | {party_code}
    asked = {a.party_code for a in asks if a.asked}
    return CaseState.ANSWERED if asked <= answered else state


def close(state: CaseState, conclusion: str, measure: str) -> tuple[CaseState, Measure]:
    if state is CaseState.CLOSED:
        raise NotAllowed("Rapporten är redan avslutad.")
    check_text(
        conclusion,
        label="Slutsats",
        field="conclusion",
        empty="Skriv slutsatsen: vad rapporten visade och vad som händer nu.",
    )
    try:
        chosen = Measure(measure)
    except ValueError:
        raise InvalidInput("Välj en åtgärd i listan.", field="measure") from None
    return CaseState.CLOSED, chosen
