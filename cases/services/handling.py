"""Handling a report: take it, send it to the parties involved, their answers, closing.

Each step: load the report, ask the rule (`cases.rules.states`), save the new state with its
history row, the audit event and the e-mails it causes (the reporter's at every change of
state, the parties' contacts' when asked), all in one transaction. Returns the outbox ids to
enqueue once committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from audit.trail import Actor, record
from cases.rules import states
from cases.rules.states import CaseState
from cases.services import outbox
from cases.services.load import Report, agreement_facts, load_report
from cases.tables import FailureReport
from core.clock import now, today
from piccolo_conf import DB

ENTITY = "failure_report"


@dataclass(frozen=True, slots=True)
class Handled:
    report: Report
    message_ids: list[int]
    uncontacted: tuple[str, ...] = ()  # parties asked with no contact to e-mail (the page says so)


async def entered(report_id: int, reporter_email: str | None, state: CaseState, day: date) -> list[int]:
    """A report has entered `state` on `day`: its history row, and the reporter's e-mail telling
    of it (the outbox ids)."""
    await FailureReport.raw(
        "INSERT INTO failure_report_history (report, state, since, at) VALUES ({}, {}, {}, {})",
        report_id,
        state.value,
        day,
        now(),
    )
    return await outbox.to_reporter(report_id, reporter_email, state)


async def _save(report: Report, new: CaseState, day: date, **columns: object) -> list[int]:
    """Store the report's new state with `columns` in one UPDATE (closing sets `closed_on` with
    the state, as the table's check asks), and when the state changed, what `entered` writes."""
    if new is report.state and not columns:
        return []
    await FailureReport.update({FailureReport.state: new.value, **columns}).where(
        FailureReport.id == report.id
    )
    return [] if new is report.state else await entered(report.id, report.reporter_email, new, day)


async def take(agreement_id: int, report_id: int, *, user_id: int | None, actor: Actor) -> Handled:
    async with DB.transaction():
        report = await load_report(report_id, agreement_id)
        new = states.review(report.state)
        ids = await _save(report, new, today(), owner=user_id)
        await record(
            actor,
            "take",
            ENTITY,
            report_id,
            agreement_id=agreement_id,
            before={"state": report.state, "owner": report.owner_id},
            after={"state": new, "owner": user_id},
        )
        return Handled(await load_report(report_id), ids)


async def send(agreement_id: int, report_id: int, party_codes: list[str], *, actor: Actor) -> Handled:
    facts = await agreement_facts(agreement_id)
    async with DB.transaction():
        report = await load_report(report_id, agreement_id)
        new = states.send_to_parties(report.state, report.asks, party_codes, set(facts["parties"]))
        day = today()
        await FailureReport.raw(
            "INSERT INTO failure_report_party (report, party, involved, asked_on, answer, answered_by) "
            "SELECT {}, p.id, 'no', {}, '', '' FROM party p WHERE p.code = ANY({}) "
            "ON CONFLICT (report, party) DO UPDATE SET asked_on = coalesce(failure_report_party.asked_on, "
            "excluded.asked_on)",
            report_id,
            day,
            party_codes,
        )
        ids = await _save(report, new, day)
        found, uncontacted = await outbox.to_party_contacts(report_id, party_codes)
        await record(
            actor,
            "send",
            ENTITY,
            report_id,
            agreement_id=agreement_id,
            before={"state": report.state},
            after={"state": new, "asked": sorted(set(party_codes))},
        )
        return Handled(await load_report(report_id), ids + found, tuple(uncontacted))


async def answer(agreement_id: int, report_id: int, party_code: str, text: str, *, actor: Actor) -> Handled:
    async with DB.transaction():
        report = await load_report(report_id, agreement_id)
        new = states.answer(report.state, report.asks, party_code, text)
        day = today()
        await FailureReport.raw(
            "UPDATE failure_report_party SET answer = {}, answered_on = {}, answered_by = {} "
            "WHERE report = {} AND party = (SELECT id FROM party WHERE code = {})",
            text.strip(),
            day,
            actor.label,
            report_id,
            party_code,
        )
        ids = await _save(report, new, day)
        await record(
            actor,
            "answer",
            ENTITY,
            report_id,
            agreement_id=agreement_id,
            before={"state": report.state},
            after={"state": new, "answered": party_code},
        )
        return Handled(await load_report(report_id), ids)


async def close(agreement_id: int, report_id: int, conclusion: str, measure: str, *, actor: Actor) -> Handled:
    async with DB.transaction():
        report = await load_report(report_id, agreement_id)
        new, chosen = states.close(report.state, conclusion, measure)
        day = today()
        ids = await _save(
            report, new, day, conclusion=conclusion.strip(), measure=chosen.value, closed_on=day
        )
        await record(
            actor,
            "close",
            ENTITY,
            report_id,
            agreement_id=agreement_id,
            before={"state": report.state},
            after={"state": new, "measure": chosen},
        )
        return Handled(await load_report(report_id), ids)
