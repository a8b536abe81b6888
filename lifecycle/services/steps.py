"""Recording process steps (the timeline) against the structure's process template."""

from __future__ import annotations

import json
from datetime import date

import msgspec

from audit.trail import Actor, record
from core.clock import now, today
from lifecycle import store
from lifecycle.rules.model import AgreementKind, AgreementStatus
from lifecycle.rules.process import TakenStep, get_template, take_step
from lifecycle.services import checks
from lifecycle.tables import Agreement, ProcessStep
from lifecycle.views import Link, StepIn, TimelineEntry

STEP_COLUMNS = (
    ProcessStep.id,
    ProcessStep.step,
    ProcessStep.taken_on,
    ProcessStep.body,
    ProcessStep.paragraph,
    ProcessStep.case_number,
    ProcessStep.note,
    ProcessStep.links,
    ProcessStep.reply_by,
    ProcessStep.completed_on,
)


async def timeline(agreement_id: int) -> list[TimelineEntry]:
    row = await checks.agreement_row(agreement_id)
    template = get_template(row["structure_slug"], AgreementKind(row["kind"]))
    labels = {s.key: s.label for s in template.steps}
    rows = (
        await ProcessStep.select(*STEP_COLUMNS)
        .where(ProcessStep.agreement == agreement_id)
        .order_by(ProcessStep.taken_on)
        .order_by(ProcessStep.id)
        .output(load_json=True)
    )
    return [
        TimelineEntry(
            **{**r, "links": [Link(**x) for x in r["links"]]}, label=labels.get(r["step"], r["step"])
        )
        for r in rows
    ]


async def record_step(agreement_id: int, data: StepIn, *, actor: Actor) -> TimelineEntry:
    """Append a step if the template allows it after the steps taken so far, on a date not
    before the last one. A withdrawal withdraws the agreement; a guideline's deciding step puts
    it in force (the joint body decides alone)."""
    async with Agreement._meta.db.transaction():
        row = await checks.agreement_row(agreement_id, lock=True)
        template = get_template(row["structure_slug"], AgreementKind(row["kind"]))
        taken = [
            TakenStep(r["step"], r["taken_on"])
            for r in await ProcessStep.select(ProcessStep.step, ProcessStep.taken_on)
            .where(ProcessStep.agreement == agreement_id)
            .order_by(ProcessStep.taken_on)
            .order_by(ProcessStep.id)
        ]
        take_step(template, taken, data.step, data.taken_on, today=today())
        links = json.dumps([msgspec.structs.asdict(link) for link in data.links], ensure_ascii=False)
        inserted = await ProcessStep.insert(
            ProcessStep(
                agreement=agreement_id,
                step=data.step,
                taken_on=data.taken_on,
                body=data.body.strip(),
                paragraph=data.paragraph.strip(),
                case_number=data.case_number.strip(),
                note=data.note,
                links=links,
                reply_by=data.reply_by,
                created_at=now(),
            )
        ).returning(ProcessStep.id)
        status = None
        if data.step == template.withdrawal:
            status = AgreementStatus.WITHDRAWN
        elif data.step == template.decision_step and row["status"] == AgreementStatus.DRAFT:
            status = AgreementStatus.ACTIVE
        if status is not None:
            await Agreement.update({Agreement.status: status.value, Agreement.updated_at: now()}).where(
                Agreement.id == agreement_id
            )
        else:
            await Agreement.update({Agreement.updated_at: now()}).where(Agreement.id == agreement_id)
        await store.refresh([agreement_id], today())
        entry = next(e for e in await timeline(agreement_id) if e.id == inserted[0]["id"])
        await record(
            actor,
            "create",
            "process_step",
            entry.id,
            agreement_id=agreement_id,
            after=msgspec.to_builtins(entry),
        )
    return entry


async def complete_remiss(agreement_id: int, step_id: int, completed_on: date, *, actor: Actor) -> None:
    """Record that a remiss's replies are compiled (its round closed): its reply deadline is met,
    so it goes from the deadlines and its reminders stop. Call inside the closing transaction."""
    before = await ProcessStep.select(ProcessStep.completed_on).where(ProcessStep.id == step_id).first()
    if before is None:
        return  # the step was deleted with its agreement's history: nothing to record
    await ProcessStep.update({ProcessStep.completed_on: completed_on}).where(ProcessStep.id == step_id)
    await store.refresh([agreement_id], today())
    await record(
        actor,
        "update",
        "process_step",
        step_id,
        agreement_id=agreement_id,
        before={"completed_on": before["completed_on"]},
        after={"completed_on": completed_on},
    )
