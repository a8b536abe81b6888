"""Samverkansbrister in the browser: the public report form and status page, the handling pages
of the secretariat and stewards (and the answer of a party asked), the analysis with its picture
and exports. The same services and rules as api/cases.py; forms carry the CSRF token.
"""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from api.access import allowed, allowed_parties, authorize
from api.actor import current_actor
from api.auth import signed_in
from api.cases import enqueue
from api.pages.case_pictures import analysis_csv, analysis_xlsx, trend
from api.pages.forms import Form, FormInvalid, report_in
from api.pages.render import page
from api.pages.spreadsheets import download
from api.throttle import count_report
from cases.categories import categories
from cases.rules.states import MEASURE_SV, STATE_MEANS_SV, STATE_SV, CaseState
from cases.services import analysis, handling, reports
from cases.services.load import Report, agreement_facts, find_agreements, list_reports, load_report
from core.errors import DomainError, Forbidden
from parties.services import get_structure

FORM = "/samverkansbrister"
REPORT_FIELDS = ("agreement_id", "occurred_on", "what_happened", "consequence", "category", "reporter_email")
BASE = "/agreements/{agreement_id:int}/samverkansbrister"


def _no_store(response: Template) -> Template:
    response.headers["Cache-Control"] = "no-store"
    return response


async def _form_page(request: Request, form: Form, chosen: list[str], status: int = 200) -> Template:
    query = request.query_params.get("q", "")
    facts = None
    agreement_id = form.values.get("agreement_id", "")
    if agreement_id.isdigit():
        facts = await agreement_facts(int(agreement_id))
    found = await find_agreements(query) if facts is None else []
    return page(
        request,
        "case_report.html",
        status=status,
        form=form,
        facts=facts,
        q=query,
        found=found,
        chosen=set(chosen),
        categories=[(c, c) for c in categories(facts["slug"])] if facts else [],
        page_title="Rapportera en samverkansbrist",
    )


@get(FORM, opt={"access": "public"}, include_in_schema=False)
async def report_form(request: Request) -> Template:
    """Step one: find the agreement (?q=); step two (?agreement=ID): the report itself."""
    form = Form("report", {"agreement_id": request.query_params.get("agreement", "")})
    return await _form_page(request, form, [])


@post(FORM, opt={"access": "public"}, include_in_schema=False)
async def submit_report(request: Request) -> Template:
    data = await request.form()
    form = Form.typed("report", dict(data), REPORT_FIELDS)
    chosen = [c for c in data.getall("party_codes") if c] if "party_codes" in data else []
    try:
        report = report_in(form.values, chosen)
        await count_report(request)
        received = await reports.submit(report, actor=current_actor(request))
    except (DomainError, FormInvalid) as exc:
        if isinstance(exc, DomainError) and exc.field == "agreement_id":
            form.values["agreement_id"] = ""
        status = exc.status_hint if isinstance(exc, DomainError) else 422
        return _no_store(await _form_page(request, form.fail(exc), chosen, status))
    await enqueue(received.message_ids)
    # the status link exists nowhere else: shown here, once, never cached
    return _no_store(
        page(
            request,
            "case_received.html",
            status_url=received.status_url,
            emailed=bool(form.values["reporter_email"]),
            page_title="Tack för din rapport",
        )
    )


@get(f"{FORM}/status/{{token:str}}", opt={"access": "public"}, include_in_schema=False)
async def status_page(request: Request, token: FromPath[str]) -> Template:
    report = await reports.by_token(token)
    response = page(
        request,
        "case_status.html",
        r=report,
        states=STATE_SV,
        means=STATE_MEANS_SV,
        measures=MEASURE_SV,
        page_title="Din rapport om en samverkansbrist",
    )
    response.headers["Referrer-Policy"] = "no-referrer"  # the token must not leak to links followed
    return _no_store(response)


@get(BASE, opt={"access": "case.handle"}, include_in_schema=False)
async def case_list(request: Request, agreement_id: FromPath[int]) -> Template:
    facts = await agreement_facts(agreement_id)
    return _no_store(
        page(
            request,
            "cases.html",
            facts=facts,
            rows=await list_reports(agreement_id),
            states=STATE_SV,
            agreement_id=agreement_id,
            page_title="Samverkansbrister",
        )
    )


