"""Rounds: ask the parties of an agreement (or of a whole structure) for something by a date and
collect each party's answer."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, patch, post, put
from litestar.params import FromPath, JSONBody, QueryParameter

from api.access import authorize
from api.actor import current_actor
from api.problems import problems
from cases.services import follow_up
from cases.views import RoundDetail
from core.clock import today
from parties.services import get_structure
from rounds.services import answering, closing, load, opening, policy
from rounds.services.policy import RoundPolicyIn, RoundPolicyView
from rounds.views import (
    AnswerIn,
    AnswerView,
    CloseIn,
    RoundIn,
    RoundItem,
    RoundPatch,
    RoundView,
    StructureRoundIn,
)

WRITE_ERRORS = problems(400, 401, 403, 404, 409, 422)


async def manage(request: Request, round_id: int) -> None:
    """A round is managed by its agreement's secretariat and stewards, a round of the whole
    structure by the structure's secretariat (the guard knows only the permission: where the round
    belongs is looked up here)."""
    loaded = await load.load(round_id)
    await authorize(request, "round.manage", **loaded.scope)


class RoundController(Controller):
    path = "/api/rounds"
    tags = ["Rundor"]

    @get(
        "/",
        summary="Rundor: remisser, uppföljningar, redovisningar",
        description="Filtrera på överenskommelse, tillfrågad part, struktur och om rundan är öppen.",
        opt={"access": "read"},
        responses=problems(400),
    )
    async def list_rounds(
        self,
        agreement: Annotated[int | None, QueryParameter(description="Överenskommelsens id")] = None,
        party: Annotated[
            str | None, QueryParameter(description="Partens kod: rundor den är tillfrågad i")
        ] = None,
        structure: Annotated[str | None, QueryParameter(description="Samverkansstrukturens slug")] = None,
        open_only: Annotated[bool, QueryParameter(name="open", description="Bara öppna rundor")] = False,
    ) -> list[RoundItem]:
        return await load.list_rounds(
            agreement_id=agreement, party=party, structure=structure, open_only=open_only, today=today()
        )

    @post(
        "/",
        summary="Öppna en runda",
        description="Frågar överenskommelsens parter (eller `parties`) om något till ett datum; en remiss"
        " registrerar också processens remissteg.",
        opt={"access": "round.manage"},
        responses=WRITE_ERRORS,
    )
    async def open_round(self, request: Request, data: JSONBody[RoundIn]) -> RoundView:
        await authorize(request, "round.manage", agreement_id=data.agreement_id)
        return await opening.open_round(data, actor=current_actor(request))

    @get(
        "/{round_id:int}",
        summary="En runda med översikt och inlämnade svar",
        description="Rundan med frågor, svarsdatum, varje parts läge och de svar som lämnats in (aldrig "
        "utkast). En uppföljning (kind uppfoljning) har också överenskommelsens samverkansbrister under "
        "de tolv månader som uppföljningen avser (samverkansbrister: perioden och antalen som analysen "
        "räknar dem, bara antal); för andra slag är samverkansbrister null.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def get_round(self, round_id: FromPath[int]) -> RoundDetail:
        return await follow_up.round_detail(load.round_view(await load.load(round_id), today()))

    @patch(
        "/{round_id:int}",
        summary="Ändra en öppen runda",
        description="Bara de fält som skickas ändras: titel, instruktioner, länkar, svarsdatum (parternas "
        "påminnelser och ett remissteg följer med) och frågor. `questions` ersätter frågorna och går "
        "bara att ändra så länge ingen part har lämnat in sitt svar (annars 409); ett utkast behåller "
        "svaren på de frågor som har kvar sin typ och sina alternativ.",
        opt={"access": "round.manage"},
        responses=WRITE_ERRORS,
    )
    async def update_round(
        self, request: Request, round_id: FromPath[int], data: JSONBody[RoundPatch]
    ) -> RoundView:
        await manage(request, round_id)
        return await opening.update_round(round_id, data, actor=current_actor(request))

    @post(
        "/{round_id:int}/close",
        summary="Stäng rundan med sammanställningen",
        description="Rundan stängs med sammanställningen av svaren; inga fler svar tas emot.",
        opt={"access": "round.manage"},
        responses=WRITE_ERRORS,
        status_code=200,
    )
    async def close_round(
        self, request: Request, round_id: FromPath[int], data: JSONBody[CloseIn]
    ) -> RoundView:
        await manage(request, round_id)
        return await closing.close_round(round_id, data, actor=current_actor(request))

    @get(
        "/{round_id:int}/answers/{party_code:str}",
        summary="Partens eget svar, utkast inräknat",
        description="Partens svar som det är sparat, som utkast, inlämnat eller avstått.",
        opt={"access": "round.answer"},
        responses=problems(401, 403, 404),
    )
    async def get_answer(self, round_id: FromPath[int], party_code: FromPath[str]) -> AnswerView:
        return await answering.get_answer(round_id, party_code)

    @put(
        "/{round_id:int}/answers/{party_code:str}",
        summary="Spara, lämna in eller avstå partens svar",
        description="`state`: draft sparar ett utkast, submitted lämnar in svaret, declined avstår. "
        "`answers` har ett svar per fråga (q1, q2 ...).",
        opt={"access": "round.answer"},
        responses=WRITE_ERRORS,
    )
    async def save_answer(
        self, request: Request, round_id: FromPath[int], party_code: FromPath[str], data: JSONBody[AnswerIn]
    ) -> AnswerView:
        return await answering.save_answer(round_id, party_code, data, actor=current_actor(request))


@get(
    "/api/structures/{structure:str}/rounds",
    summary="Strukturens egna rundor",
    description="Rundor som gäller hela samverkansstrukturen (en enkät eller en årlig redovisning till "
    "strukturen, inte en enskild överenskommelse), öppna först och närmaste svarsdag först. Rundor "
    "om strukturens överenskommelser listas med GET /api/rounds?structure=.",
    opt={"access": "read"},
    tags=["Rundor"],
    responses=problems(404),
)
async def list_structure_rounds(
    structure: FromPath[str],
    open_only: Annotated[bool, QueryParameter(name="open", description="Bara öppna rundor")] = False,
) -> list[RoundItem]:
    await get_structure(structure)  # an unknown structure is a 404, not an empty list
    return await load.list_rounds(
        structure=structure, whole_structure=True, open_only=open_only, today=today()
    )


@post(
    "/api/structures/{structure:str}/rounds",
    summary="Öppna en runda för hela strukturen",
    description="Frågar strukturens parter (alla, `parties` eller en grupp, `group`) om något till ett "
    "datum, utan att rundan hör till en enskild överenskommelse: en årlig redovisning, en enkät, en "
    "handlingsplan eller en uppföljning. En remiss öppnas på överenskommelsen (422 här). Strukturens "
    "kansli och administratörer.",
    opt={"access": "round.manage"},
    tags=["Rundor"],
    responses=WRITE_ERRORS,
)
async def open_structure_round(
    request: Request, structure: FromPath[str], data: JSONBody[StructureRoundIn]
) -> RoundView:
    return await opening.open_structure_round(structure, data, actor=current_actor(request))


@get(
    "/api/structures/{structure:str}/round-policy",
    summary="När strukturens uppföljningsrundor öppnas",
    description="Hur många veckor före en uppföljnings datum (ett år efter ikraftträdandet, eller den "
    "årliga) den dagliga körningen öppnar dess runda; default true när strukturen har standardvärdet, "
    "fyra veckor.",
    opt={"access": "read"},
    tags=["Rundor"],
    responses=problems(404),
)
async def get_round_policy(structure: FromPath[str]) -> RoundPolicyView:
    return await policy.get_policy(structure)


@put(
    "/api/structures/{structure:str}/round-policy",
    summary="Ändra när strukturens uppföljningsrundor öppnas",
    description='Till exempel {"follow_up_weeks": 6}: 1–26 veckor före uppföljningens datum; '
    '{"follow_up_weeks": null} återgår till standard, fyra veckor. Strukturens kansli och '
    "administratörer.",
    opt={"access": "round.manage"},
    tags=["Rundor"],
    responses=WRITE_ERRORS,
)
async def set_round_policy(
    request: Request, structure: FromPath[str], data: JSONBody[RoundPolicyIn]
) -> RoundPolicyView:
    return await policy.set_policy(structure, data.follow_up_weeks, actor=current_actor(request))


ROUND_ROUTES = [
    RoundController,
    list_structure_rounds,
    open_structure_round,
    get_round_policy,
    set_round_policy,
]
