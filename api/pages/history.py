"""An agreement's history (Historik) in the users' words: who, what, and for which party.

The audit trail stores each change as it was made (the service's answer before and after); a
row here says it in Swedish, "Registrerat beslut: Antagen, Kommunfullmäktige 23 maj 2022, § 77",
with the party it concerns ("Härryda (1401)") or "Alla parter" for the agreement itself. No code
name reaches the page: a system actor "system: demo" reads "Systemet (exempeldata)".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from api.pages.labels import (
    AGREEMENT_STATUS,
    ANSWER_STATES,
    ENTITIES,
    HISTORY_ACTIONS,
    OUTCOMES,
    label,
    sv_date,
)

ALL_PARTIES = "Alla parter"
SYSTEM_PREFIX = "system: "
# The system actors' code names (Actor.system(...)) as a reader says them.
SYSTEM_SV = {
    "demo": "exempeldata",
    "textutläsning": "textutläsningen",
    "calendar subscribe link": "kalenderlänk",
    "tests": "test",
    "ersättning": "den ersättande överenskommelsen i kraft",
}


@dataclass(frozen=True, slots=True)
class HistoryRow:
    at: datetime
    who: str
    what: str
    party: str


def who(actor: str) -> str:
    if not actor.startswith(SYSTEM_PREFIX):
        return actor
    what = actor.removeprefix(SYSTEM_PREFIX)
    if what.startswith("cli ("):
        return f"Systemet (kommandoraden, {what.removeprefix('cli (').rstrip(')')})"
    return f"Systemet ({SYSTEM_SV.get(what, what)})"


def _day(value: object) -> str:
    return sv_date(date.fromisoformat(value)) if isinstance(value, str) and value else "–"


def _details(entity: str, state: Mapping) -> str:
    if entity == "party_decision":
        parts = [
            label(OUTCOMES, state.get("outcome")),
            f"{state.get('body', '')} {_day(state.get('meeting_date'))}".strip(),
            state.get("paragraph"),
        ]
        return ", ".join(p for p in parts if p)
    if entity == "preparatory_decision":
        parts = [f"{state.get('body', '')} {_day(state.get('meeting_date'))}".strip(), state.get("paragraph")]
        return ", ".join(p for p in parts if p)
    if entity == "notice":
        return f"given {_day(state.get('given_on'))}"
    if entity == "process_step":
        return ", ".join(p for p in (state.get("label"), _day(state.get("taken_on"))) if p)
    if entity == "group_recommendation":
        parts = [
            state.get("short_name"),
            f"{state.get('body', '')} {_day(state.get('taken_on'))}".strip(),
            state.get("paragraph"),
        ]
        return ", ".join(p for p in parts if p)
    if entity == "round":
        return state.get("title") or ""
    if entity == "round_answer":
        return label(ANSWER_STATES, state.get("state"))
    if entity == "agreement_in_force":
        return _day(state.get("in_force_from"))
    if entity == "agreement" and set(state) == {"status"}:
        return f"status {label(AGREEMENT_STATUS, state['status'])}"
    return ""


def _party(entity: str, state: Mapping) -> str:
    code = state.get("party_code")
    if entity in ("party_decision", "preparatory_decision", "notice", "round_answer") and code:
        name = state.get("party_name")
        return f"{name} ({code})" if name else f"part {code}"
    if entity == "group_recommendation" and state.get("short_name"):
        return f"Medlemmarna i {state['short_name']}"
    return ALL_PARTIES


def history_rows(events: Iterable[Mapping]) -> list[HistoryRow]:
    """The audit events of one agreement as the page's rows, in the order given."""
    rows = []
    for event in events:
        entity = event["entity"]
        state = event.get("after") or event.get("before") or {}
        action = label(HISTORY_ACTIONS, event["action"])
        what = f"{action} {label(ENTITIES, entity)}"
        details = _details(entity, state)
        rows.append(
            HistoryRow(
                at=event["at"],
                who=who(event["actor"]),
                what=f"{what}: {details}" if details else what,
                party=_party(entity, state),
            )
        )
    return rows