async def _viewer(request: Request, report: Report) -> tuple[bool, list[str]]:
    """(may handle it, the parties asked that the user may answer for: the access rules' own
    `case.answer`, so no form is shown that its POST would refuse). Neither: 403, since the
    report's texts are for those handling it and the parties asked."""
    handles = await allowed(request, "case.handle", agreement_id=report.agreement_id)
    asked = [p.code for p in report.parties if p.asked_on]
    answers = sorted(await allowed_parties(request, "case.answer", report.agreement_id, asked))
    if not handles and not answers:
        raise Forbidden(
            "Du får inte läsa den här rapporten: den visas för dem som handlägger den och för "
            "de parter som har ombetts svara."
        )
    return handles, answers


async def _case_page(
    request: Request, report: Report, form: Form | None = None, status: int = 200
) -> Template:
    handles, answers = await _viewer(request, report)
    facts = await agreement_facts(report.agreement_id)
    return _no_store(
        page(
            request,
            "case.html",
            status=status,
            r=report,
            handles=handles,
            answers=answers,
            facts=facts,
            states=STATE_SV,
            measures=MEASURE_SV,
            form=form or Form("case"),
            closed=report.state is CaseState.CLOSED,
            summary_names=["parties", "conclusion", "measure", *(f"answer_{c}" for c in answers)],
            page_title=f"Samverkansbrist {report.id}",
        )
    )


@get(f"{BASE}/{{case_id:int}}", opt={"access": "signed_in"}, include_in_schema=False)
async def case_page(request: Request, agreement_id: FromPath[int], case_id: FromPath[int]) -> Template:
    return await _case_page(request, await load_report(case_id, agreement_id))


def _done(agreement_id: int, case_id: int, what: str) -> Redirect:
    return Redirect(
        path=f"/agreements/{agreement_id}/samverkansbrister/{case_id}?sparat={what}", status_code=303
    )


async def _again(request: Request, agreement_id: int, case_id: int, form: Form, exc) -> Template:
    report = await load_report(case_id, agreement_id)
    status = exc.status_hint if isinstance(exc, DomainError) else 422
    return await _case_page(request, report, form.fail(exc), status)


@post(f"{BASE}/{{case_id:int}}/ta", opt={"access": "case.handle"}, include_in_schema=False)
async def take_case(request: Request, agreement_id: FromPath[int], case_id: FromPath[int]) -> Response:
    form = Form("case")
    try:
        done = await handling.take(
            agreement_id, case_id, user_id=signed_in(request).id, actor=current_actor(request)
        )
    except DomainError as exc:
        return await _again(request, agreement_id, case_id, form, exc)
    await enqueue(done.message_ids)
    return _done(agreement_id, case_id, "tagen")


@post(f"{BASE}/{{case_id:int}}/skicka", opt={"access": "case.handle"}, include_in_schema=False)
async def send_case(request: Request, agreement_id: FromPath[int], case_id: FromPath[int]) -> Response:
    data = await request.form()
    chosen = [c for c in data.getall("parties") if c] if "parties" in data else []
    form = Form("case", {"parties": ",".join(chosen)})
    try:
        done = await handling.send(agreement_id, case_id, chosen, actor=current_actor(request))
    except DomainError as exc:
        return await _again(request, agreement_id, case_id, form, exc)
    await enqueue(done.message_ids)
    return _done(agreement_id, case_id, "skickad-utan-kontakt" if done.uncontacted else "skickad")


