"""Disputes in the browser: an agreement's disputes with the form to raise one (a manager of a
party, through its clerk account, or the secretariat; from a samverkansbrist too), a dispute's
page with its levels and the forms to lift or settle it, and a structure's yearly compilation.
The same services and rules as api/disputes.py; forms carry the CSRF token."""

from __future__ import annotations

from datetime import date

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from api.access import allowed, allowed_parties
from api.actor import current_actor
from api.pages.forms import Form, FormInvalid
from api.pages.render import page
from cases import ladders
from cases.dispute_views import compilation_view
from cases.rules.disputes import RESULT_SV, STATE_SV, DisputeIn
from cases.services import compilation, disputes
from cases.services.dispute_load import LoadedDispute, list_disputes, load_dispute
from cases.services.load import agreement_facts
from core.clock import today
from core.errors import DomainError
from parties.services import get_structure

BASE = "/agreements/{agreement_id:int}/tvister"
RAISE_FIELDS = (
    "raised_by_party",
    "counterparty",
    "description",
    "interpretation_own",
    "interpretation_other",
    "reason",
    "report_id",
)
STEP_FIELDS = ("outcome", "decided_on", "clarification")


def _no_store(response: Template) -> Template:
    response.headers["Cache-Control"] = "no-store"
    return response


def _date(form: Form) -> date:
    text = form.values.get("decided_on", "")
    try:
        return date.fromisoformat(text)
    except ValueError:
        shown = f", inte ”{text}”" if text else ""
        raise FormInvalid({"decided_on": f"Datumet ska vara ett datum som 2026-11-23{shown}."}) from None


async def _list_page(
    request: Request, agreement_id: int, form: Form | None = None, status: int = 200
) -> Template:
    facts = await agreement_facts(agreement_id)
    may_raise = sorted(await allowed_parties(request, "dispute.raise", agreement_id, list(facts["parties"])))
    ladder, own = await ladders.agreement_ladder(agreement_id, facts["slug"])
    report = request.query_params.get("rapport", "")
    form = form or Form("dispute", {"report_id": report if report.isdigit() else ""})
    return _no_store(
        page(
            request,
            "disputes.html",
            status=status,
            facts=facts,
            rows=await list_disputes(agreement_id),
            states=STATE_SV,
            ladder=ladder,
            own_ladder=own,
            may_raise=may_raise,
            form=form,
            page_title="Tvister",
        )
    )


@get(BASE, opt={"access": "dispute.read"}, include_in_schema=False)
async def dispute_list(request: Request, agreement_id: FromPath[int]) -> Template:
    return await _list_page(request, agreement_id)


def _raise_in(agreement_id: int, values: dict[str, str]) -> DisputeIn:
    errors = {}
    if not values["raised_by_party"]:
        errors["raised_by_party"] = "Välj den part vars chef anmäler tvisten."
    if not values["counterparty"]:
        errors["counterparty"] = "Välj motparten."
    elif values["counterparty"] == values["raised_by_party"]:
        errors["counterparty"] = "Motparten ska vara en annan part än den som anmäler."
    if values["report_id"] and not values["report_id"].isdigit():
        errors["report_id"] = "Rapportnumret ska vara ett tal."
    if errors:
        raise FormInvalid(errors)
    return DisputeIn(
        agreement_id=agreement_id,
        raised_by_party=values["raised_by_party"],
        description=values["description"],
        interpretations=(
            (values["raised_by_party"], values["interpretation_own"]),
            (values["counterparty"], values["interpretation_other"]),
        ),
        reason=values["reason"],
        report_id=int(values["report_id"]) if values["report_id"] else None,
    )


