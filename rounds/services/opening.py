"""Opening a round and editing it: load the agreement (or the structure, for a round of the whole
structure), ask the rules, save with the audit event."""

from __future__ import annotations

import json
from datetime import date

import msgspec

from audit.trail import Actor, record
from core.clock import now, today
from core.errors import Conflict, InvalidInput, NotAllowed
from lifecycle import store
from lifecycle.rules.model import AgreementKind
from lifecycle.rules.process import get_template
from lifecycle.services import checks, follow_ups, steps
from lifecycle.tables import AgreementParty, ProcessStep
from lifecycle.views import Link, StepIn, TimelineEntry
from parties.services import get_structure
from parties.tables import Party, PartyGroup, PartyGroupMember, Structure
from rounds.rules import questions as question_rules
from rounds.rules.model import AnswerState, Question, RoundKind
from rounds.rules.rounds import (
    asked_parties,
    check_dates,
    check_open,
    check_questions_change,
    check_title,
    group_asked,
    kept_draft_values,
)
from rounds.services import deadlines
from rounds.services.load import Loaded, load, round_view
from rounds.tables import Round, RoundAnswer
from rounds.views import RoundIn, RoundPatch, RoundView, StructureRoundIn

# The process templates' key of the consultation step (lifecycle/templates/*.toml).
REMISS_STEP = "remiss"
KIND_WORDS = {
    RoundKind.REMISS: "remiss",
    RoundKind.FOLLOW_UP: "uppföljning",
    RoundKind.ANNUAL_REPORT: "årlig redovisning",
    RoundKind.ACTION_PLAN: "handlingsplan",
    RoundKind.SURVEY: "enkät",
}


def _kind(value: str) -> RoundKind:
    try:
        return RoundKind(value)
    except ValueError:
        allowed = ", ".join(k.value for k in RoundKind)
        raise InvalidInput(f"Okänd typ av runda ”{value}”. Tillåtna: {allowed}.", field="kind") from None


def _links(links: list[Link]) -> str:
    for link in links:
        if not link.url.startswith(("https://", "http://")):
            raise InvalidInput(f"Länken ”{link.url}” ska börja med https://.", field="links")
    return json.dumps([msgspec.structs.asdict(x) for x in links], ensure_ascii=False)


def _questions_json(qs: tuple[Question, ...]) -> str:
    return json.dumps(
        [{"key": q.key, "kind": q.kind.value, "text": q.text, "options": list(q.options)} for q in qs],
        ensure_ascii=False,
    )


async def _change_questions(loaded: Loaded, data: RoundPatch) -> str | None:
    """The new questions' JSON, or None when they stay as they are; the drafts keep the answers
    to the questions that stay the same (`kept_draft_values`), a declined answer the new keys.
    No answer is submitted here: `check_questions_change` refuses that."""
    new = question_rules.questions([msgspec.structs.asdict(q) for q in data.questions or ()])
    check_questions_change(loaded.questions, new, loaded.rule_answers())
    if new == loaded.questions:
        return None
    for a in loaded.answers:
        if a["answers"]:
            values = kept_draft_values(loaded.questions, new, a["answers"])
            await RoundAnswer.update({RoundAnswer.answers: json.dumps(values, ensure_ascii=False)}).where(
                RoundAnswer.id == a["id"]
            )
    return _questions_json(new)


async def _party_ids(agreement_id: int) -> dict[str, int]:
    rows = await AgreementParty.select(AgreementParty.party.id, AgreementParty.party.code).where(
        AgreementParty.agreement == agreement_id
    )
    return {r["party.code"]: r["party.id"] for r in rows}


async def structure_parties(slug: str) -> list[tuple[str, str]]:
    """The structure's parties a round of the whole structure may ask, (code, name) by name."""
    rows = (
        await Party.select(Party.code, Party.name)
        .where(Party.structure.slug == slug)
        .order_by(Party.name)
        .order_by(Party.code)
    )
    return [(r["code"], r["name"]) for r in rows]


async def _group_members(slug: str, structure_id: int) -> tuple[str, list[str]] | None:
    """The short name and party codes of the structure's group `slug`; None when it has none."""
    group = (
        await PartyGroup.select(PartyGroup.id, PartyGroup.short_name)
        .where((PartyGroup.slug == slug) & (PartyGroup.structure == structure_id))
        .first()
    )
    if group is None:
        return None
    rows = await PartyGroupMember.select(PartyGroupMember.party.code.as_alias("code")).where(
        PartyGroupMember.party_group == group["id"]
    )
    return group["short_name"], [r["code"] for r in rows]