@post(
    f"{BASE}/{{case_id:int}}/svar/{{party_code:str}}", opt={"access": "case.answer"}, include_in_schema=False
)
async def answer_case(
    request: Request, agreement_id: FromPath[int], case_id: FromPath[int], party_code: FromPath[str]
) -> Response:
    data = await request.form()
    form = Form("case", {f"answer_{party_code}": str(data.get("answer", "")).strip()})
    try:
        await authorize(request, "case.answer", agreement_id=agreement_id, party_code=party_code)
        done = await handling.answer(
            agreement_id, case_id, party_code, str(data.get("answer", "")), actor=current_actor(request)
        )
    except DomainError as exc:
        if exc.field == "answer":
            exc.field = f"answer_{party_code}"
        return await _again(request, agreement_id, case_id, form, exc)
    await enqueue(done.message_ids)
    return _done(agreement_id, case_id, "svar")


@post(f"{BASE}/{{case_id:int}}/avsluta", opt={"access": "case.handle"}, include_in_schema=False)
async def close_case(request: Request, agreement_id: FromPath[int], case_id: FromPath[int]) -> Response:
    data = await request.form()
    form = Form.typed("case", dict(data), ("conclusion", "measure"))
    try:
        done = await handling.close(
            agreement_id,
            case_id,
            form.values["conclusion"],
            form.values["measure"],
            actor=current_actor(request),
        )
    except DomainError as exc:
        return await _again(request, agreement_id, case_id, form, exc)
    await enqueue(done.message_ids)
    return _done(agreement_id, case_id, "avslutad")


@get(f"{BASE}/analys", opt={"access": "read"}, include_in_schema=False)
async def analysis_page(request: Request, agreement_id: FromPath[int]) -> Template:
    facts = await agreement_facts(agreement_id)
    found = await analysis.analysis(agreement_id=agreement_id)
    return page(
        request,
        "case_analysis.html",
        facts=facts,
        a=found,
        picture=trend(found),
        agreement_id=agreement_id,
        may_handle=await allowed(request, "case.handle", agreement_id=agreement_id),
        page_title="Analys av samverkansbrister",
    )


@get(f"{BASE}/analys.csv", opt={"access": "read"}, include_in_schema=False)
async def analysis_csv_file(agreement_id: FromPath[int]) -> Response[bytes]:
    found = await analysis.analysis(agreement_id=agreement_id)
    return download(analysis_csv(found), f"samverkansbrister-{agreement_id}.csv")


@get(f"{BASE}/analys.xlsx", opt={"access": "read"}, include_in_schema=False)
async def analysis_xlsx_file(agreement_id: FromPath[int]) -> Response[bytes]:
    facts = await agreement_facts(agreement_id)
    found = await analysis.analysis(agreement_id=agreement_id)
    return download(analysis_xlsx(found, facts["title"]), f"samverkansbrister-{agreement_id}.xlsx")


STRUCTURE_BASE = "/structures/{slug:str}/samverkansbrister"


@get(f"{STRUCTURE_BASE}/analys", opt={"access": "read"}, include_in_schema=False)
async def structure_analysis_page(request: Request, slug: FromPath[str]) -> Template:
    structure = await get_structure(slug)
    found = await analysis.analysis(structure=slug)
    return page(
        request,
        "case_analysis.html",
        structure=structure,
        a=found,
        picture=trend(found),
        page_title=f"Analys av samverkansbrister i {structure.name}",
    )


@get(f"{STRUCTURE_BASE}/analys.csv", opt={"access": "read"}, include_in_schema=False)
async def structure_analysis_csv(slug: FromPath[str]) -> Response[bytes]:
    found = await analysis.analysis(structure=slug)
    return download(analysis_csv(found), f"samverkansbrister-{slug}.csv")


@get(f"{STRUCTURE_BASE}/analys.xlsx", opt={"access": "read"}, include_in_schema=False)
async def structure_analysis_xlsx(slug: FromPath[str]) -> Response[bytes]:
    structure = await get_structure(slug)
    found = await analysis.analysis(structure=slug)
    return download(analysis_xlsx(found, structure.name, "Struktur"), f"samverkansbrister-{slug}.xlsx")


CASE_PAGES = [
    report_form,
    submit_report,
    status_page,
    case_list,
    case_page,
    take_case,
    send_case,
    answer_case,
    close_case,
    analysis_page,
    analysis_csv_file,
    analysis_xlsx_file,
    structure_analysis_page,
    structure_analysis_csv,
    structure_analysis_xlsx,
]
