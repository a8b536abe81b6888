"""Reading stored deadlines, validity warnings and the outbox, filtered and a page at a time."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit, urlunsplit

from core.errors import InvalidInput
from lifecycle.rules.deadlines import DeadlineKind
from lifecycle.tables import StoredDeadline
from notifications.tables import DeliveryStatus
from notifications.views import (
    DeadlinePage,
    DeadlineView,
    DeliveryPage,
    DeliveryView,
    WarningPage,
    WarningView,
)

WARNING_STATES = ("open", "closed", "all")


class _Where:
    """Conditions with Piccolo's `{}` placeholders, and their arguments in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.args: list[object] = []

    def add(self, sql: str, *args: object) -> None:
        self.parts.append(sql)
        self.args.extend(args)

    @property
    def sql(self) -> str:
        return f"WHERE {' AND '.join(self.parts)} " if self.parts else ""


async def _page(select: str, count: str, where: _Where, order: str, limit: int, offset: int) -> tuple:
    rows = await StoredDeadline.raw(
        f"{select} {where.sql} ORDER BY {order} LIMIT {{}} OFFSET {{}}", *where.args, limit, offset
    )
    total = await StoredDeadline.raw(f"{count} {where.sql}", *where.args)
    return rows, total[0]["count"]


def check_filters(kind: str | None, from_: date | None, to: date | None) -> None:
    if kind is not None and kind not in {k.value for k in DeadlineKind}:
        known = ", ".join(k.value for k in DeadlineKind)
        raise InvalidInput(f"Okänt slag av tidsfrist '{kind}'. Kända: {known}.", field="kind")
    if from_ is not None and to is not None and to < from_:
        raise InvalidInput("Slutdatumet (to) ligger före startdatumet (from).", field="to")


async def list_deadlines(
    *,
    party: str | None = None,
    structure: str | None = None,
    agreement: int | None = None,
    kind: str | None = None,
    from_: date | None = None,
    to: date | None = None,
    include_cancelled: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> DeadlinePage:
    """A party's deadlines are its own and those of the agreements it is a party to that concern
    every party (a notice deadline, a follow-up)."""
    check_filters(kind, from_, to)
    where = _Where()
    # a party that gave notice is no longer concerned by some agreement-wide deadlines
    # (lifecycle.rules.term.not_concerned): for that party they are cancelled
    if not include_cancelled and party is None:
        where.add("NOT d.cancelled")
    if not include_cancelled and party is not None:
        where.add("NOT (d.cancelled OR {} = ANY(d.not_for))", party)
    if party is not None:
        where.add(
            "(d.party_code = {} OR (d.party_code IS NULL AND EXISTS (SELECT 1 FROM agreement_party ap "
            "JOIN party p ON p.id = ap.party WHERE ap.agreement = d.agreement AND p.code = {})))",
            party,
            party,
        )
    if structure is not None:
        where.add("s.slug = {}", structure)
    if agreement is not None:
        where.add("d.agreement = {}", agreement)
    if kind is not None:
        where.add("d.kind = {}", kind)
    if from_ is not None:
        where.add("d.due >= {}", from_)
    if to is not None:
        where.add("d.due <= {}", to)
    joins = (
        "FROM deadline d LEFT JOIN agreement a ON a.id = d.agreement "
        "JOIN structure s ON s.id = coalesce(d.structure, a.structure)"
    )
    rows, total = await _page(
        "SELECT d.id, d.agreement AS agreement_id, a.title AS agreement_title, s.slug AS structure, "
        "d.key, d.kind, d.due, d.party_code, d.title, d.notice_months, d.not_for, d.cancelled, "
        f"d.sequence, d.updated_at {joins}",
        f"SELECT count(*) {joins}",
        where,
        "d.due, d.kind, d.party_code NULLS FIRST, d.id",
        limit,
        offset,
    )
    items = [DeadlineView(**r) for r in rows]
    for item in items if party is not None else ():
        item.cancelled = item.cancelled or party in item.not_for
    return DeadlinePage(items=items, total=total, limit=limit, offset=offset)


async def list_warnings(
    *,
    state: str = "open",
    agreement: int | None = None,
    structure: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> WarningPage:
    if state not in WARNING_STATES:
        raise InvalidInput(f"Okänt läge '{state}'. Använd open, closed eller all.", field="state")
    where = _Where()
    if state == "open":
        where.add("w.closed_at IS NULL")
    elif state == "closed":
        where.add("w.closed_at IS NOT NULL")
    if agreement is not None:
        where.add("w.agreement = {}", agreement)
    if structure is not None:
        where.add("s.slug = {}", structure)
    joins = (
        "FROM validity_warning w JOIN agreement a ON a.id = w.agreement "
        "JOIN structure s ON s.id = a.structure"
    )
    rows, total = await _page(
        "SELECT w.id, w.agreement AS agreement_id, a.title AS agreement_title, s.slug AS structure, w.key, "
        f"w.kind, w.party_code, w.message, w.opened_at, w.closed_at {joins}",
        f"SELECT count(*) {joins}",
        where,
        "w.opened_at DESC, w.id DESC",
        limit,
        offset,
    )
    return WarningPage(items=[WarningView(**r) for r in rows], total=total, limit=limit, offset=offset)


def shown_recipient(channel: str, recipient: str) -> str:
    """A webhook URL without its query and user info, which often carry a token."""
    if channel != "webhook":
        return recipient
    parts = urlsplit(recipient)
    return urlunsplit((parts.scheme, parts.hostname or "", parts.path, "", ""))


async def list_deliveries(
    *,
    status: str | None = None,
    agreement: int | None = None,
    structures: set[str] | None = None,
    limit: int = 100,
    offset: int = 0,
) -> DeliveryPage:
    """Newest first; `last_error` says why a failed one never arrived. `structures`: only the
    deliveries of these structures' agreements and own deadlines (None: all)."""
    if status is not None and status not in {s.value for s in DeliveryStatus}:
        known = ", ".join(s.value for s in DeliveryStatus)
        raise InvalidInput(f"Okänd status '{status}'. Kända: {known}.", field="status")
    where = _Where()
    if status is not None:
        where.add("status = {}", status)
    if agreement is not None:
        where.add("agreement = {}", agreement)
    if structures is not None:
        where.add(
            "(agreement IN (SELECT a.id FROM agreement a JOIN structure s ON s.id = a.structure "
            "WHERE s.slug = ANY({}::text[])) OR (agreement IS NULL AND deadline IN (SELECT d.id "
            "FROM deadline d JOIN structure s ON s.id = d.structure WHERE s.slug = ANY({}::text[]))))",
            sorted(structures),
            sorted(structures),
        )
    rows, total = await _page(
        "SELECT id, key, source, agreement AS agreement_id, kind, lead, send_on, due, party_code, channel, "
        "recipient, reason, status, attempts, created_at, claimed_at, sent_at, last_error FROM delivery",
        "SELECT count(*) FROM delivery",
        where,
        "id DESC",
        limit,
        offset,
    )
    items = []
    for r in rows:
        shown = shown_recipient(r["channel"], r["recipient"])
        r["key"] = r["key"].replace(r["recipient"], shown)
        r["recipient"] = shown
        items.append(DeliveryView(**r))
    return DeliveryPage(items=items, total=total, limit=limit, offset=offset)
