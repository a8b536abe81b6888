"""Raising a dispute and taking it up its ladder: load, ask the rule (`cases.rules.disputes`),
save with the audit event and the open level's deadlines, in one transaction.

The deadlines go into the `deadline` table, where the reminder sweep and the calendar feeds read
every deadline: one row per party of the open level (`dispute:<id>:<level>:<party>`); a level
that closes has its rows cancelled, so each calendar hears of it."""

from __future__ import annotations

from datetime import date

from audit.trail import Actor, record
from cases.ladders import agreement_ladder
from cases.rules import disputes as rules
from cases.rules.disputes import DisputeIn, LevelResult, ReachedLevel
from cases.services.dispute_load import LoadedDispute, ladder_to_json, load_dispute
from cases.services.load import agreement_facts, load_report
from cases.tables import Dispute
from core.clock import now, today
from core.errors import Conflict, InvalidInput
from lifecycle.tables import StoredDeadline
from piccolo_conf import DB

ENTITY = "dispute"

_UPSERT = """
INSERT INTO deadline
    (agreement, key, kind, due, party_code, title, notice_months, cancelled, sequence, updated_at)
SELECT {}, k, {}, du, pc, t, NULL, false, 0, {}
FROM unnest({}::text[], {}::date[], {}::text[], {}::text[]) AS x(k, du, pc, t)
ON CONFLICT (agreement, key) DO UPDATE SET due = excluded.due, title = excluded.title, cancelled = false,
    sequence = deadline.sequence + 1, updated_at = excluded.updated_at
WHERE (deadline.due, deadline.title, deadline.cancelled)
    IS DISTINCT FROM (excluded.due, excluded.title, false)
"""
_CANCEL = """
UPDATE deadline SET cancelled = true, sequence = sequence + 1, updated_at = {}
WHERE agreement = {} AND NOT cancelled AND key LIKE {} AND NOT key = ANY({}::text[])
"""


async def _store_deadlines(d: LoadedDispute) -> None:
    rows = rules.deadlines(d.id, d.state, d.current, d.names)
    stamp = now()
    if rows:
        await StoredDeadline.raw(
            _UPSERT,
            d.agreement_id,
            rules.DEADLINE_KIND,
            stamp,
            [r.key for r in rows],
            [r.due for r in rows],
            [r.party_code for r in rows],
            [r.title for r in rows],
        )
    await StoredDeadline.raw(_CANCEL, stamp, d.agreement_id, f"dispute:{d.id}:%", [r.key for r in rows])


async def _insert_level(dispute_id: int, level: ReachedLevel) -> None:
    await Dispute.raw(
        "INSERT INTO dispute_level (dispute, position, name, opened_on, reply_by, parties, outcome) "
        "VALUES ({}, {}, {}, {}, {}, {}, '')",
        dispute_id,
        level.position,
        level.name,
        level.opened_on,
        level.reply_by,
        list(level.parties),
    )


async def raise_dispute(data: DisputeIn, *, actor: Actor) -> LoadedDispute:
    """A manager of one party reports a dispute (or the secretariat turns a report into one): it
    starts at the ladder's first level on the day it is raised."""
    facts = await agreement_facts(data.agreement_id)
    rules.check_raise(data, set(facts["parties"]))
    if data.report_id is not None:
        await load_report(data.report_id, data.agreement_id)  # NotFound when another agreement's
    ladder, _ = await agreement_ladder(data.agreement_id, facts["slug"])
    day = today()
    codes = [code for code, _ in data.interpretations]
    first = rules.first_level(ladder, day, codes)
    async with DB.transaction():
        if data.report_id is not None and await Dispute.count().where(Dispute.report == data.report_id):
            raise Conflict(f"Rapport {data.report_id} har redan blivit en tvist.", field="report_id")
        rows = await Dispute.raw(
            "INSERT INTO dispute (agreement, report, raised_by_party, raised_by, raised_on, description, "
            "reason, ladder, state, outcome, clarification) "
            "SELECT {}, {}, p.id, {}, {}, {}, {}, {}, 'open', '', '' "
            "FROM party p WHERE p.code = {} RETURNING id",
            data.agreement_id,
            data.report_id,
            actor.label,
            day,
            data.description.strip(),
            data.reason.strip(),
            ladder_to_json(ladder),
            data.raised_by_party,
        )
        dispute_id = rows[0]["id"]
        await Dispute.raw(
            "INSERT INTO dispute_party (dispute, party, interpretation) "
            "SELECT {}, p.id, x.t FROM unnest({}::text[], {}::text[]) AS x(c, t) "
            "JOIN party p ON p.code = x.c",
            dispute_id,
            codes,
            [text.strip() for _, text in data.interpretations],
        )
        await _insert_level(dispute_id, first)
        loaded = await load_dispute(dispute_id)
        await _store_deadlines(loaded)
        await record(
            actor,
            "raise",
            ENTITY,
            dispute_id,
            agreement_id=data.agreement_id,
            after={
                "raised_by_party": data.raised_by_party,
                "parties": sorted(codes),
                "report": data.report_id,
                "level": first.name,
                "reply_by": first.reply_by,
            },
        )
    return loaded


