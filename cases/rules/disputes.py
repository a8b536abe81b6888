"""A dispute (tvist) under an agreement: what it must hold, and how it climbs its ladder (pure).

Seed 002, "Förutsättningar för beredning av tvist på länsgemensam nivå": the matter is reported by
a manager of either party ("Ärendet anmäls av chef hos endera av parterna") and the report holds
"a. Kortfattad beskrivning av ärendet, b. Parternas olika tolkningar, c. Orsak och motiv till att
parterna inte kommer överens". Seeds 000 § 10 and 001 § 19: solved first between the responsible
managers, then level by level (`ladder`); the last level decides. At each level the dispute is
either settled (the parties agree: resolved; at the last level: decided) or lifted to the next.
A settlement may propose a clarification of the agreement (seed 002: "förslag till
förtydliganden, tillämpningsanvisningar eller omformuleringar"), which the yearly compilation
gathers (`compilation`).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from cases.rules.ladder import Level, reply_by
from cases.rules.report import check_text
from core.errors import InvalidInput, NotAllowed
from lifecycle.rules.swedish import party_label, sv_date


class DisputeState(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"  # the parties agreed at some level
    DECIDED = "decided"  # the last level decided


class LevelResult(enum.StrEnum):
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    DECIDED = "decided"


STATE_SV = {
    DisputeState.OPEN: "Pågår",
    DisputeState.RESOLVED: "Parterna enades",
    DisputeState.DECIDED: "Avgjord på sista nivån",
}
RESULT_SV = {
    LevelResult.ESCALATED: "Lyftes till nästa nivå",
    LevelResult.RESOLVED: "Parterna enades",
    LevelResult.DECIDED: "Avgjord",
}
DEADLINE_KIND = "dispute_reply"  # lifecycle.rules.deadlines.DeadlineKind.DISPUTE_REPLY


@dataclass(frozen=True, slots=True)
class DisputeIn:
    agreement_id: int
    raised_by_party: str  # the party whose manager reports it
    description: str  # a. kortfattad beskrivning av ärendet
    interpretations: tuple[tuple[str, str], ...]  # b. (party code, its interpretation), each party
    reason: str  # c. orsak och motiv till att parterna inte kommer överens
    report_id: int | None = None  # the samverkansbrist it grew from


@dataclass(frozen=True, slots=True)
class ReachedLevel:
    """A level the dispute has reached: since when, who takes part, its deadline and result."""

    position: int  # 1 is the first level
    name: str
    opened_on: date
    reply_by: date
    parties: tuple[str, ...]
    result: LevelResult | None = None
    decided_on: date | None = None
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class Settled:
    state: DisputeState
    result: LevelResult
    outcome: str
    clarification: str


def check_raise(dispute: DisputeIn, agreement_parties: set[str]) -> None:
    """Raise `InvalidInput` (with its field) at the first thing the form must correct."""
    codes = [code for code, _ in dispute.interpretations]
    if len(set(codes)) < 2:
        raise InvalidInput(
            "En tvist är mellan minst två parter: välj de parter som är oense.", field="parties"
        )
    if len(set(codes)) != len(codes):
        raise InvalidInput("Varje part anges en gång.", field="parties")
    outside = sorted(set(codes) - agreement_parties)
    if outside:
        raise InvalidInput(f"{', '.join(outside)} är inte part i överenskommelsen.", field="parties")
    if dispute.raised_by_party not in codes:
        raise InvalidInput(
            "Den part vars chef anmäler tvisten ska vara en av de oense parterna.", field="raised_by_party"
        )
    check_text(
        dispute.description,
        label="Kortfattad beskrivning",
        field="description",
        empty="Beskriv kortfattat vad tvisten gäller.",
    )
    for code, text in dispute.interpretations:
        check_text(
            text,
            label=f"Tolkning ({code})",
            field=f"interpretation_{code}",
            empty=f"Skriv hur part {code} tolkar överenskommelsen.",
        )
    check_text(
        dispute.reason,
        label="Varför parterna inte kommer överens",
        field="reason",
        empty="Skriv orsaken och motivet till att parterna inte kommer överens.",
    )


def first_level(ladder: Sequence[Level], raised_on: date, parties: Sequence[str]) -> ReachedLevel:
    level = ladder[0]
    return ReachedLevel(1, level.name, raised_on, reply_by(raised_on, level), tuple(parties))


def _check_step(
    current: ReachedLevel, state: DisputeState, outcome: str, decided_on: date, today: date
) -> None:
    if state is not DisputeState.OPEN:
        raise NotAllowed("Tvisten är redan avgjord.")
    if decided_on > today:
        raise InvalidInput("Datumet kan inte ligga i framtiden.", field="decided_on")
    if decided_on < current.opened_on:
        raise InvalidInput(
            f"Datumet kan inte ligga före den dag tvisten nådde {current.name} "
            f"({sv_date(current.opened_on)}).",
            field="decided_on",
        )
    check_text(outcome, label="Utfall", field="outcome", empty=f"Skriv vad {current.name} kom fram till.")


def escalate(
    ladder: Sequence[Level],
    current: ReachedLevel,
    state: DisputeState,
    outcome: str,
    decided_on: date,
    today: date,
    parties: Sequence[str] | None = None,
) -> ReachedLevel:
    """The current level could not solve it: the next level, reached on `decided_on`, with its
    deadline. The last level cannot lift it further: it decides (seed 000: "slutligt avgörs")."""
    _check_step(current, state, outcome, decided_on, today)
    if current.position >= len(ladder):
        raise NotAllowed(
            f"{current.name} är trappans sista nivå och avgör tvisten; den kan inte lyftas längre."
        )
    level = ladder[current.position]
    chosen = tuple(parties) if parties else current.parties
    return ReachedLevel(current.position + 1, level.name, decided_on, reply_by(decided_on, level), chosen)


def settle(
    ladder: Sequence[Level],
    current: ReachedLevel,
    state: DisputeState,
    outcome: str,
    decided_on: date,
    today: date,
    clarification: str = "",
) -> Settled:
    """The dispute ends at the current level: resolved (the parties agreed), or decided at the
    last level; with any proposed clarification of the agreement."""
    _check_step(current, state, outcome, decided_on, today)
    if clarification.strip():
        check_text(clarification, label="Förslag till förtydligande", field="clarification", empty="")
    last = current.position >= len(ladder)
    return Settled(
        DisputeState.DECIDED if last else DisputeState.RESOLVED,
        LevelResult.DECIDED if last else LevelResult.RESOLVED,
        outcome.strip(),
        clarification.strip(),
    )


@dataclass(frozen=True, slots=True)
class DisputeDeadline:
    key: str
    due: date
    party_code: str
    title: str


def deadlines(
    dispute_id: int, state: DisputeState, current: ReachedLevel, names: Mapping[str, str]
) -> list[DisputeDeadline]:
    """The open level's reply deadline, one per party taking part (each party's calendar and
    reminders); none once the dispute is settled. The key names the dispute, level and party, so
    escalating cancels the old level's events and adds the new ones."""
    if state is not DisputeState.OPEN:
        return []
    return [
        DisputeDeadline(
            f"dispute:{dispute_id}:{current.position}:{code}",
            current.reply_by,
            code,
            f"Tvist {dispute_id}: besked från {current.name} senast {sv_date(current.reply_by)} "
            f"({party_label(code, names)})",
        )
        for code in current.parties
    ]
