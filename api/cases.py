"""Samverkansbrister over the API: the public report and status link, handling, the counts."""

from __future__ import annotations

import logging
from datetime import date

import anyio
import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath, JSONBody

from api.actor import current_actor
from api.problems import problems
from api.throttle import count_report
from cases.categories import categories
from cases.rules.report import ReportIn
from cases.services import analysis, handling, reports
from cases.services.load import list_reports, load_report
from cases.views import (
    AnalysisView,
    AskedReportView,
    Received,
    ReportStatus,
    ReportView,
    analysis_view,
    asked_report_view,
    report_status,
    report_view,
)
from parties import services as party_services

log = logging.getLogger(__name__)
HANDLE = {"access": "case.handle"}


class ReportBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    agreement_id: int
    party_codes: list[str]
    occurred_on: date
    what_happened: str
    consequence: str
    category: str
    reporter_email: str | None = None


class SendBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    party_codes: list[str]


class AnswerBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    answer: str


class CloseBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    conclusion: str
    measure: str


class ReportSummary(msgspec.Struct):
    id: int
    state: str
    category: str
    occurred_on: date
    received_on: date
    closed_on: date | None
    owner: str | None
    asked: int
    answered: int


async def enqueue(ids: list[int]) -> None:
    """Hand the committed outbox rows to the workers. If Redis is down the rows wait in PostgreSQL
    and the hourly sweep sends them: the report itself is never lost to a broker failure."""
    if not ids:
        return
    from workers.tasks import enqueue_case_messages

    try:
        await anyio.to_thread.run_sync(enqueue_case_messages, ids)
    except Exception:  # the broker's errors are many; the sweep is the fallback for all of them
        log.exception("could not enqueue case messages %s; the sweep will", ids)


def report_in(body: ReportBody) -> ReportIn:
    return ReportIn(
        agreement_id=body.agreement_id,
        party_codes=tuple(dict.fromkeys(body.party_codes)),
        occurred_on=body.occurred_on,
        what_happened=body.what_happened,
        consequence=body.consequence,
        category=body.category,
        reporter_email=body.reporter_email,
    )