def _decided_on(value: date | None) -> date:
    if value is None:
        raise InvalidInput("Ange datumet då nivån kom fram till sitt besked.", field="decided_on")
    return value


async def _close_level(
    dispute_id: int, position: int, result: LevelResult, decided_on: date, outcome: str
) -> None:
    await Dispute.raw(
        "UPDATE dispute_level SET result = {}, decided_on = {}, outcome = {} "
        "WHERE dispute = {} AND position = {}",
        result.value,
        decided_on,
        outcome.strip(),
        dispute_id,
        position,
    )


async def escalate(
    agreement_id: int,
    dispute_id: int,
    outcome: str,
    decided_on: date | None,
    parties: list[str] | None = None,
    *,
    actor: Actor,
) -> LoadedDispute:
    """The current level could not solve it: lift it to the next level, with its new deadline."""
    async with DB.transaction():
        d = await load_dispute(dispute_id, agreement_id)
        if parties:
            facts = await agreement_facts(agreement_id)
            outside = sorted(set(parties) - set(facts["parties"]))
            if outside:
                raise InvalidInput(f"{', '.join(outside)} är inte part i överenskommelsen.", field="parties")
        day = _decided_on(decided_on)
        nxt = rules.escalate(d.ladder, d.current, d.state, outcome, day, today(), parties)
        await _close_level(dispute_id, d.current.position, LevelResult.ESCALATED, day, outcome)
        await _insert_level(dispute_id, nxt)
        loaded = await load_dispute(dispute_id)
        await _store_deadlines(loaded)
        await record(
            actor,
            "escalate",
            ENTITY,
            dispute_id,
            agreement_id=agreement_id,
            before={"level": d.current.name},
            after={
                "level": nxt.name,
                "decided_on": day,
                "reply_by": nxt.reply_by,
                "parties": list(nxt.parties),
            },
        )
    return loaded


async def settle(
    agreement_id: int,
    dispute_id: int,
    outcome: str,
    decided_on: date | None,
    clarification: str = "",
    *,
    actor: Actor,
) -> LoadedDispute:
    """The dispute ends at its current level: the parties agreed, or the last level decided."""
    async with DB.transaction():
        d = await load_dispute(dispute_id, agreement_id)
        day = _decided_on(decided_on)
        done = rules.settle(d.ladder, d.current, d.state, outcome, day, today(), clarification)
        await _close_level(dispute_id, d.current.position, done.result, day, outcome)
        await Dispute.raw(
            "UPDATE dispute SET state = {}, outcome = {}, clarification = {}, closed_on = {} WHERE id = {}",
            done.state.value,
            done.outcome,
            done.clarification,
            day,
            dispute_id,
        )
        loaded = await load_dispute(dispute_id)
        await _store_deadlines(loaded)
        await record(
            actor,
            "settle",
            ENTITY,
            dispute_id,
            agreement_id=agreement_id,
            before={"state": d.state},
            after={
                "state": done.state,
                "level": d.current.name,
                "decided_on": day,
                "clarification_proposed": bool(done.clarification),
            },
        )
    return loaded
