"""The upload forms on a round's page (the round's own material) and on a party's answer form,
and the buttons that remove a file: the same services and checks as `POST` and `DELETE
/api/rounds/{id}/files` and `.../answers/{party}/files`."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import Body, FromPath
from litestar.response import Redirect

from api.actor import current_actor
from api.documents import MAX_BODY
from api.pages.documents import bad_form_page, too_large_page
from api.pages.forms import Form
from api.pages.render import page
from api.pages.rounds import answer_context, round_context
from api.rounds import manage
from core.errors import DomainError, InvalidInput
from documents import round_files

UploadForm = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]
PICK_FILE = "Välj en fil att ladda upp (PDF, DOCX eller ODT)."
UPLOAD = {
    "include_in_schema": False,
    "request_max_body_size": MAX_BODY,
    "exception_handlers": {RequestEntityTooLarge: too_large_page, ClientException: bad_form_page},
}


async def _store(request: Request, round_id: int, party_code: str | None, data: dict, form: Form) -> None:
    upload = data.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput(PICK_FILE, field="file")
    await round_files.upload(
        round_id,
        party_code,
        title=form.values["title"],
        filename=upload.filename,
        declared_type=upload.content_type,
        content=await upload.read(),
        actor=current_actor(request),
    )


def _form(data: dict) -> Form:
    return Form("file", {"title": str(data.get("title", "")).strip(), "file": ""})


@post("/rounds/{round_id:int}/files", opt={"access": "round.manage"}, **UPLOAD)
async def upload_round_file(request: Request, round_id: FromPath[int], data: UploadForm) -> Response:
    form = _form(data)
    try:
        await manage(request, round_id)
        await _store(request, round_id, None, data, form)
    except DomainError as exc:
        context = await round_context(request, round_id, form.fail(exc))
        return page(request, "round.html", status=exc.status_hint, **context)
    return Redirect(path=f"/rounds/{round_id}?sparat=fil#filer", status_code=303)


@post("/rounds/{round_id:int}/answers/{party_code:str}/files", opt={"access": "round.answer"}, **UPLOAD)
async def upload_answer_file(
    request: Request, round_id: FromPath[int], party_code: FromPath[str], data: UploadForm
) -> Response:
    form = _form(data)
    try:
        await _store(request, round_id, party_code, data, form)
    except DomainError as exc:
        context = await answer_context(request, round_id, party_code, file_form=form.fail(exc))
        return page(request, "round_answer.html", status=exc.status_hint, **context)
    return Redirect(path=f"/rounds/{round_id}/answers/{party_code}?sparat=fil#filer", status_code=303)


def _not_removed(request: Request, exc: DomainError, back: str) -> Response:
    """Why the file stayed (the round closed meanwhile, the file was already removed), and the
    way back to the list it was in."""
    return page(
        request,
        "error.html",
        status=exc.status_hint,
        title="Det gick inte att ta bort filen",
        message=exc.message,
        status_code=exc.status_hint,
        back=back,
    )


@post(
    "/rounds/{round_id:int}/files/{file_id:int}/delete",
    opt={"access": "round.manage"},
    include_in_schema=False,
)
async def delete_round_file(request: Request, round_id: FromPath[int], file_id: FromPath[int]) -> Response:
    try:
        await manage(request, round_id)
        await round_files.delete(round_id, file_id, None, actor=current_actor(request))
    except DomainError as exc:
        return _not_removed(request, exc, f"/rounds/{round_id}#filer")
    return Redirect(path=f"/rounds/{round_id}?sparat=fil-borttagen#filer", status_code=303)


@post(
    "/rounds/{round_id:int}/answers/{party_code:str}/files/{file_id:int}/delete",
    opt={"access": "round.answer"},
    include_in_schema=False,
)
async def delete_answer_file(
    request: Request, round_id: FromPath[int], party_code: FromPath[str], file_id: FromPath[int]
) -> Response:
    form_url = f"/rounds/{round_id}/answers/{party_code}"
    try:
        await round_files.delete(round_id, file_id, party_code, actor=current_actor(request))
    except DomainError as exc:
        return _not_removed(request, exc, f"{form_url}#filer")
    return Redirect(path=f"{form_url}?sparat=fil-borttagen#filer", status_code=303)