async def _remiss_step(agreement_id: int, data: RoundIn, opened_on: date, actor: Actor) -> int:
    """The remiss step the round belongs to: the current step if it is a remiss without a round,
    else a new remiss step taken on the day the round opens (the template must allow it)."""
    last = (
        await ProcessStep.select(ProcessStep.id, ProcessStep.step, ProcessStep.completed_on)
        .where(ProcessStep.agreement == agreement_id)
        .order_by(ProcessStep.taken_on, ascending=False)
        .order_by(ProcessStep.id, ascending=False)
        .first()
    )
    if last and last["step"] == REMISS_STEP and last["completed_on"] is None:
        taken = await Round.exists().where(Round.process_step == last["id"])
        if not taken:
            await ProcessStep.update({ProcessStep.reply_by: data.reply_by}).where(
                ProcessStep.id == last["id"]
            )
            return last["id"]
    entry = await steps.record_step(
        agreement_id, StepIn(step=REMISS_STEP, taken_on=opened_on, reply_by=data.reply_by), actor=actor
    )
    return entry.id


def _checked(data: StructureRoundIn, day: date) -> tuple[RoundKind, str, date, tuple[Question, ...], str]:
    """What the rules say of a new round before anything is loaded: kind, title, opening day,
    questions and links."""
    kind = _kind(data.kind)
    title = check_title(data.title)
    opened_on = data.opened_on or day
    if opened_on > day:
        raise InvalidInput(f"En runda kan inte öppnas i framtiden ({opened_on} > {day}).", field="opened_on")
    check_dates(opened_on, data.reply_by)
    qs = question_rules.questions([msgspec.structs.asdict(q) for q in data.questions])
    return kind, title, opened_on, qs, _links(data.links)


async def _asked(party_ids: dict[str, int], data: StructureRoundIn, structure_id: int) -> tuple[str, ...]:
    if data.group is None:
        return asked_parties(list(party_ids), data.parties)
    found = await _group_members(data.group, structure_id)
    return group_asked(list(party_ids), data.parties, data.group, found)


async def open_round(data: RoundIn, *, actor: Actor, process_step: int | None = None) -> RoundView:
    """Open a round for the agreement's parties (all, or the chosen), with its questions."""
    day = today()
    kind, title, opened_on, qs, links = _checked(data, day)
    follow_up_key = follow_ups.check_key(data.follow_up_key) if data.follow_up_key else None
    async with Round._meta.db.transaction():
        agreement = await checks.agreement_row(data.agreement_id, lock=True)
        party_ids = await _party_ids(data.agreement_id)
        asked = await _asked(party_ids, data, agreement["structure"])
        if follow_up_key and await Round.exists().where(
            (Round.agreement == data.agreement_id) & (Round.follow_up_key == follow_up_key)
        ):
            raise Conflict(
                f"Det finns redan en runda för uppföljningen {follow_up_key}.", field="follow_up_key"
            )
        if kind is RoundKind.REMISS and process_step is None:
            template = get_template(agreement["structure_slug"], AgreementKind(agreement["kind"]))
            if template.step(REMISS_STEP) is None:
                raise NotAllowed(
                    f"Processen för det här dokumentet i {template.structure_name} har ingen remiss."
                )
            process_step = await _remiss_step(data.agreement_id, data, opened_on, actor)
        return await _insert(
            Round(
                structure=agreement["structure"],
                agreement=data.agreement_id,
                kind=kind.value,
                title=title,
                instructions=data.instructions.strip(),
                links=links,
                questions=_questions_json(qs),
                opened_on=opened_on,
                reply_by=data.reply_by,
                process_step=process_step,
                follow_up_key=follow_up_key,
            ),
            asked,
            party_ids,
            day,
            actor,
        )


