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
from lifecycle.store import Evaluated
from lifecycle.tables import Agreement, ProcessStep
from lifecycle.views import Link, StepIn, TimelineEntry


async def timeline(agreement_id: int) -> list[TimelineEntry]:
    return timeline_of(await store.load([agreement_id], today()), agreement_id)


def timeline_of(evaluated: Evaluated, agreement_id: int) -> list[TimelineEntry]:
    loaded = evaluated[agreement_id]
    labels = {s.key: s.label for s in loaded.evaluation.template.steps}
    return [_entry(r, labels) for r in loaded.steps]


def _entry(row: dict, labels: dict[str, str]) -> TimelineEntry:
    return TimelineEntry(
        id=row["id"],
        step=row["step"],
        label=labels.get(row["step"], row["step"]),
        taken_on=row["taken_on"],
        body=row["body"],
        paragraph=row["paragraph"],
        case_number=row["case_number"],
        note=row["note"],
        links=[Link(**x) for x in row["links"]],
        reply_by=row["reply_by"],
        completed_on=row.get("completed_on"),
    )


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
        links = [msgspec.structs.asdict(link) for link in data.links]
        values = {
            "step": data.step,
            "taken_on": data.taken_on,
            "body": data.body.strip(),
            "paragraph": data.paragraph.strip(),
            "case_number": data.case_number.strip(),
            "note": data.note,
            "reply_by": data.reply_by,
        }
        inserted = await ProcessStep.insert(
            ProcessStep(
                agreement=agreement_id,
                links=json.dumps(links, ensure_ascii=False),
                created_at=now(),
                **values,
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
        labels = {s.key: s.label for s in template.steps}
        entry = _entry({**values, "id": inserted[0]["id"], "links": links}, labels)
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
        return  # the step went with its agreement: nothing to record
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
