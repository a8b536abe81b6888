"""A round's pages: its overview and answers, the form to answer it, to open one, to close it,
and its answers as CSV and XLSX. The same services and `authorize` as the JSON API."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from api.access import allowed, allowed_parties, authorize
from api.actor import current_actor
from api.pages import round_files as exports
from api.pages import round_forms
from api.pages.forms import Form, FormInvalid, FormList
from api.pages.labels import QUESTION_KINDS, ROUND_KINDS
from api.pages.render import page
from api.pages.spreadsheets import download
from cases.services import follow_up
from core.clock import today
from core.errors import DomainError
from documents import round_files
from documents.services import MAX_MB
from lifecycle.services import agreements, overview
from parties.services import get_structure, structure_groups
from rounds.services import answering, closing, load, opening

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _status(exc: DomainError | FormInvalid) -> int:
    return exc.status_hint if isinstance(exc, DomainError) else 422


async def round_context(request: Request, round_id: int, *forms: Form) -> dict:
    loaded = await load.load(round_id)
    view = await follow_up.round_detail(load.round_view(loaded, today()))
    may_manage = view.closed_on is None and await allowed(request, "round.manage", **loaded.scope)
    answerable = await allowed_parties(
        request, "round.answer", view.agreement_id, [p.party_code for p in view.parties]
    )
    returned = {f.name: f for f in forms}
    files = await round_files.list_files(round_id)
    questions_editable = view.counts.get("submitted", 0) == 0
    edit = returned.get("edit") or Form(
        "edit",
        {
            "title": view.title,
            "reply_by": view.reply_by.isoformat(),
            "instructions": view.instructions,
            **round_forms.question_values(view.questions),
        },
    )
    return {
        "r": view,
        "may_manage": may_manage,
        "answerable": answerable if view.closed_on is None else set(),
        "pictures": {s.key: exports.counts_picture(s, f"fraga-{s.key}") for s in view.summaries},
        "names": {p.party_code: p.party_name for p in view.parties},
        "close_form": returned.get("close", Form("close")),
        "edit_form": edit,
        "round_files": [x for x in files if x.party_code is None],
        "answer_files": {p: [x for x in files if x.party_code == p] for p in {x.party_code for x in files}},
        "file_form": returned.get("file", Form("file")),
        "max_upload_mb": MAX_MB,
        "questions_editable": questions_editable,
        "edit_rows": range(1, round_forms.edit_rows(len(view.questions)) + 1),
        "question_kinds": list(QUESTION_KINDS.items()),
    }


@get("/rounds/{round_id:int}", opt={"access": "read"}, include_in_schema=False)
async def round_page(request: Request, round_id: FromPath[int]) -> Template:
    return page(request, "round.html", **await round_context(request, round_id))


@post("/rounds/{round_id:int}/close", opt={"access": "round.manage"}, include_in_schema=False)
async def close_round(request: Request, round_id: FromPath[int], data: FormData) -> Response:
    form = Form.typed("close", data, round_forms.CLOSE_FIELDS)
    try:
        loaded = await load.load(round_id)
        await authorize(request, "round.manage", **loaded.scope)
        await closing.close_round(round_id, round_forms.close_in(form.values), actor=current_actor(request))
    except (DomainError, FormInvalid) as exc:
        context = await round_context(request, round_id, round_forms.fail(form, exc))
        return page(request, "round.html", status=_status(exc), **context)
    return Redirect(path=f"/rounds/{round_id}?sparat=runda-stangd", status_code=303)


@post("/rounds/{round_id:int}/edit", opt={"access": "round.manage"}, include_in_schema=False)
async def edit_round(request: Request, round_id: FromPath[int], data: FormData) -> Response:
    rows = round_forms.sent_rows(data)
    form = Form.typed("edit", data, round_forms.EDIT_FIELDS + round_forms.question_fields(rows))
    try:
        loaded = await load.load(round_id)
        await authorize(request, "round.manage", **loaded.scope)
        patch = round_forms.round_patch(form.values, rows)
        await opening.update_round(round_id, patch, actor=current_actor(request))
    except (DomainError, FormInvalid) as exc:
        context = await round_context(request, round_id, round_forms.fail(form, exc))
        return page(request, "round.html", status=_status(exc), **context)
    return Redirect(path=f"/rounds/{round_id}?sparat=runda-andrad", status_code=303)


async def answer_context(
    request: Request,
    round_id: int,
    party_code: str,
    form: Form | None = None,
    *,
    file_form: Form | None = None,
) -> dict:
    loaded = await load.load(round_id)
    view = load.round_view(loaded, today())
    own = await answering.get_answer(round_id, party_code)
    if form is None:
        values = {q.key: _typed(own.answers.get(q.key)) for q in view.questions}
        values.update(
            comment=own.comment,
            decided_body=own.decided_body,
            decided_paragraph=own.decided_paragraph,
            decided_case_number=own.decided_case_number,
            decided_on=own.decided_on.isoformat() if own.decided_on else "",
            link_title=own.links[0].title if own.links else "",
            link_url=own.links[0].url if own.links else "",
        )
        form = Form("answer", values)
    return {
        "r": view,
        "own": own,
        "f": form,
        "own_files": await round_files.list_files(round_id, own_party=party_code),
        "file_form": file_form or Form("file"),
        "max_upload_mb": MAX_MB,
    }


def _typed(value) -> str:
    if value is True:
        return "ja"
    if value is False:
        return "nej"
    return "" if value is None else str(value)


@get(
    "/rounds/{round_id:int}/answers/{party_code:str}", opt={"access": "round.answer"}, include_in_schema=False
)
async def answer_page(request: Request, round_id: FromPath[int], party_code: FromPath[str]) -> Template:
    return page(request, "round_answer.html", **await answer_context(request, round_id, party_code))


@post(
    "/rounds/{round_id:int}/answers/{party_code:str}", opt={"access": "round.answer"}, include_in_schema=False
)
async def save_answer(
    request: Request, round_id: FromPath[int], party_code: FromPath[str], data: FormData
) -> Response:
    keys = tuple(k for k in data if k.startswith("q") and k[1:].isdigit())
    form = Form.typed("answer", data, round_forms.ANSWER_FIELDS + keys)
    state = str(data.get("state", ""))
    try:
        answer = round_forms.answer_in(form.values, state)
        await answering.save_answer(round_id, party_code, answer, actor=current_actor(request))
    except (DomainError, FormInvalid) as exc:
        context = await answer_context(request, round_id, party_code, round_forms.fail(form, exc))
        return page(request, "round_answer.html", status=_status(exc), **context)
    saved = {"draft": "svar-utkast", "submitted": "svar-inlamnat", "declined": "svar-avstar"}[state]
    return Redirect(path=f"/rounds/{round_id}/answers/{party_code}?sparat={saved}", status_code=303)


async def _new_context(request: Request, agreement_id: int, form: Form | None = None, chosen=None) -> dict:
    detail = await agreements.get_agreement(agreement_id)
    parties = [(p.party_code, p.party_name) for p in (await overview.adoption_overview(agreement_id)).parties]
    return _new_form(
        parties,
        await _groups(detail.structure, parties, "av parterna"),
        form,
        chosen,
        back_url=f"/agreements/{agreement_id}",
        back_title=detail.title,
        action=f"/agreements/{agreement_id}/rounds",
        round_kinds=list(ROUND_KINDS.items()),
    )


async def _new_structure_context(slug: str, form: Form | None = None, chosen=None) -> dict:
    found = await get_structure(slug)
    parties = await opening.structure_parties(slug)
    return _new_form(
        parties,
        await _groups(slug, parties, "parter"),
        form or Form("round", {"kind": "arlig_redovisning", "asked": "all"}),
        chosen,
        back_url=f"/structures/{slug}",
        back_title=found.name,
        action=f"/structures/{slug}/rounds",
        round_kinds=[(k, v) for k, v in ROUND_KINDS.items() if k != "remiss"],
        structure_round=True,
    )


async def _groups(structure: str, parties: list[tuple[str, str]], counted: str) -> list[tuple[str, str]]:
    """The structure's groups with a member among the parties: those the round may ask."""
    codes = {code for code, _ in parties}
    return [
        (g.slug, f"{g.name}: {n} {counted}")
        for g in await structure_groups(structure)
        if (n := len(codes & set(g.members)))
    ]


