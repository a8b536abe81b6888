"""The start page's read model: the register by state, the parties past their decide-by date, and
the next deadlines. Three queries whatever the register's size; the dates come from the stored
deadlines (`store.refresh` keeps them current with every change), so the start page, the
reminders and the calendar feeds agree."""

from __future__ import annotations

from datetime import date

import msgspec

from core.clock import today
from lifecycle.rules.model import AgreementStatus
from lifecycle.tables import Agreement

NEXT_DEADLINES = 15
# The states in the order the start page lists them.
STATES = (AgreementStatus.DRAFT, AgreementStatus.ACTIVE, AgreementStatus.ENDED, AgreementStatus.WITHDRAWN)
LIVE = ("draft", "active")  # the deadlines of ended and withdrawn agreements are not chased


class RegisterItem(msgspec.Struct, kw_only=True):
    id: int
    title: str
    reference: str
    kind: str
    structure: str
    structure_name: str
    version: int


class PartyRef(msgspec.Struct, kw_only=True):
    code: str
    name: str


class Overdue(msgspec.Struct, kw_only=True):
    """An agreement's parties that are past their decide-by date."""

    agreement_id: int
    title: str
    due: date
    parties: list[PartyRef]


class UpcomingDeadline(msgspec.Struct, kw_only=True):
    """`agreement_id` None: a structure's own deadline (a round of the whole structure), `title` the
    structure's name and `structure` its slug."""

    agreement_id: int | None
    title: str
    kind: str
    due: date
    party_code: str | None
    party_name: str | None
    text: str
    structure: str | None = None


class Dashboard(msgspec.Struct, kw_only=True):
    as_of: date
    by_state: dict[str, list[RegisterItem]]
    overdue: list[Overdue]
    deadlines: list[UpcomingDeadline]


async def dashboard(*, limit: int = NEXT_DEADLINES) -> Dashboard:
    as_of = today()
    rows = await Agreement.raw(
        "SELECT a.id, a.title, a.reference, a.kind, s.slug AS structure, s.name AS structure_name, "
        "a.version, a.status "
        "FROM agreement a JOIN structure s ON s.id = a.structure ORDER BY s.county_code, a.title, a.id"
    )
    by_state: dict[str, list[RegisterItem]] = {s.value: [] for s in STATES}
    for r in rows:
        by_state.setdefault(r.pop("status"), []).append(RegisterItem(**r))
    overdue = await Agreement.raw(
        "SELECT d.agreement AS agreement_id, a.title, d.party_code, p.name AS party_name, d.due "
        "FROM deadline d JOIN agreement a ON a.id = d.agreement JOIN party p ON p.code = d.party_code "
        "WHERE d.kind = 'decision_due' AND NOT d.cancelled AND d.due < {} AND a.status = ANY({}) "
        "ORDER BY d.due, a.title, a.id, p.name",
        as_of,
        list(LIVE),
    )
    upcoming = await Agreement.raw(
        "SELECT d.agreement AS agreement_id, coalesce(a.title, ds.name) AS title, d.kind, d.due, "
        "d.party_code, p.name AS party_name, d.title AS text, ds.slug AS structure "
        "FROM deadline d LEFT JOIN agreement a ON a.id = d.agreement "
        "LEFT JOIN structure ds ON ds.id = d.structure LEFT JOIN party p ON p.code = d.party_code "
        "WHERE NOT d.cancelled AND d.due >= {} AND (d.agreement IS NULL OR a.status = ANY({})) "
        "ORDER BY d.due, 2, d.party_code NULLS FIRST LIMIT {}",
        as_of,
        list(LIVE),
        limit,
    )
    return Dashboard(
        as_of=as_of,
        by_state=by_state,
        overdue=_by_agreement(overdue),
        deadlines=[UpcomingDeadline(**r) for r in upcoming],
    )


def _by_agreement(rows: list[dict]) -> list[Overdue]:
    found: dict[tuple, Overdue] = {}
    for r in rows:
        key = (r["agreement_id"], r["due"])
        if key not in found:
            found[key] = Overdue(agreement_id=r["agreement_id"], title=r["title"], due=r["due"], parties=[])
        found[key].parties.append(PartyRef(code=r["party_code"], name=r["party_name"]))
    return list(found.values())
