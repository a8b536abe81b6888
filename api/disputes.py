"""Disputes (tvister) over the API: raise one, take it up the ladder, the ladder itself, and the
structure's yearly compilation."""

from __future__ import annotations

from datetime import date

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.params import FromPath, JSONBody

from api.access import authorize
from api.actor import current_actor
from api.problems import problems
from cases import ladders
from cases.dispute_views import (
    CompilationView,
    DisputeSummary,
    DisputeView,
    LadderView,
    compilation_view,
    dispute_view,
    level_view,
)
from cases.rules.disputes import STATE_SV, DisputeIn, DisputeState
from cases.rules.ladder import Level
from cases.services import compilation, disputes
from cases.services.dispute_load import list_disputes, load_dispute
from cases.services.load import agreement_facts

HANDLE = {"access": "dispute.handle"}


class InterpretationBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    party_code: str
    interpretation: str


class RaiseBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    raised_by_party: str
    description: str
    parties: list[InterpretationBody]
    reason: str
    report_id: int | None = None


class EscalateBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    outcome: str
    decided_on: date
    parties: list[str] | None = None


class SettleBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    outcome: str
    decided_on: date
    clarification: str = ""


class LevelBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: str
    reply_months: int = 0
    reply_days: int = 0


class LadderBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    levels: list[LevelBody]


def dispute_in(agreement_id: int, body: RaiseBody) -> DisputeIn:
    return DisputeIn(
        agreement_id=agreement_id,
        raised_by_party=body.raised_by_party,
        description=body.description,
        interpretations=tuple((p.party_code, p.interpretation) for p in body.parties),
        reason=body.reason,
        report_id=body.report_id,
    )


class DisputeController(Controller):
    path = "/api/agreements/{agreement_id:int}/disputes"
    tags = ["Tvister"]

    @get(
        "/",
        summary="Överenskommelsens tvister",
        description="De senaste först, med den nivå varje tvist är på och dess svarsdatum.",
        opt={"access": "dispute.read"},
        responses=problems(401, 403, 404),
    )
    async def list_all(self, agreement_id: FromPath[int]) -> list[DisputeSummary]:
        await agreement_facts(agreement_id)
        return [
            DisputeSummary(
                r["id"],
                r["state"],
                STATE_SV[DisputeState(r["state"])],
                r["raised_on"],
                r["raised_by_party"],
                r["level"],
                r["reply_by"] if r["state"] == "open" else None,
                r["closed_on"],
            )
            for r in await list_disputes(agreement_id)
        ]

    @post(
        "/",
        summary="Anmäl en tvist",
        description="En chef hos en av parterna anmäler tvisten (seed 002): en kortfattad beskrivning, "
        "varje parts tolkning och varför parterna inte kommer överens. Med `report_id` blir en "
        "samverkansbrist en tvist. Tvisten börjar på trappans första nivå, med dess svarsdatum.",
        opt={"access": "dispute.raise"},
        responses=problems(400, 401, 403, 404, 409, 422),
    )
    async def raise_one(
        self, request: Request, agreement_id: FromPath[int], data: JSONBody[RaiseBody]
    ) -> DisputeView:
        await authorize(request, "dispute.raise", agreement_id=agreement_id, party_code=data.raised_by_party)
        return dispute_view(
            await disputes.raise_dispute(dispute_in(agreement_id, data), actor=current_actor(request))
        )

    @get(
        "/ladder",
        summary="Tvistetrappan: nivåerna en tvist går igenom",
        description="Överenskommelsens egen trappa, annars strukturens.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def get_ladder(self, agreement_id: FromPath[int]) -> LadderView:
        facts = await agreement_facts(agreement_id)
        levels, own = await ladders.agreement_ladder(agreement_id, facts["slug"])
        return LadderView(own, [level_view(lv) for lv in levels])

    @put(
        "/ladder",
        summary="Ange överenskommelsens egen tvistetrappa",
        description="2–5 nivåer, var och en med namn och svarstid (månader och/eller dagar). En tom "
        "lista återgår till strukturens trappa. Tvister som redan är anmälda behåller sin trappa.",
        opt=HANDLE,
        responses=problems(400, 401, 403, 404, 422),
    )
    async def set_ladder(
        self, request: Request, agreement_id: FromPath[int], data: JSONBody[LadderBody]
    ) -> LadderView:
        facts = await agreement_facts(agreement_id)
        await ladders.set_agreement_ladder(
            agreement_id,
            [Level(lv.name, lv.reply_months, lv.reply_days) for lv in data.levels],
            actor=current_actor(request),
        )
        levels, own = await ladders.agreement_ladder(agreement_id, facts["slug"])
        return LadderView(own, [level_view(lv) for lv in levels])

    @get(
        "/{dispute_id:int}",
        summary="En tvist",
        description="Tvisten med beskrivning, parternas tolkningar, den nivå den är på, svarsdatum och "
        "varje steg i trappan.",
        opt={"access": "dispute.read"},
        responses=problems(401, 403, 404),
    )
    async def get_one(self, agreement_id: FromPath[int], dispute_id: FromPath[int]) -> DisputeView:
        return dispute_view(await load_dispute(dispute_id, agreement_id))

    @post(
        "/{dispute_id:int}/escalate",
        summary="Lyft tvisten till nästa nivå",
        description="Den nuvarande nivån kunde inte lösa tvisten: dess utfall och datum, och nästa "
        "nivå med nytt svarsdatum. Trappans sista nivå avgör och kan inte lyftas.",
        opt=HANDLE,
        status_code=200,
        responses=problems(400, 401, 403, 404, 409, 422),
    )
    async def escalate(
        self,
        request: Request,
        agreement_id: FromPath[int],
        dispute_id: FromPath[int],
        data: JSONBody[EscalateBody],
    ) -> DisputeView:
        done = await disputes.escalate(
            agreement_id,
            dispute_id,
            data.outcome,
            data.decided_on,
            data.parties,
            actor=current_actor(request),
        )
        return dispute_view(done)

    @post(
        "/{dispute_id:int}/settle",
        summary="Avsluta tvisten på nuvarande nivå",
        description="Parterna enades, eller trappans sista nivå avgjorde: utfallet, datumet och ett "
        "eventuellt förslag till förtydligande av överenskommelsen (årets sammanställning samlar dem).",
        opt=HANDLE,
        status_code=200,
        responses=problems(400, 401, 403, 404, 409, 422),
    )
    async def settle(
        self,
        request: Request,
        agreement_id: FromPath[int],
        dispute_id: FromPath[int],
        data: JSONBody[SettleBody],
    ) -> DisputeView:
        done = await disputes.settle(
            agreement_id,
            dispute_id,
            data.outcome,
            data.decided_on,
            data.clarification,
            actor=current_actor(request),
        )
        return dispute_view(done)


@get(
    "/api/structures/{structure:str}/disputes/{year:int}",
    summary="Årlig sammanställning och analys av strukturens tvister",
    description="Årets inkomna tvister (seed 002): antal per överenskommelse och högsta nivå, hur "
    "de slutade, median dagar till avslut, och förslagen till förtydliganden av överenskommelserna.",
    opt={"access": "read"},
    tags=["Tvister"],
    responses=problems(400, 404, 422),
)
async def yearly_compilation(structure: FromPath[str], year: FromPath[int]) -> CompilationView:
    return compilation_view(structure, await compilation.compilation(structure, year))


DISPUTE_ROUTES = [DisputeController, yearly_compilation]