class PublicCaseController(Controller):
    path = "/api/cases"
    tags = ["Samverkansbrister"]

    @post(
        "/",
        summary="Rapportera en samverkansbrist (utan inloggning)",
        description="Öppen för personal utan konto, begränsad per adress. Texten får inte innehålla "
        "personnummer eller samordningsnummer. Svaret innehåller den hemliga statuslänken.",
        opt={"access": "public"},
        responses=problems(400, 403, 404, 422, 429),
    )
    async def report(self, request: Request, data: JSONBody[ReportBody]) -> Received:
        await count_report(request)
        received = await reports.submit(report_in(data), actor=current_actor(request))
        await enqueue(received.message_ids)
        return Received(received.report_id, received.status_url)

    @get(
        "/status/{token:str}",
        summary="En rapports läge, via den hemliga statuslänken",
        description="Läge, historik och, när rapporten är avslutad, slutsats och åtgärd: aldrig "
        "rapportörens adress eller parternas svar. En felaktig eller gallrad länk ger 404.",
        opt={"access": "public"},
        responses=problems(404),
    )
    async def status(self, token: FromPath[str]) -> ReportStatus:
        return report_status(await reports.by_token(token))

    @get(
        "/categories/{structure:str}",
        summary="Kategorierna för samverkansbrister i en struktur",
        description="De kategorier en rapport om samverkansbrist kan ha i strukturen.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def list_categories(self, structure: FromPath[str]) -> list[str]:
        await party_services.get_structure(structure)
        return list(categories(structure))


class AgreementCaseController(Controller):
    path = "/api/agreements/{agreement_id:int}/cases"
    tags = ["Samverkansbrister"]

    @get(
        "/",
        summary="Överenskommelsens rapporter (handläggare)",
        description="De senaste först, med läge, ansvarig och hur många tillfrågade parter som har svarat.",
        opt=HANDLE,
        responses=problems(401, 403, 404),
    )
    async def list_cases(self, agreement_id: FromPath[int]) -> list[ReportSummary]:
        return [
            ReportSummary(
                r["id"],
                r["state"],
                r["category"],
                r["occurred_on"],
                r["received_on"],
                r["closed_on"],
                r["owner_name"],
                r["asked"],
                r["answered"],
            )
            for r in await list_reports(agreement_id)
        ]

    @get(
        "/analysis",
        summary="Analys: antal per kategori, part och kvartal",
        description="Bara antal, öppna och avslutade, och median dagar till avslut: aldrig "
        "rapporternas texter eller rapportörernas adresser.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def agreement_analysis(self, agreement_id: FromPath[int]) -> AnalysisView:
        return analysis_view(await analysis.analysis(agreement_id=agreement_id))

    @get(
        "/{case_id:int}",
        summary="En rapport (handläggare)",
        description="Hela rapporten: vad som hände, rapportörens e-postadress, läge, historik, "
        "tillfrågade parter och deras svar.",
        opt=HANDLE,
        responses=problems(401, 403, 404),
    )
    async def get_case(self, agreement_id: FromPath[int], case_id: FromPath[int]) -> ReportView:
        return report_view(await load_report(case_id, agreement_id))

    @post(
        "/{case_id:int}/take",
        summary="Ta rapporten för granskning",
        description="Du blir rapportens ansvarige och rapporten går till granskning.",
        opt=HANDLE,
        status_code=200,
        responses=problems(401, 403, 404, 409),
    )
    async def take(self, request: Request, agreement_id: FromPath[int], case_id: FromPath[int]) -> ReportView:
        user = request.scope["user"]
        done = await handling.take(agreement_id, case_id, user_id=user.id, actor=current_actor(request))
        await enqueue(done.message_ids)
        return report_view(done.report)

    @post(
        "/{case_id:int}/send",
        summary="Skicka rapporten till berörda parter",
        description="Parterna (`party_codes`, parter i överenskommelsen) ombeds lämna sin beskrivning; "
        "deras kontakter får e-post.",
        opt=HANDLE,
        status_code=200,
        responses=problems(400, 401, 403, 404, 409, 422),
    )
    async def send(
        self, request: Request, agreement_id: FromPath[int], case_id: FromPath[int], data: JSONBody[SendBody]
    ) -> ReportView:
        done = await handling.send(agreement_id, case_id, data.party_codes, actor=current_actor(request))
        await enqueue(done.message_ids)
        return report_view(done.report)

    @post(
        "/{case_id:int}/parties/{party_code:str}/answer",
        summary="En parts svar på rapporten",
        description="Partens beskrivning av det som hände. Svaret visar rapporten utan rapportörens "
        "e-postadress: den ser bara de som handlägger rapporten.",
        opt={"access": "case.answer"},
        status_code=200,
        responses=problems(400, 401, 403, 404, 409, 422),
    )
    async def answer(
        self,
        request: Request,
        agreement_id: FromPath[int],
        case_id: FromPath[int],
        party_code: FromPath[str],
        data: JSONBody[AnswerBody],
    ) -> AskedReportView:
        done = await handling.answer(
            agreement_id, case_id, party_code, data.answer, actor=current_actor(request)
        )
        await enqueue(done.message_ids)
        return asked_report_view(done.report)  # a party's clerk: never the reporter's address

    @post(
        "/{case_id:int}/close",
        summary="Avsluta rapporten med slutsats och åtgärd",
        description="Rapporten avslutas; slutsatsen och åtgärden syns sedan för rapportören genom "
        "statuslänken.",
        opt=HANDLE,
        status_code=200,
        responses=problems(400, 401, 403, 404, 409, 422),
    )
    async def close(
        self, request: Request, agreement_id: FromPath[int], case_id: FromPath[int], data: JSONBody[CloseBody]
    ) -> ReportView:
        done = await handling.close(
            agreement_id, case_id, data.conclusion, data.measure, actor=current_actor(request)
        )
        await enqueue(done.message_ids)
        return report_view(done.report)


@get(
    "/api/structures/{structure:str}/cases/analysis",
    summary="Analys av strukturens samverkansbrister",
    description="Bara antal per kategori, överenskommelse, part och kvartal, öppna och avslutade, och"
    " median dagar till avslut: aldrig rapporternas texter eller rapportörernas adresser.",
    opt={"access": "read"},
    tags=["Samverkansbrister"],
    responses=problems(404),
)
async def structure_analysis(structure: FromPath[str]) -> AnalysisView:
    return analysis_view(await analysis.analysis(structure=structure))


CASE_ROUTES = [PublicCaseController, AgreementCaseController, structure_analysis]