async def open_structure_round(slug: str, data: StructureRoundIn, *, actor: Actor) -> RoundView:
    """Open a round of the whole structure (a survey across its agreements: the yearly report, an
    enkät), asking its parties (all, a group, or the chosen). A remiss is of an agreement's
    proposal, so it is opened on the agreement."""
    day = today()
    kind, title, opened_on, qs, links = _checked(data, day)
    if kind is RoundKind.REMISS:
        raise InvalidInput(
            "En remiss gäller ett förslag till en överenskommelse: öppna den på överenskommelsens sida.",
            field="kind",
        )
    async with Round._meta.db.transaction():
        structure = await Structure.select(Structure.id).where(Structure.slug == slug).first()
        if structure is None:
            await get_structure(slug)  # NotFound, naming the known structures
        rows = await Party.select(Party.id, Party.code).where(Party.structure == structure["id"])
        party_ids = {r["code"]: r["id"] for r in rows}
        if data.group is None and data.parties is not None:
            strangers = sorted(set(data.parties) - set(party_ids))
            if strangers:
                raise InvalidInput(
                    f"Parterna {', '.join(strangers)} är inte parter i samverkansstrukturen.", field="parties"
                )
        asked = await _asked(party_ids, data, structure["id"])
        return await _insert(
            Round(
                structure=structure["id"],
                agreement=None,
                kind=kind.value,
                title=title,
                instructions=data.instructions.strip(),
                links=links,
                questions=_questions_json(qs),
                opened_on=opened_on,
                reply_by=data.reply_by,
            ),
            asked,
            party_ids,
            day,
            actor,
        )


async def _insert(
    row: Round, asked: tuple[str, ...], party_ids: dict[str, int], day: date, actor: Actor
) -> RoundView:
    """Save the new round and its asked parties, its deadlines and the audit event (inside the
    caller's transaction)."""
    row.created_at = row.updated_at = now()
    inserted = await Round.insert(row).returning(Round.id)
    round_id = inserted[0]["id"]
    await RoundAnswer.insert(
        *[
            RoundAnswer(round=round_id, party=party_ids[code], state=AnswerState.NOT_STARTED.value)
            for code in asked
        ]
    )
    loaded = await load(round_id)
    await deadlines.store(loaded)
    view = round_view(loaded, day)
    await record(
        actor,
        "create",
        "round",
        round_id,
        agreement_id=loaded.row["agreement"],
        after={**msgspec.to_builtins(view), "parties": list(asked)},
    )
    return view


async def open_for_step(entry: TimelineEntry, agreement_id: int, *, actor: Actor) -> RoundView | None:
    """A remiss step recorded with a reply-by date opens its remiss round (no questions yet: the
    secretariat adds the instructions and links on the round's page)."""
    if entry.step != REMISS_STEP or entry.reply_by is None:
        return None
    agreement = await checks.agreement_row(agreement_id)
    data = RoundIn(
        agreement_id=agreement_id,
        kind=RoundKind.REMISS.value,
        title=f"Remiss: {agreement['title']}",
        reply_by=entry.reply_by,
        opened_on=min(entry.taken_on, today()),
        instructions=entry.note,
        links=entry.links,
    )
    return await open_round(data, actor=actor, process_step=entry.id)


async def record_step(agreement_id: int, data: StepIn, *, actor: Actor) -> TimelineEntry:
    """Record a process step; a remiss step with a reply-by date opens its round in the same
    transaction (what the timeline form and `POST /api/agreements/{id}/steps` call)."""
    async with Round._meta.db.transaction():
        entry = await steps.record_step(agreement_id, data, actor=actor)
        await open_for_step(entry, agreement_id, actor=actor)
    return entry


async def update_round(round_id: int, data: RoundPatch, *, actor: Actor) -> RoundView:
    day = today()
    async with Round._meta.db.transaction():
        loaded = await load(round_id, lock=True)
        check_open(loaded.facts)
        before = round_view(loaded, day)
        changes: dict = {Round.updated_at: now()}
        if data.title is not None:
            changes[Round.title] = check_title(data.title)
        if data.instructions is not None:
            changes[Round.instructions] = data.instructions.strip()
        if data.links is not None:
            changes[Round.links] = _links(data.links)
        if data.questions is not None and (questions := await _change_questions(loaded, data)):
            changes[Round.questions] = questions
        if data.reply_by is not None:
            check_dates(loaded.row["opened_on"], data.reply_by)
            changes[Round.reply_by] = data.reply_by
            if loaded.row["process_step"] is not None:  # the remiss step's reply date moves with it
                await ProcessStep.update({ProcessStep.reply_by: data.reply_by}).where(
                    ProcessStep.id == loaded.row["process_step"]
                )
        await Round.update(changes).where(Round.id == round_id)
        loaded = await load(round_id)
        await deadlines.store(loaded)
        if data.reply_by is not None and loaded.row["process_step"] is not None:
            await store.refresh([loaded.row["agreement"]], day)
        after = round_view(loaded, day)
        await record(
            actor,
            "update",
            "round",
            round_id,
            agreement_id=loaded.row["agreement"],
            before=msgspec.to_builtins(before),
            after=msgspec.to_builtins(after),
        )
    return after
