"""What the API answers about disputes: a dispute with its levels, the ladder, the compilation."""

from __future__ import annotations

from datetime import date

import msgspec

from cases.rules.compilation import Compilation, state_at_year_end
from cases.rules.disputes import RESULT_SV, STATE_SV, DisputeState
from cases.rules.ladder import Level
from cases.services.dispute_load import LoadedDispute


class LevelView(msgspec.Struct):
    name: str
    reply_months: int
    reply_days: int
    period_sv: str


class ReachedLevelView(msgspec.Struct):
    position: int
    name: str
    opened_on: date
    reply_by: date
    parties: list[str]
    result: str | None
    result_sv: str | None
    decided_on: date | None
    outcome: str


class InterpretationView(msgspec.Struct):
    code: str
    name: str
    interpretation: str


class DisputeView(msgspec.Struct):
    id: int
    agreement_id: int
    agreement_title: str
    report_id: int | None
    raised_by_party: str
    raised_by: str
    raised_on: date
    description: str
    parties: list[InterpretationView]
    reason: str
    state: str
    state_sv: str
    level: str  # the level it is at (or was settled at)
    reply_by: date | None  # the open level's deadline; None once settled
    levels: list[ReachedLevelView]
    ladder: list[LevelView]
    outcome: str
    clarification: str
    closed_on: date | None


class DisputeSummary(msgspec.Struct):
    id: int
    state: str
    state_sv: str
    raised_on: date
    raised_by_party: str
    level: str
    reply_by: date | None
    closed_on: date | None


class LadderView(msgspec.Struct):
    own: bool  # the agreement's own ladder; False: its structure's
    levels: list[LevelView]


class CountView(msgspec.Struct):
    label: str
    count: int


class CompiledView(msgspec.Struct):
    id: int
    agreement: str
    raised_on: date
    closed_on: date | None
    state_sv: str
    level_reached: str
    outcome: str
    clarification: str


class CompilationView(msgspec.Struct):
    structure: str
    year: int
    total: int
    open: int
    resolved: int
    decided: int
    median_days_to_settle: float | None
    by_agreement: list[CountView]
    by_level: list[CountView]
    disputes: list[CompiledView]


def level_view(level: Level) -> LevelView:
    return LevelView(level.name, level.reply_months, level.reply_days, level.period_sv)


def dispute_view(d: LoadedDispute) -> DisputeView:
    open_ = d.closed_on is None
    return DisputeView(
        id=d.id,
        agreement_id=d.agreement_id,
        agreement_title=d.agreement_title,
        report_id=d.report_id,
        raised_by_party=d.raised_by_party,
        raised_by=d.raised_by,
        raised_on=d.raised_on,
        description=d.description,
        parties=[InterpretationView(p.code, p.name, p.interpretation) for p in d.parties],
        reason=d.reason,
        state=d.state.value,
        state_sv=STATE_SV[d.state],
        level=d.current.name,
        reply_by=d.current.reply_by if open_ else None,
        levels=[
            ReachedLevelView(
                lv.position,
                lv.name,
                lv.opened_on,
                lv.reply_by,
                list(lv.parties),
                lv.result.value if lv.result else None,
                RESULT_SV[lv.result] if lv.result else None,
                lv.decided_on,
                lv.outcome,
            )
            for lv in d.levels
        ],
        ladder=[level_view(lv) for lv in d.ladder],
        outcome=d.outcome,
        clarification=d.clarification,
        closed_on=d.closed_on,
    )


def compilation_view(structure: str, c: Compilation) -> CompilationView:
    return CompilationView(
        structure=structure,
        year=c.year,
        total=c.total,
        open=c.open,
        resolved=c.resolved,
        decided=c.decided,
        median_days_to_settle=c.median_days_to_settle,
        by_agreement=[CountView(x.label, x.count) for x in c.by_agreement],
        by_level=[CountView(x.label, x.count) for x in c.by_level],
        disputes=[
            CompiledView(
                d.id,
                d.agreement,
                d.raised_on,
                d.closed_on if state_at_year_end(d, c.year) is not DisputeState.OPEN else None,
                STATE_SV[state_at_year_end(d, c.year)],
                d.level_reached,
                d.outcome,
                d.clarification,
            )
            for d in c.disputes
        ],
    )