def _new_form(
    parties: list[tuple[str, str]], groups: list[tuple[str, str]], form: Form | None, chosen, **shown
) -> dict:
    return {
        "parties": parties,
        "groups": groups,
        "chosen": set(chosen) if chosen is not None else {code for code, _ in parties},
        "f": form or Form("round", {"kind": "remiss", "asked": "all"}),
        "question_kinds": list(QUESTION_KINDS.items()),
        "rows": range(1, round_forms.QUESTION_ROWS + 1),
        "structure_round": False,
        **shown,
    }


def _sent(data: dict) -> tuple[Form, list[str]]:
    """The form to open a round as typed, and the parties it chose."""
    chosen = data.get("parties", [])
    chosen = [chosen] if isinstance(chosen, str) else list(chosen)
    flat = {k: v for k, v in data.items() if isinstance(v, str)}
    return Form.typed("round", flat, round_forms.ROUND_FIELDS + round_forms.question_fields()), chosen


@get("/agreements/{agreement_id:int}/rounds/new", opt={"access": "round.manage"}, include_in_schema=False)
async def new_round_page(request: Request, agreement_id: FromPath[int]) -> Template:
    return page(request, "round_new.html", **await _new_context(request, agreement_id))


@post("/agreements/{agreement_id:int}/rounds", opt={"access": "round.manage"}, include_in_schema=False)
async def open_round(request: Request, agreement_id: FromPath[int], data: FormList) -> Response:
    form, chosen = _sent(data)
    try:
        view = await opening.open_round(
            round_forms.round_in(agreement_id, form.values, chosen), actor=current_actor(request)
        )
    except (DomainError, FormInvalid) as exc:
        context = await _new_context(request, agreement_id, round_forms.fail(form, exc), chosen)
        return page(request, "round_new.html", status=_status(exc), **context)
    return Redirect(path=f"/rounds/{view.id}?sparat=runda-oppnad", status_code=303)


