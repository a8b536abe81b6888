"""Documents of an agreement version: upload (PDF, DOCX, ODT), the file itself, its extracted
state, and what a revision changed (the comparison of two versions' text)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Annotated
from urllib.parse import quote

import anyio
from kombu.exceptions import OperationalError
from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import Body, FromPath, QueryParameter

from api.access import authorize
from api.actor import current_actor
from api.openapi import StoredFileOperation
from api.problems import InvalidParam, problem_response, problems
from documents import compare, services
from documents.views import ComparisonView, DocumentView

log = logging.getLogger(__name__)
# the file and a few form fields around it; the service checks the file's own size exactly
MAX_BODY = services.MAX_BYTES + 64 * 1024
BAD_FORM = "Begäran ska vara ett formulär (multipart/form-data) med filen i fältet 'file'."


@dataclass
class DocumentUpload:
    file: UploadFile
    title: str = ""
    part: str = "text"  # "text": the agreement's own text; "annex": a bilaga


Upload = Annotated[
    DocumentUpload,
    Body(
        media_type=RequestEncodingType.MULTI_PART, description="Filen (PDF, DOCX eller ODT) med titel och del"
    ),
]
OtherVersion = Annotated[
    int | None,
    QueryParameter(
        name="with", ge=1, le=2_147_483_647, description="Den andra versionens id (standard: den föregående)"
    ),
]


def too_large(request: Request, exc: RequestEntityTooLarge) -> Response:
    return problem_response(
        request,
        413,
        services.too_large_message(),
        [InvalidParam(name="file", reason=services.too_large_message())],
    )


def bad_form(request: Request, exc: ClientException) -> Response:
    detail = BAD_FORM if "multipart" in (exc.detail or "") else exc.detail
    return problem_response(request, exc.status_code, detail)


UPLOAD_ERRORS = {RequestEntityTooLarge: too_large, ClientException: bad_form}


def file_response(filename: str, media_type: str, content: bytes) -> Response[bytes]:
    """A stored file as it is, under its own name; never sniffed by the browser as another type."""
    return Response(
        content=content,
        media_type=media_type,
        headers={
            "Content-Disposition": f"inline; filename*=UTF-8''{quote(filename)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def enqueue_extraction(document_id: int) -> None:
    """Hand the stored upload to a worker; when the broker is away, the beat job
    `documents-extract-waiting` picks it up later, so the upload still succeeds."""
    from workers.tasks import extract_document

    try:
        await anyio.to_thread.run_sync(partial(extract_document.apply_async, (document_id,), retry=False))
    except (OperationalError, OSError) as exc:
        log.warning("extraction of document %s not enqueued (%s); the beat job will", document_id, exc)


async def store_upload(request: Request, agreement_id: int, data: DocumentUpload) -> DocumentView:
    """Store, enqueue: what the API and the page's form both do (the route's guard has checked
    agreement.edit on the path's agreement)."""
    content = await data.file.read()
    view = await services.upload(
        agreement_id,
        part=data.part,
        title=data.title,
        filename=data.file.filename or "",
        declared_type=data.file.content_type,
        content=content,
        actor=current_actor(request),
    )
    await enqueue_extraction(view.id)
    return view


class AgreementDocumentController(Controller):
    path = "/api/agreements/{agreement_id:int}"
    tags = ["Dokument"]

    @get(
        "/documents",
        summary="En versions dokument",
        description="Avtalstext och bilagor som laddats upp till denna version, med typ, storlek och läge"
        " för textutläsningen.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def list_documents(self, agreement_id: FromPath[int]) -> list[DocumentView]:
        return await services.list_documents(agreement_id)

    @post(
        "/documents",
        summary="Ladda upp avtalstext eller bilaga (PDF, DOCX, ODT)",
        description="Filens typ avgörs av innehållet, inte namnet. Texten läses ut av en bakgrundsjobb: "
        "`state` är `waiting`, sedan `done` eller `failed` (med orsak i `state_reason`).",
        opt={"access": "agreement.edit"},
        request_max_body_size=MAX_BODY,
        exception_handlers=UPLOAD_ERRORS,
        responses=problems(400, 401, 403, 404, 409, 413, 422),
    )
    async def upload(self, request: Request, agreement_id: FromPath[int], data: Upload) -> DocumentView:
        return await store_upload(request, agreement_id, data)

    @get(
        "/comparison",
        summary="Vad en revidering ändrade: två versioners text, stycke för stycke",
        description="Jämför denna versions avtalstext med den föregående versionens (eller `with`): "
        "borttagna, tillagda och ändrade stycken.",
        opt={"access": "read"},
        responses=problems(404, 422),
    )
    async def comparison(self, agreement_id: FromPath[int], other: OtherVersion = None) -> ComparisonView:
        return await compare.compare_versions(agreement_id, other)


class DocumentController(Controller):
    path = "/api/documents"
    tags = ["Dokument"]

    @get(
        "/{document_id:int}",
        summary="Ett dokument",
        description="Dokumentets uppgifter: titel, del, filnamn, typ, storlek och läge för textutläsningen.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def get_document(self, document_id: FromPath[int]) -> DocumentView:
        return await services.get_document(document_id)

    @get(
        "/{document_id:int}/file",
        summary="Filen själv",
        description="Den uppladdade filen som den är, med sin typ (PDF, DOCX eller ODT) och sitt filnamn.",
        opt={"access": "read"},
        responses=problems(404),
        media_type="application/octet-stream",
        operation_class=StoredFileOperation,
    )
    async def file(self, document_id: FromPath[int]) -> Response[bytes]:
        return file_response(*await services.document_file(document_id))

    @delete(
        "/{document_id:int}",
        summary="Ta bort ett dokument",
        description="Filen och dess utlästa text tas bort; borttagningen skrivs i historiken.",
        opt={"access": "agreement.edit"},
        responses=problems(401, 403, 404),
    )
    async def remove(self, request: Request, document_id: FromPath[int]) -> None:
        document = await services.get_document(document_id)
        await authorize(request, "agreement.edit", agreement_id=document.agreement_id)
        await services.delete_document(document_id, actor=current_actor(request))


DOCUMENT_ROUTES = [AgreementDocumentController, DocumentController]
