"""The forms' POST handlers: the same services and `authorize` as the JSON API.

On a mistake the page comes back with the form as typed and the error beside its field; on
success, a redirect (303) back to the page, which then says what was saved.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Request, Response, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from api.access import authorize
from api.actor import current_actor
from api.pages import forms
from api.pages.agreement import agreement_context
from api.pages.forms import Form, FormInvalid, FormList
from api.pages.party import PROPOSAL_SHOWN, party_context, proposal_form_name
from api.pages.render import page
from core.errors import DomainError
from lifecycle.services import decisions, group_recommendations, notices, proposals
from lifecycle.views import ProposalPatch
from rounds.services import opening

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
PICK_PARTY = "Välj vilken part beslutet gäller."


def _status(exc: DomainError | FormInvalid) -> int:
    return exc.status_hint if isinstance(exc, DomainError) else 422


async def _agreement_again(request: Request, agreement_id: int, form: Form, exc) -> Response:
    context = await agreement_context(request, agreement_id, form.fail(exc))
    return page(request, "agreement.html", status=_status(exc), **context)


def _saved(path: str, what: str, anchor: str) -> Redirect:
    return Redirect(path=f"{path}?sparat={what}#{anchor}", status_code=303)


@post("/agreements/{agreement_id:int}/decisions", opt={"access": "decision.log"}, include_in_schema=False)
async def log_decision(request: Request, agreement_id: FromPath[int], data: FormList) -> Response:
    flat, covers = forms.ticked(data, "covers")
    form = Form.typed("decision", {**flat, "covers": covers}, forms.DECISION_FIELDS)
    try:
        party = forms.required_choice(form.values, "party_code", PICK_PARTY)
        decision = forms.decision_in(form.values)
        await authorize(request, "decision.log", agreement_id=agreement_id, party_code=party)
        await decisions.log_decision(agreement_id, party, decision, actor=current_actor(request))
    except (DomainError, FormInvalid) as exc:
        return await _agreement_again(request, agreement_id, form, exc)
    return _saved(f"/agreements/{agreement_id}", "beslut", "antagande")


@post("/agreements/{agreement_id:int}/proposals", opt={"access": "decision.log"}, include_in_schema=False)
async def record_proposal(request: Request, agreement_id: FromPath[int], data: FormData) -> Response:
    form = Form.typed("proposal", data, forms.PROPOSAL_FIELDS)
    try:
        party = forms.required_choice(form.values, "party_code", "Välj vilken part förslaget gäller.")
        proposal = forms.proposal_in(form.values)
        await authorize(request, "decision.log", agreement_id=agreement_id, party_code=party)
        await proposals.record_proposal(agreement_id, party, proposal, actor=current_actor(request))
    except (DomainError, FormInvalid) as exc:
        return await _agreement_again(request, agreement_id, form, exc)
    return _saved(f"/agreements/{agreement_id}", "forslag", "antagande")


@post("/agreements/{agreement_id:int}/steps", opt={"access": "process.record"}, include_in_schema=False)
async def record_step(request: Request, agreement_id: FromPath[int], data: FormData) -> Response:
    form = Form.typed("step", data, forms.STEP_FIELDS)
    try:
        step = forms.step_in(form.values)
        await authorize(request, "process.record", agreement_id=agreement_id)
        await opening.record_step(agreement_id, step, actor=current_actor(request))
    except (DomainError, FormInvalid) as exc:
        return await _agreement_again(request, agreement_id, form, exc)
    return _saved(f"/agreements/{agreement_id}", "steg", "process")


@post(
    "/agreements/{agreement_id:int}/group-recommendations",
    opt={"access": "process.record"},
    include_in_schema=False,
)
async def record_group_recommendation(
    request: Request, agreement_id: FromPath[int], data: FormData
) -> Response:
    form = Form.typed("group_recommendation", data, forms.GROUP_FIELDS)
    try:
        recommendation = forms.group_recommendation_in(form.values)
        await group_recommendations.record_recommendation(
            agreement_id, recommendation, actor=current_actor(request)
        )
    except (DomainError, FormInvalid) as exc:
        return await _agreement_again(request, agreement_id, form, exc)
    return _saved(f"/agreements/{agreement_id}", "forbund", "grupper")


@post("/agreements/{agreement_id:int}/notices", opt={"access": "notice.register"}, include_in_schema=False)
async def register_notice(request: Request, agreement_id: FromPath[int], data: FormData) -> Response:
    form = Form.typed("notice", data, forms.NOTICE_FIELDS)
    try:
        party = forms.required_choice(form.values, "party_code", "Välj vilken part som säger upp.")
        notice = forms.notice_in(form.values)
        await authorize(request, "notice.register", agreement_id=agreement_id, party_code=party)
        await notices.register_notice(agreement_id, party, notice, actor=current_actor(request))
    except (DomainError, FormInvalid) as exc:
        return await _agreement_again(request, agreement_id, form, exc)
    return _saved(f"/agreements/{agreement_id}", "uppsagning", "giltighet")


async def _party_again(request: Request, party_code: str, form: Form, exc) -> Response:
    context = await party_context(request, party_code, form.fail(exc))
    return page(request, "party.html", status=_status(exc), **context)


@post("/parties/{party_code:str}/decisions", opt={"access": "decision.log"}, include_in_schema=False)
async def log_party_decision(request: Request, party_code: FromPath[str], data: FormList) -> Response:
    flat, covers = forms.ticked(data, "covers")
    form = Form.typed("decision", {**flat, "covers": covers}, forms.DECISION_FIELDS)
    try:
        chosen = forms.required_choice(
            form.values, "agreement_id", "Välj vilken överenskommelse beslutet gäller."
        )
        if not chosen.isdigit():
            raise FormInvalid({"agreement_id": "Välj en överenskommelse i listan."})
        decision = forms.decision_in(form.values)
        await authorize(request, "decision.log", agreement_id=int(chosen), party_code=party_code)
        await decisions.log_decision(int(chosen), party_code, decision, actor=current_actor(request))
    except (DomainError, FormInvalid) as exc:
        return await _party_again(request, party_code, form, exc)
    return _saved(f"/parties/{party_code}", "beslut", "att-besluta")


@post(
    "/parties/{party_code:str}/proposals/{proposal_id:int}",
    opt={"access": "decision.correct"},
    include_in_schema=False,
)
async def correct_party_proposal(
    request: Request, party_code: FromPath[str], proposal_id: FromPath[int], data: FormData
) -> Response:
    form = Form.typed(proposal_form_name(proposal_id), data, ("agreement_id", *PROPOSAL_SHOWN))
    try:
        chosen = form.values["agreement_id"]
        if not chosen.isdigit():
            raise FormInvalid({"": "Ladda om sidan och rätta förslaget igen."})
        corrected = ProposalPatch(**msgspec.structs.asdict(forms.proposal_in(form.values)))
        await authorize(request, "decision.correct", agreement_id=int(chosen), party_code=party_code)
        await proposals.correct_proposal(
            int(chosen), party_code, proposal_id, corrected, actor=current_actor(request)
        )
    except (DomainError, FormInvalid) as exc:
        return await _party_again(request, party_code, form, exc)
    return _saved(f"/parties/{party_code}", "forslag-rattat", f"forslag-{proposal_id}")
