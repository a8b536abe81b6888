"""Files on a round and on a party's answer: upload, list, download, delete. Stored and checked as the
agreements' documents (`documents.services.check_file`, the same size limit and error answers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from api.access import authorize
from api.actor import current_actor
from api.documents import MAX_BODY, UPLOAD_ERRORS, file_response
from api.openapi import StoredFileOperation
from api.problems import problems
from api.rounds import manage
from documents import round_files
from documents.views import RoundFileView

UPLOAD_RESPONSES = problems(400, 401, 403, 404, 409, 413, 422)
DELETE_RESPONSES = problems(401, 403, 404, 409)


@dataclass
class RoundFileUpload:
    file: UploadFile
    title: str = ""


Upload = Annotated[
    RoundFileUpload,
    Body(media_type=RequestEncodingType.MULTI_PART, description="Filen (PDF, DOCX eller ODT) med titel"),
]


async def store(
    request: Request, round_id: int, party_code: str | None, data: RoundFileUpload
) -> RoundFileView:
    """What the API and the pages' forms both do once the scope is checked."""
    return await round_files.upload(
        round_id,
        party_code,
        title=data.title,
        filename=data.file.filename or "",
        declared_type=data.file.content_type,
        content=await data.file.read(),
        actor=current_actor(request),
    )


class RoundFileController(Controller):
    path = "/api/rounds/{round_id:int}"
    tags = ["Rundor"]

    @get(
        "/files",
        summary="Rundans filer och de inlämnade svarens",
        description="Rundans eget underlag (`party_code` null) och filerna till de svar som lämnats in "
        "eller avståtts; ett utkasts filer är partens egna och syns inte här.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def list_files(self, round_id: FromPath[int]) -> list[RoundFileView]:
        return await round_files.list_files(round_id)

    @post(
        "/files",
        summary="Ladda upp underlag till rundan (PDF, DOCX, ODT)",
        description="Filens typ avgörs av innehållet, högst 20 MB; samma fil två gånger ger 409.",
        opt={"access": "round.manage"},
        request_max_body_size=MAX_BODY,
        exception_handlers=UPLOAD_ERRORS,
        responses=UPLOAD_RESPONSES,
    )
    async def upload_round_file(
        self, request: Request, round_id: FromPath[int], data: Upload
    ) -> RoundFileView:
        await manage(request, round_id)
        return await store(request, round_id, None, data)

    @delete(
        "/files/{file_id:int}",
        summary="Ta bort en fil ur rundans underlag",
        description="Filen och dess innehåll tas bort; borttagningen skrivs i historiken. Bara medan "
        "rundan är öppen (annars 409), av den som förvaltar rundan. Ett svars fil tas bort från svaret "
        "(`/answers/{party_code}/files/{file_id}`).",
        opt={"access": "round.manage"},
        responses=DELETE_RESPONSES,
    )
    async def delete_round_file(
        self, request: Request, round_id: FromPath[int], file_id: FromPath[int]
    ) -> None:
        await manage(request, round_id)
        await round_files.delete(round_id, file_id, None, actor=current_actor(request))

    @get(
        "/files/{file_id:int}",
        summary="En fil till rundan eller till ett svar",
        description="Filen som den är. Ett utkasts fil får bara partens egna (och administratörer) läsa.",
        opt={"access": "read"},
        responses=problems(401, 403, 404),
        media_type="application/octet-stream",
        operation_class=StoredFileOperation,
    )
    async def download(
        self, request: Request, round_id: FromPath[int], file_id: FromPath[int]
    ) -> Response[bytes]:
        view, public, content = await round_files.get_file(round_id, file_id)
        if not public:
            await authorize(request, "round.answer", party_code=view.party_code)
        return file_response(view.filename, view.media_type, content)

    @get(
        "/answers/{party_code:str}/files",
        summary="Filerna till partens svar, utkast inräknat",
        description="Filerna som parten har lagt till sitt svar, också medan svaret är ett utkast.",
        opt={"access": "round.answer"},
        responses=problems(401, 403, 404),
    )
    async def list_answer_files(
        self, round_id: FromPath[int], party_code: FromPath[str]
    ) -> list[RoundFileView]:
        return await round_files.list_files(round_id, own_party=party_code)

    @post(
        "/answers/{party_code:str}/files",
        summary="Lägg till en fil i partens svar (PDF, DOCX, ODT)",
        description="Filen hör till svaret: den syns för alla när svaret är inlämnat eller avstått, "
        "medan det är ett utkast bara för parten. Högst 20 MB; samma fil två gånger ger 409.",
        opt={"access": "round.answer"},
        request_max_body_size=MAX_BODY,
        exception_handlers=UPLOAD_ERRORS,
        responses=UPLOAD_RESPONSES,
    )
    async def upload_answer_file(
        self, request: Request, round_id: FromPath[int], party_code: FromPath[str], data: Upload
    ) -> RoundFileView:
        return await store(request, round_id, party_code, data)

    @delete(
        "/answers/{party_code:str}/files/{file_id:int}",
        summary="Ta bort en fil ur partens svar",
        description="Filen och dess innehåll tas bort; borttagningen skrivs i historiken. Medan rundan "
        "är öppen (annars 409), också när svaret är inlämnat: det går att rätta tills rundan stängs.",
        opt={"access": "round.answer"},
        responses=DELETE_RESPONSES,
    )
    async def delete_answer_file(
        self, request: Request, round_id: FromPath[int], party_code: FromPath[str], file_id: FromPath[int]
    ) -> None:
        await round_files.delete(round_id, file_id, party_code, actor=current_actor(request))