@post(BASE, opt={"access": "dispute.raise"}, include_in_schema=False)
async def raise_dispute(request: Request, agreement_id: FromPath[int]) -> Response:
    form = Form.typed("dispute", dict(await request.form()), RAISE_FIELDS)
    try:
        data = _raise_in(agreement_id, form.values)
        if not await allowed(
            request, "dispute.raise", agreement_id=agreement_id, party_code=data.raised_by_party
        ):
            raise FormInvalid({"raised_by_party": "Du får inte anmäla tvister för den parten."})
        made = await disputes.raise_dispute(data, actor=current_actor(request))
    except (DomainError, FormInvalid) as exc:
        if isinstance(exc, DomainError) and (exc.field or "").startswith("interpretation_"):
            own = exc.field == f"interpretation_{form.values['raised_by_party']}"
            exc.field = "interpretation_own" if own else "interpretation_other"
        status = exc.status_hint if isinstance(exc, DomainError) else 422
        return await _list_page(request, agreement_id, form.fail(exc), status)
    return Redirect(path=f"/agreements/{agreement_id}/tvister/{made.id}?sparat=anmald", status_code=303)


async def _dispute_page(
    request: Request, d: LoadedDispute, form: Form | None = None, status: int = 200
) -> Template:
    return _no_store(
        page(
            request,
            "dispute.html",
            status=status,
            d=d,
            states=STATE_SV,
            results=RESULT_SV,
            handles=await allowed(request, "dispute.handle", agreement_id=d.agreement_id),
            last=d.current.position >= len(d.ladder),
            form=form or Form("step", {"decided_on": today().isoformat()}),
            page_title=f"Tvist {d.id}",
        )
    )


@get(f"{BASE}/{{dispute_id:int}}", opt={"access": "dispute.read"}, include_in_schema=False)
async def dispute_page(request: Request, agreement_id: FromPath[int], dispute_id: FromPath[int]) -> Template:
    return await _dispute_page(request, await load_dispute(dispute_id, agreement_id))


async def _step(request: Request, agreement_id: int, dispute_id: int, what: str) -> Response:
    form = Form.typed("step", dict(await request.form()), STEP_FIELDS)
    actor = current_actor(request)
    try:
        day = _date(form)
        if what == "lyft":
            await disputes.escalate(agreement_id, dispute_id, form.values["outcome"], day, actor=actor)
        else:
            await disputes.settle(
                agreement_id,
                dispute_id,
                form.values["outcome"],
                day,
                form.values["clarification"],
                actor=actor,
            )
    except (DomainError, FormInvalid) as exc:
        status = exc.status_hint if isinstance(exc, DomainError) else 422
        return await _dispute_page(
            request, await load_dispute(dispute_id, agreement_id), form.fail(exc), status
        )
    return Redirect(path=f"/agreements/{agreement_id}/tvister/{dispute_id}?sparat={what}", status_code=303)


@post(f"{BASE}/{{dispute_id:int}}/lyft", opt={"access": "dispute.handle"}, include_in_schema=False)
async def escalate_dispute(
    request: Request, agreement_id: FromPath[int], dispute_id: FromPath[int]
) -> Response:
    return await _step(request, agreement_id, dispute_id, "lyft")


@post(f"{BASE}/{{dispute_id:int}}/avsluta", opt={"access": "dispute.handle"}, include_in_schema=False)
async def settle_dispute(
    request: Request, agreement_id: FromPath[int], dispute_id: FromPath[int]
) -> Response:
    return await _step(request, agreement_id, dispute_id, "avslutad")


@get("/structures/{slug:str}/tvister/{year:int}", opt={"access": "read"}, include_in_schema=False)
async def compilation_page(request: Request, slug: FromPath[str], year: FromPath[int]) -> Template:
    structure = await get_structure(slug)
    found = await compilation.compilation(slug, year)
    return page(
        request,
        "dispute_compilation.html",
        structure=structure,
        c=compilation_view(slug, found),
        clarifications=found.clarifications,
        page_title=f"Tvister {year} i {structure.name}",
    )


DISPUTE_PAGES = [
    dispute_list,
    raise_dispute,
    dispute_page,
    escalate_dispute,
    settle_dispute,
    compilation_page,
]
