"""The documents on the agreement page: the upload form's handler, and the page that shows what a
revision changed (two versions' text, paragraph by paragraph, the changed words marked)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import Body, FromPath, QueryParameter
from litestar.response import Redirect, Template

from api.actor import current_actor
from api.documents import BAD_FORM, MAX_BODY, enqueue_extraction
from api.pages.agreement import agreement_context
from api.pages.forms import Form
from api.pages.render import page
from core.errors import DomainError, InvalidInput
from documents import compare, services

UploadForm = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]
OtherVersion = Annotated[int | None, QueryParameter(name="with", ge=1, le=2_147_483_647)]
PICK_FILE = "Välj en fil att ladda upp (PDF, DOCX eller ODT)."


def _refused_page(request: Request, status: int, message: str) -> Response:
    agreement_id = request.path_params.get("agreement_id")
    back = f"/agreements/{agreement_id}#dokument" if agreement_id else None
    return page(
        request,
        "error.html",
        status=status,
        title="Det gick inte att ladda upp filen",
        message=message,
        status_code=status,
        back=back,
    )


def too_large_page(request: Request, exc: RequestEntityTooLarge) -> Response:
    return _refused_page(request, 413, services.too_large_message())


def bad_form_page(request: Request, exc: ClientException) -> Response:
    return _refused_page(
        request, exc.status_code, BAD_FORM if "multipart" in (exc.detail or "") else exc.detail
    )


@post(
    "/agreements/{agreement_id:int}/documents",
    opt={"access": "agreement.edit"},
    include_in_schema=False,
    request_max_body_size=MAX_BODY,
    exception_handlers={RequestEntityTooLarge: too_large_page, ClientException: bad_form_page},
)
async def upload_document(request: Request, agreement_id: FromPath[int], data: UploadForm) -> Response:
    upload = data.get("file")
    form = Form(
        "document",
        {"title": str(data.get("title", "")).strip(), "part": str(data.get("part", "text")), "file": ""},
    )
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput(PICK_FILE, field="file")
        view = await services.upload(
            agreement_id,
            part=form.values["part"],
            title=form.values["title"],
            filename=upload.filename,
            declared_type=upload.content_type,
            content=await upload.read(),
            actor=current_actor(request),
        )
    except DomainError as exc:
        context = await agreement_context(request, agreement_id, form.fail(exc))
        return page(request, "agreement.html", status=exc.status_hint, **context)
    await enqueue_extraction(view.id)
    return Redirect(path=f"/agreements/{agreement_id}?sparat=dokument#dokument", status_code=303)


@get("/agreements/{agreement_id:int}/comparison", opt={"access": "read"}, include_in_schema=False)
async def comparison_page(
    request: Request, agreement_id: FromPath[int], other: OtherVersion = None
) -> Template:
    result = await compare.compare_versions(agreement_id, other)
    return page(request, "comparison.html", c=result, agreement_id=agreement_id)
