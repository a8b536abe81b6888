"""Loading a report with its parties: the one loader of the aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cases.rules.states import CaseState, PartyAsk
from cases.tables import FailureReport
from core.errors import NotFound
from lifecycle.search import parse, search_agreements


@dataclass(frozen=True, slots=True)
class ReportParty:
    code: str
    name: str
    involved: bool
    asked_on: date | None
    answer: str
    answered_on: date | None
    answered_by: str


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    agreement_id: int
    agreement_title: str
    structure: str
    structure_name: str
    occurred_on: date
    category: str
    what_happened: str
    consequence: str
    reporter_email: str | None
    token_salt: str | None
    state: CaseState
    owner_id: int | None
    owner_name: str | None
    conclusion: str
    measure: str | None
    received_on: date
    closed_on: date | None
    cleared_on: date | None
    parties: tuple[ReportParty, ...]
    history: tuple[tuple[str, date], ...]

    @property
    def asks(self) -> list[PartyAsk]:
        return [PartyAsk(p.code, p.asked_on is not None, p.answered_on is not None) for p in self.parties]


_REPORT = """
SELECT r.*, a.title AS agreement_title, s.slug AS structure, s.name AS structure_name, u.name AS owner_name
FROM failure_report r JOIN agreement a ON a.id = r.agreement JOIN structure s ON s.id = a.structure
LEFT JOIN app_user u ON u.id = r.owner
WHERE r.id = {}
"""
_PARTIES = """
SELECT p.code, p.name, rp.involved, rp.asked_on, rp.answer, rp.answered_on, rp.answered_by
FROM failure_report_party rp JOIN party p ON p.id = rp.party WHERE rp.report = {} ORDER BY p.name
"""


async def load_report(report_id: int, agreement_id: int | None = None) -> Report:
    """The report, or NotFound; with `agreement_id`, also NotFound when it is another agreement's
    (the path names the agreement, and the access check was for that one)."""
    rows = await FailureReport.raw(_REPORT, report_id)
    if not rows or (agreement_id is not None and rows[0]["agreement"] != agreement_id):
        raise NotFound(f"Det finns ingen rapport {report_id} om den här överenskommelsen.")
    r = rows[0]
    parties = await FailureReport.raw(_PARTIES, report_id)
    history = await FailureReport.raw(
        "SELECT state, since FROM failure_report_history WHERE report = {} ORDER BY at, id", report_id
    )
    return Report(
        id=r["id"],
        agreement_id=r["agreement"],
        agreement_title=r["agreement_title"],
        structure=r["structure"],
        structure_name=r["structure_name"],
        occurred_on=r["occurred_on"],
        category=r["category"],
        what_happened=r["what_happened"],
        consequence=r["consequence"],
        reporter_email=r["reporter_email"],
        token_salt=r["token_salt"],
        state=CaseState(r["state"]),
        owner_id=r["owner"],
        owner_name=r["owner_name"],
        conclusion=r["conclusion"],
        measure=r["measure"],
        received_on=r["received_on"],
        closed_on=r["closed_on"],
        cleared_on=r["cleared_on"],
        parties=tuple(
            ReportParty(
                p["code"],
                p["name"],
                p["involved"] == "yes",
                p["asked_on"],
                p["answer"],
                p["answered_on"],
                p["answered_by"],
            )
            for p in parties
        ),
        history=tuple((h["state"], h["since"]) for h in history),
    )


async def agreement_facts(agreement_id: int) -> dict:
    """An agreement's title, structure and parties (code → name), for the form and the rules."""
    rows = await FailureReport.raw(
        "SELECT a.id, a.title, s.slug, s.name AS structure_name FROM agreement a "
        "JOIN structure s ON s.id = a.structure WHERE a.id = {}",
        agreement_id,
    )
    if not rows:
        raise NotFound(f"Överenskommelse {agreement_id} finns inte.", field="agreement_id")
    parties = await FailureReport.raw(
        "SELECT p.code, p.name FROM agreement_party ap JOIN party p ON p.id = ap.party "
        "WHERE ap.agreement = {} ORDER BY p.kind DESC, p.name",
        agreement_id,
    )
    return {**rows[0], "parties": {p["code"]: p["name"] for p in parties}}


async def list_reports(agreement_id: int) -> list[dict]:
    """The agreement's reports for those handling them, newest first."""
    return await FailureReport.raw(
        "SELECT r.id, r.state, r.category, r.occurred_on, r.received_on, r.closed_on, u.name AS owner_name, "
        "(SELECT count(*) FROM failure_report_party rp WHERE rp.report = r.id AND rp.asked_on IS NOT NULL) "
        "AS asked, (SELECT count(*) FROM failure_report_party rp WHERE rp.report = r.id "
        "AND rp.answered_on IS NOT NULL) AS answered "
        "FROM failure_report r LEFT JOIN app_user u ON u.id = r.owner WHERE r.agreement = {} "
        "ORDER BY r.received_on DESC, r.id DESC",
        agreement_id,
    )


async def find_agreements(query: str, limit: int = 30) -> list[dict]:
    """Agreements to report under, for the form's search (in force and draft ones alike: staff
    report under what they work by): the register's Swedish search for what was typed, so the
    form finds what the search page finds; with nothing typed, the first by structure and title."""
    if parse(query) is not None:
        hits = await search_agreements(query, limit=limit)
        return [{"id": h.id, "title": h.title, "structure_name": h.structure_name} for h in hits]
    return await FailureReport.raw(
        "SELECT a.id, a.title, s.name AS structure_name FROM agreement a "
        "JOIN structure s ON s.id = a.structure ORDER BY s.name, a.title LIMIT {}",
        limit,
    )
