"""An agreement's page: facts, process, adoption, term, warnings, versions, history, and the
forms the user may use (a decision, a process step, a notice)."""

from __future__ import annotations

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from api.access import allowed, allowed_parties
from api.pages.forms import Form
from api.pages.history import history_rows
from api.pages.labels import OUTCOMES
from api.pages.my_notifications import follow_state
from api.pages.render import page
from api.pages.svg import adoption_curve, process_timeline
from api.personal_data import agreement_shown
from audit.trail import history
from core.clock import today
from documents import services as documents
from lifecycle import store
from lifecycle.services import agreements, overview, packages, steps
from lifecycle.views import CoveredAgreement
from notifications.feeds.links import subscribe_links
from rounds.services import load as round_reads

HISTORY_LIMIT = 50


def _cover_label(c: CoveredAgreement, *, annex: bool) -> str:
    label = f"Bilaga: {c.title}" if annex else c.title
    return f"{label} ({c.reference})" if c.reference else label


async def agreement_context(request: Request, agreement_id: int, *forms: Form) -> dict:
    """Everything the agreement page shows; `forms` are forms coming back with their errors."""
    evaluated = await store.load([agreement_id], today(), versions=True, detail=True)
    detail = await agreement_shown(request, agreements.detail_of(evaluated, agreement_id))
    adoption = overview.adoption_of(evaluated, agreement_id)
    timeline = steps.timeline_of(evaluated, agreement_id)
    term = overview.term_of(evaluated, agreement_id)
    template = evaluated[agreement_id].evaluation.template
    next_steps = [(key, template.step(key).label) for key in detail.process.allowed_next]
    decision_parties = []
    if detail.process.parties_decide and detail.process.recommended_on:
        codes = await allowed_parties(
            request, "decision.log", agreement_id, [p.party_code for p in adoption.parties]
        )
        decision_parties = [p for p in adoption.parties if p.party_code in codes]
    annexes, related = await packages.choices(agreement_id) if decision_parties else ([], [])
    noticed = {n.party_code for n in term.notices}
    # an annex is given notice of through its parent (lifecycle.rules.attached)
    may_give_notice = (
        term.rule.kind != "none"
        and term.inherited_from is None
        and await allowed(request, "notice.register", agreement_id=agreement_id)
    )
    returned = {f.name: f for f in forms}
    return {
        "a": detail,
        "structure_name": evaluated[agreement_id].row["structure_name"],
        "adoption": adoption,
        "timeline": timeline,
        "term": term,
        "history": history_rows(await history(agreement_id=agreement_id, limit=HISTORY_LIMIT)),
        "curve": adoption_curve(adoption) if detail.process.parties_decide else None,
        "timeline_picture": process_timeline(timeline, detail.process.key),
        "decision_parties": decision_parties,
        "cover_options": [(c.id, _cover_label(c, annex=True)) for c in annexes]
        + [(c.id, _cover_label(c, annex=False)) for c in related],
        "outcomes": OUTCOMES,
        "next_steps": next_steps
        if next_steps and await allowed(request, "process.record", agreement_id=agreement_id)
        else [],
        "notice_parties": [p for p in adoption.parties if p.party_code not in noticed]
        if may_give_notice
        else [],
        "decision_form": returned.get("decision", Form("decision")),
        "proposal_form": returned.get("proposal", Form("proposal")),
        "step_form": returned.get("step", Form("step")),
        # the kommunalförbund that have not recommended yet, once the structure has recommended,
        # for those who record the process
        "recommending_groups": [(g.slug, g.name) for g in adoption.groups if g.recommendation is None]
        if adoption.groups
        and detail.process.recommended_on
        and await allowed(request, "process.record", agreement_id=agreement_id)
        else [],
        "group_form": returned.get("group_recommendation", Form("group_recommendation")),
        "notice_form": returned.get("notice", Form("notice")),
        "documents": await documents.documents_of(agreement_id),
        "may_upload": await allowed(request, "agreement.edit", agreement_id=agreement_id),
        "document_form": returned.get("document", Form("document", {"part": "text"})),
        "max_upload_mb": documents.MAX_MB,
        "feed": await subscribe_links("agreement", agreement_id),
        "rounds": await round_reads.list_rounds(agreement_id=agreement_id, today=adoption.as_of),
        "may_open_round": await allowed(request, "round.manage", agreement_id=agreement_id),
        "follow": await follow_state(request, "agreement", agreement_id),
    }


@get("/agreements/{agreement_id:int}", opt={"access": "read"}, include_in_schema=False)
async def agreement_page(request: Request, agreement_id: FromPath[int]) -> Template:
    return page(request, "agreement.html", **await agreement_context(request, agreement_id))
