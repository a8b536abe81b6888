"""A party answers a round: a draft, a submitted answer (correctable until the round closes), or
"avstår". Load the round, ask the rules, save the answer and its deadlines with the audit event."""

from __future__ import annotations

import json

import msgspec

from audit.trail import Actor, record
from core.clock import now, today
from core.errors import InvalidInput
from rounds.rules import questions as question_rules
from rounds.rules.model import AnswerState
from rounds.rules.rounds import check_decided_by, check_open, next_state
from rounds.services import deadlines
from rounds.services.load import answer_view, load
from rounds.services.opening import _links
from rounds.tables import RoundAnswer
from rounds.views import AnswerIn, AnswerView

MAX_COMMENT = 20_000


def _state(value: str) -> AnswerState:
    try:
        return AnswerState(value)
    except ValueError:
        raise InvalidInput(
            f"Okänt läge för svaret ”{value}”. "
            "Tillåtna: draft (utkast), submitted (lämna in), declined (avstå).",
            field="state",
        ) from None


async def get_answer(round_id: int, party_code: str) -> AnswerView:
    """The party's own answer, a draft's content included (for the party: see api/access.py)."""
    loaded = await load(round_id)
    return answer_view(loaded.answer_row(party_code), loaded.row["reply_by"], today(), with_content=True)


async def save_answer(round_id: int, party_code: str, data: AnswerIn, *, actor: Actor) -> AnswerView:
    day = today()
    wanted = _state(data.state)
    if len(data.comment) > MAX_COMMENT:
        raise InvalidInput(f"Kommentaren är för lång (högst {MAX_COMMENT} tecken).", field="comment")
    async with RoundAnswer._meta.db.transaction():
        loaded = await load(round_id, lock=True)
        check_open(loaded.facts)
        row = loaded.answer_row(party_code)
        state = next_state(AnswerState(row["state"]), wanted)
        declined = state is AnswerState.DECLINED
        values = (
            {q.key: None for q in loaded.questions}
            if declined
            else question_rules.check_answers(
                loaded.questions, data.answers, complete=state is AnswerState.SUBMITTED
            )
        )
        check_decided_by(
            data.decided_body, data.decided_paragraph, data.decided_case_number, data.decided_on, today=day
        )
        stamp = now()
        before = answer_view(row, loaded.row["reply_by"], day, with_content=True)
        finished = state in (AnswerState.SUBMITTED, AnswerState.DECLINED)
        await RoundAnswer.update(
            {
                RoundAnswer.state: state.value,
                RoundAnswer.answers: json.dumps(values, ensure_ascii=False),
                RoundAnswer.comment: data.comment.strip(),
                RoundAnswer.links: _links(data.links),
                RoundAnswer.decided_body: data.decided_body.strip(),
                RoundAnswer.decided_paragraph: data.decided_paragraph.strip(),
                RoundAnswer.decided_case_number: data.decided_case_number.strip(),
                RoundAnswer.decided_on: data.decided_on,
                RoundAnswer.saved_at: stamp,
                RoundAnswer.submitted_at: stamp if finished else None,
                RoundAnswer.submitted_by: actor.label[:200] if finished else "",
                RoundAnswer.version: RoundAnswer.version + 1,
            }
        ).where(RoundAnswer.id == row["id"])
        loaded = await load(round_id)
        await deadlines.store(loaded)
        after = answer_view(loaded.answer_row(party_code), loaded.row["reply_by"], day, with_content=True)
        # the whole answer, not only the changed fields: the trail keeps each version (issue: rounds)
        await record(
            actor,
            "update",
            "round_answer",
            row["id"],
            agreement_id=loaded.row["agreement"],
            after={**msgspec.to_builtins(after), "round": round_id, "previous_state": before.state},
        )
    return after
