"""Closing a round with the secretariat's compilation: nothing changes after it, its deadlines
go, and what it stood for in the lifecycle is recorded as done (the remiss step's replies)."""

from __future__ import annotations

import json

from audit.trail import Actor, record
from core.clock import now, today
from core.errors import InvalidInput
from lifecycle.services import follow_ups, steps
from rounds.rules.rounds import check_close
from rounds.services import deadlines
from rounds.services.load import load, round_view
from rounds.services.opening import _links
from rounds.tables import Round
from rounds.views import CloseIn, RoundView


async def close_round(round_id: int, data: CloseIn, *, actor: Actor) -> RoundView:
    day = today()
    closed_on = data.closed_on or day
    if closed_on > day:
        raise InvalidInput(f"En runda kan inte stängas i framtiden ({closed_on} > {day}).", field="closed_on")
    async with Round._meta.db.transaction():
        loaded = await load(round_id, lock=True)
        text = check_close(loaded.facts, data.compilation, closed_on)
        await Round.update(
            {
                Round.closed_on: closed_on,
                Round.compilation: text,
                Round.compilation_links: _links(data.links),
                Round.updated_at: now(),
            }
        ).where(Round.id == round_id)
        loaded = await load(round_id)
        await deadlines.store(loaded)
        agreement_id = loaded.row["agreement"]
        if loaded.row["process_step"] is not None:
            await steps.complete_remiss(agreement_id, loaded.row["process_step"], closed_on, actor=actor)
        if loaded.row["follow_up_key"]:
            await follow_ups.record_done(
                agreement_id, loaded.row["follow_up_key"], closed_on, actor=actor, note=f"Runda {round_id}"
            )
        view = round_view(loaded, day)
        await record(
            actor,
            "close",
            "round",
            round_id,
            agreement_id=agreement_id,
            after={
                "closed_on": closed_on,
                "compilation": text,
                "compilation_links": json.loads(_links(data.links)),
            },
        )
    return view
