"""Registering a party's notice of termination (uppsägning)."""

from __future__ import annotations

import msgspec
from asyncpg.exceptions import UniqueViolationError

from audit.trail import Actor, record
from core.clock import now, today
from core.errors import Conflict, InvalidInput, NotAllowed
from lifecycle import store
from lifecycle.rules.attached import refuse_attached_notice
from lifecycle.rules.term import Notice as RuleNotice
from lifecycle.rules.term import term_as_of
from lifecycle.services.decisions import locked_party
from lifecycle.tables import Agreement, Notice
from lifecycle.views import NoticeIn, NoticeView


async def register_notice(agreement_id: int, party_code: str, data: NoticeIn, *, actor: Actor) -> NoticeView:
    """A party's written notice ends the agreement for that party at the date the term rule
    gives (DOMAIN.md rule 5); the others stay bound."""
    async with Agreement._meta.db.transaction():
        _, party_id, _ = await locked_party(agreement_id, party_code)
        loaded = (await store.load([agreement_id], today()))[agreement_id]
        inputs, term = loaded.inputs, loaded.evaluation.term_rule
        refuse_attached_notice(inputs.kind, loaded.row["parent"])
        if term is None:
            raise NotAllowed(
                "Överenskommelsen har ingen giltighetstid att säga upp; ange giltighetstiden först."
            )
        if data.given_on > today():
            raise InvalidInput(
                f"Uppsägningen kan inte vara given senare än i dag ({data.given_on}).", field="given_on"
            )
        notices = [*inputs.notices, RuleNotice(party_code, data.given_on, data.law_change, data.agreed_end)]
        parties = list(inputs.parties) if len(inputs.parties) >= 2 else None
        # the rule refuses impossible notices, and says when the agreement ends for this party
        ends = term_as_of(term, notices, today(), parties=parties).party_end_dates.get(party_code)
        try:
            rows = await Notice.insert(
                Notice(
                    agreement=agreement_id,
                    party=party_id,
                    given_on=data.given_on,
                    law_change=data.law_change,
                    agreed_end=data.agreed_end,
                    note=data.note,
                    created_at=now(),
                )
            ).returning(Notice.id)
        except UniqueViolationError:
            raise Conflict(
                f"Part {party_code} har redan sagt upp överenskommelsen.", field="party_code"
            ) from None
        await store.refresh([agreement_id], today())
        view = NoticeView(
            id=rows[0]["id"],
            party_code=party_code,
            party_name=loaded.parties[party_code]["name"],
            given_on=data.given_on,
            law_change=data.law_change,
            agreed_end=data.agreed_end,
            note=data.note,
            ends_for_party_on=ends,
        )
        await record(
            actor, "create", "notice", view.id, agreement_id=agreement_id, after=msgspec.to_builtins(view)
        )
    return view
