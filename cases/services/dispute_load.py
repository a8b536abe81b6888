"""Loading a dispute with its parties and levels: the one loader of the aggregate."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from cases.rules.disputes import DisputeState, LevelResult, ReachedLevel
from cases.rules.ladder import Level
from cases.tables import Dispute
from core.errors import NotFound


@dataclass(frozen=True, slots=True)
class DisputeParty:
    code: str
    name: str
    interpretation: str


@dataclass(frozen=True, slots=True)
class LoadedDispute:
    id: int
    agreement_id: int
    agreement_title: str
    structure: str
    report_id: int | None
    raised_by_party: str
    raised_by: str
    raised_on: date
    description: str
    reason: str
    ladder: tuple[Level, ...]
    state: DisputeState
    outcome: str
    clarification: str
    closed_on: date | None
    parties: tuple[DisputeParty, ...]
    levels: tuple[ReachedLevel, ...]

    @property
    def current(self) -> ReachedLevel:
        return self.levels[-1]

    @property
    def names(self) -> dict[str, str]:
        return {p.code: p.name for p in self.parties}


_DISPUTE = """
SELECT d.*, a.title AS agreement_title, s.slug AS structure, p.code AS raised_by_code
FROM dispute d JOIN agreement a ON a.id = d.agreement JOIN structure s ON s.id = a.structure
JOIN party p ON p.id = d.raised_by_party WHERE d.id = {}
"""
_PARTIES = """
SELECT p.code, p.name, dp.interpretation FROM dispute_party dp JOIN party p ON p.id = dp.party
WHERE dp.dispute = {} ORDER BY p.kind DESC, p.name
"""
_LEVELS = "SELECT * FROM dispute_level WHERE dispute = {} ORDER BY position"


def ladder_from_json(text: str) -> tuple[Level, ...]:
    return tuple(Level(s["name"], s["reply_months"], s["reply_days"]) for s in json.loads(text))


def ladder_to_json(ladder: tuple[Level, ...]) -> str:
    return json.dumps(
        [{"name": lv.name, "reply_months": lv.reply_months, "reply_days": lv.reply_days} for lv in ladder],
        ensure_ascii=False,
    )


async def load_dispute(dispute_id: int, agreement_id: int | None = None) -> LoadedDispute:
    """The dispute, or NotFound; with `agreement_id`, also NotFound when it is another agreement's."""
    rows = await Dispute.raw(_DISPUTE, dispute_id)
    if not rows or (agreement_id is not None and rows[0]["agreement"] != agreement_id):
        raise NotFound(f"Det finns ingen tvist {dispute_id} om den här överenskommelsen.")
    d = rows[0]
    parties = await Dispute.raw(_PARTIES, dispute_id)
    levels = await Dispute.raw(_LEVELS, dispute_id)
    return LoadedDispute(
        id=d["id"],
        agreement_id=d["agreement"],
        agreement_title=d["agreement_title"],
        structure=d["structure"],
        report_id=d["report"],
        raised_by_party=d["raised_by_code"],
        raised_by=d["raised_by"],
        raised_on=d["raised_on"],
        description=d["description"],
        reason=d["reason"],
        ladder=ladder_from_json(d["ladder"]),
        state=DisputeState(d["state"]),
        outcome=d["outcome"],
        clarification=d["clarification"],
        closed_on=d["closed_on"],
        parties=tuple(DisputeParty(p["code"], p["name"], p["interpretation"]) for p in parties),
        levels=tuple(
            ReachedLevel(
                lv["position"],
                lv["name"],
                lv["opened_on"],
                lv["reply_by"],
                tuple(lv["parties"]),
                LevelResult(lv["result"]) if lv["result"] else None,
                lv["decided_on"],
                lv["outcome"],
            )
            for lv in levels
        ),
    )


async def list_disputes(agreement_id: int) -> list[dict]:
    """The agreement's disputes, newest first, with the level each is at."""
    return await Dispute.raw(
        "SELECT d.id, d.state, d.raised_on, d.closed_on, p.name AS raised_by_party, "
        "l.name AS level, l.position, l.reply_by FROM dispute d JOIN party p ON p.id = d.raised_by_party "
        "JOIN dispute_level l ON l.dispute = d.id AND l.position = "
        "(SELECT max(position) FROM dispute_level WHERE dispute = d.id) "
        "WHERE d.agreement = {} ORDER BY d.raised_on DESC, d.id DESC",
        agreement_id,
    )