@get("/structures/{structure:str}/rounds/new", opt={"access": "round.manage"}, include_in_schema=False)
async def new_structure_round_page(request: Request, structure: FromPath[str]) -> Template:
    return page(request, "round_new.html", **await _new_structure_context(structure))


@post("/structures/{structure:str}/rounds", opt={"access": "round.manage"}, include_in_schema=False)
async def open_structure_round(request: Request, structure: FromPath[str], data: FormList) -> Response:
    """A round of the whole structure: its secretariat asks the structure's parties (the guard
    scopes the structure from the path)."""
    form, chosen = _sent(data)
    try:
        view = await opening.open_structure_round(
            structure, round_forms.structure_round_in(form.values, chosen), actor=current_actor(request)
        )
    except (DomainError, FormInvalid) as exc:
        context = await _new_structure_context(structure, round_forms.fail(form, exc), chosen)
        return page(request, "round_new.html", status=_status(exc), **context)
    return Redirect(path=f"/rounds/{view.id}?sparat=runda-oppnad", status_code=303)


@get("/rounds/{round_id:int}/svar.csv", opt={"access": "read"}, include_in_schema=False)
async def answers_csv(round_id: FromPath[int]) -> Response[bytes]:
    view = load.round_view(await load.load(round_id), today())
    return download(exports.answers_csv(view), exports.filename(view, "csv"))


@get("/rounds/{round_id:int}/svar.xlsx", opt={"access": "read"}, include_in_schema=False)
async def answers_xlsx(round_id: FromPath[int]) -> Response[bytes]:
    view = load.round_view(await load.load(round_id), today())
    return download(exports.answers_xlsx(view), exports.filename(view, "xlsx"))
