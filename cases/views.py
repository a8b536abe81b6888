"""What the API answers about reports: the handlers' full view, the reporter's status, the counts."""

from __future__ import annotations

from datetime import date

import msgspec

from cases.rules.analysis import Analysis, Group
from cases.rules.states import MEASURE_SV, STATE_SV, CaseState, Measure
from cases.services.load import Report
from rounds.views import RoundView


class PartyView(msgspec.Struct):
    code: str
    name: str
    involved: bool
    asked_on: date | None
    answered_on: date | None
    answer: str
    answered_by: str


class StateView(msgspec.Struct):
    state: str
    state_sv: str
    since: date


class AskedReportView(msgspec.Struct):
    """For a party asked for its account (case.answer): every text, not the reporter's address."""

    id: int
    agreement_id: int
    agreement_title: str
    state: str
    state_sv: str
    occurred_on: date
    received_on: date
    category: str
    what_happened: str
    consequence: str
    owner: str | None
    parties: list[PartyView]
    history: list[StateView]
    conclusion: str
    measure: str | None
    measure_sv: str | None
    closed_on: date | None
    cleared_on: date | None


class ReportView(AskedReportView):
    """For those handling it (case.handle): the reporter's address too."""

    reporter_email: str | None


class ReportStatus(msgspec.Struct):
    """For the reporter's status link: no address, no parties' answers."""

    agreement_title: str
    category: str
    state: str
    state_sv: str
    received_on: date
    history: list[StateView]
    conclusion: str
    measure_sv: str | None
    closed_on: date | None


class Received(msgspec.Struct):
    id: int
    status_url: str


class GroupView(msgspec.Struct):
    label: str
    total: int
    open: int
    closed: int
    median_days_to_close: float | None


class AnalysisView(msgspec.Struct):
    total: GroupView
    by_category: list[GroupView]
    by_party: list[GroupView]
    by_quarter: list[GroupView]
    by_measure: list[GroupView]
    by_agreement: list[GroupView]  # a structure's analysis only; empty for an agreement's


class FollowUpFailures(msgspec.Struct, kw_only=True):
    """The agreement's samverkansbrister in the period a follow-up looks back on, as its analysis
    counts them (cases.rules.analysis.follow_up_period)."""

    period_from: date
    period_to: date
    analysis: AnalysisView
    analysis_url: str  # the agreement's whole analysis page


class RoundDetail(RoundView, kw_only=True):
    """A round with, for a follow-up (kind uppfoljning), the agreement's samverkansbrister of the
    period it follows up; None for other kinds."""

    samverkansbrister: FollowUpFailures | None = None


def _history(report: Report) -> list[StateView]:
    return [StateView(s, STATE_SV[CaseState(s)], d) for s, d in report.history]


def _measure_sv(measure: str | None) -> str | None:
    return MEASURE_SV[Measure(measure)] if measure else None


def _asked_fields(r: Report) -> dict:
    return {
        "id": r.id,
        "agreement_id": r.agreement_id,
        "agreement_title": r.agreement_title,
        "state": r.state.value,
        "state_sv": STATE_SV[r.state],
        "occurred_on": r.occurred_on,
        "received_on": r.received_on,
        "category": r.category,
        "what_happened": r.what_happened,
        "consequence": r.consequence,
        "owner": r.owner_name,
        "parties": [
            PartyView(p.code, p.name, p.involved, p.asked_on, p.answered_on, p.answer, p.answered_by)
            for p in r.parties
        ],
        "history": _history(r),
        "conclusion": r.conclusion,
        "measure": r.measure,
        "measure_sv": _measure_sv(r.measure),
        "closed_on": r.closed_on,
        "cleared_on": r.cleared_on,
    }


def asked_report_view(r: Report) -> AskedReportView:
    return AskedReportView(**_asked_fields(r))


def report_view(r: Report) -> ReportView:
    return ReportView(**_asked_fields(r), reporter_email=r.reporter_email)


def report_status(r: Report) -> ReportStatus:
    return ReportStatus(
        agreement_title=r.agreement_title,
        category=r.category,
        state=r.state.value,
        state_sv=STATE_SV[r.state],
        received_on=r.received_on,
        history=_history(r),
        conclusion=r.conclusion,
        measure_sv=_measure_sv(r.measure),
        closed_on=r.closed_on,
    )


def _group(g: Group) -> GroupView:
    return GroupView(g.label, g.total, g.open, g.closed, g.median_days_to_close)


def analysis_view(a: Analysis) -> AnalysisView:
    return AnalysisView(
        total=_group(a.total),
        by_category=[_group(g) for g in a.by_category],
        by_party=[_group(g) for g in a.by_party],
        by_quarter=[_group(g) for g in a.by_quarter],
        by_measure=[_group(g) for g in a.by_measure],
        by_agreement=[_group(g) for g in a.by_agreement],
    )
