"""Reading deadlines (stored, or as the rules derive them on a given day), validity warnings and
the outbox, filtered and a page at a time."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit, urlunsplit

from core.clock import today
from core.errors import InvalidInput
from lifecycle import store
from lifecycle.rules.deadlines import STORED_ELSEWHERE, DeadlineKind
from lifecycle.services import checks
from lifecycle.tables import StoredDeadline
from notifications.events import EVENT_ROUND_SQL
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


_DEADLINE_COLUMNS = (
    "SELECT d.id, d.agreement AS agreement_id, a.title AS agreement_title, s.slug AS structure, "
    "d.key, d.kind, d.due, d.party_code, d.title, d.notice_months, d.not_for, d.cancelled, "
    "d.sequence, d.updated_at"
)
# a structure's own deadline (a round of the whole structure) has no agreement
_DEADLINE_JOINS = (
    "FROM deadline d LEFT JOIN agreement a ON a.id = d.agreement "
    "JOIN structure s ON s.id = coalesce(d.structure, a.structure)"
)
# the agreements whose deadlines the rules derive as of a day: those the filters name
_AGREEMENTS = (
    "SELECT a.id FROM agreement a JOIN structure s ON s.id = a.structure "
    "WHERE ({}::text IS NULL OR s.slug = {}) AND ({}::int IS NULL OR a.id = {}) AND ({}::text IS NULL "
    "OR EXISTS (SELECT 1 FROM agreement_party ap JOIN party p ON p.id = ap.party "
    "WHERE ap.agreement = a.id AND p.code = {})) ORDER BY a.id"
)
# the kinds that other packages store and the rules do not derive (rounds, disputes)
_ELSEWHERE = frozenset(k.value for k in STORED_ELSEWHERE)


def _scope(where: _Where, party: str | None, structure: str | None, agreement: int | None) -> None:
    """Whose deadlines: a party's are its own and those of the agreements it is a party to that
    concern every party (a notice deadline, a follow-up)."""
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
    as_of: date | None = None,
) -> DeadlinePage:
    """The deadlines of a party, a structure or an agreement (`_scope`), filtered and a page at a
    time: as stored (what the rules derived at the last refresh: today, after every change and
    each morning), or, given `as_of`, as the rules derive them on that day (`GET
    /api/deadlines?as_of=`), from the same loader as the adoption overview and the term
    (`lifecycle.store.load`), each with its stored row's id, sequence and updated_at where one
    holds it; the kinds other packages store (rounds, disputes) come as stored either way.

    A party that gave notice is no longer concerned by some agreement-wide deadlines
    (lifecycle.rules.term.not_concerned): for that party they are cancelled, shown only with
    `include_cancelled`. As of a day, a deadline that goes away has no row to show."""
    day = None if as_of is None else checks.as_of_day(as_of, today())
    check_filters(kind, from_, to)
    where = _Where()
    _scope(where, party, structure, agreement)
    if day is not None:
        stored = await StoredDeadline.raw(f"{_DEADLINE_COLUMNS} {_DEADLINE_JOINS} {where.sql}", *where.args)
        items = await _derived(day, stored, party=party, structure=structure, agreement=agreement)
        chosen = [
            i
            for i in items
            if _wanted(i, party=party, kind=kind, from_=from_, to=to, include_cancelled=include_cancelled)
        ]
        chosen.sort(key=lambda i: (i.due, i.kind, i.party_code is not None, i.party_code or "", i.key))
        return DeadlinePage(
            items=chosen[offset : offset + limit], total=len(chosen), limit=limit, offset=offset, as_of=day
        )
    if not include_cancelled and party is None:
        where.add("NOT d.cancelled")
    if not include_cancelled and party is not None:
        where.add("NOT (d.cancelled OR {} = ANY(d.not_for))", party)
    if kind is not None:
        where.add("d.kind = {}", kind)
    if from_ is not None:
        where.add("d.due >= {}", from_)
    if to is not None:
        where.add("d.due <= {}", to)
    rows, total = await _page(
        f"{_DEADLINE_COLUMNS} {_DEADLINE_JOINS}",
        f"SELECT count(*) {_DEADLINE_JOINS}",
        where,
        "d.due, d.kind, d.party_code NULLS FIRST, d.id",
        limit,
        offset,
    )
    items = [DeadlineView(**r) for r in rows]
    for item in items if party is not None else ():
        item.cancelled = item.cancelled or party in item.not_for
    return DeadlinePage(items=items, total=total, limit=limit, offset=offset)


async def _derived(
    day: date, stored: list[dict], *, party: str | None, structure: str | None, agreement: int | None
) -> list[DeadlineView]:
    """The scope's deadlines as of `day`: the stored rows of the kinds the rules do not derive
    (and a structure's own), and what the rules derive that day for the agreements in scope."""
    found = await StoredDeadline.raw(_AGREEMENTS, structure, structure, agreement, agreement, party, party)
    evaluated = await store.load([r["id"] for r in found], day, deadlines=True)
    by_key = {(r["agreement_id"], r["key"]): r for r in stored}
    items = [
        DeadlineView(**r)
        for r in stored
        if (r["kind"] in _ELSEWHERE or r["agreement_id"] is None) and not r["cancelled"]
    ]
    for agreement_id in evaluated.asked:
        loaded = evaluated[agreement_id]
        for d in loaded.evaluation.deadlines:
            row = by_key.get((agreement_id, d.key))
            items.append(
                DeadlineView(
                    id=row["id"] if row else None,
                    agreement_id=agreement_id,
                    agreement_title=loaded.row["title"],
                    structure=loaded.row["structure_slug"],
                    key=d.key,
                    kind=d.kind.value,
                    due=d.due,
                    party_code=d.party_code,
                    title=d.title_sv,
                    notice_months=d.notice_months,
                    not_for=list(d.not_for),
                    cancelled=False,
                    sequence=row["sequence"] if row else 0,
                    updated_at=row["updated_at"] if row else None,
                )
            )
    return items


def _wanted(
    item: DeadlineView,
    *,
    party: str | None,
    kind: str | None,
    from_: date | None,
    to: date | None,
    include_cancelled: bool,
) -> bool:
    """The filters of the stored list's SQL, for the deadlines derived as of a day (a party's
    agreement-wide deadline it gave notice from is marked cancelled for it)."""
    if party is not None:
        if item.party_code not in (None, party):
            return False
        item.cancelled = item.cancelled or party in item.not_for
    return not (
        (item.cancelled and not include_cancelled)
        or (kind is not None and item.kind != kind)
        or (from_ is not None and item.due < from_)
        or (to is not None and item.due > to)
    )


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
            "WHERE s.slug = ANY({}::text[])) OR (agreement IS NULL AND (deadline IN (SELECT d.id "
            "FROM deadline d JOIN structure s ON s.id = d.structure WHERE s.slug = ANY({}::text[])) "
            "OR event IN (SELECT e.id FROM audit_event e JOIN round r ON r.id = "
            + EVENT_ROUND_SQL.format(e="e")
            + " JOIN structure s ON s.id = r.structure WHERE s.slug = ANY({}::text[])))))",
            sorted(structures),
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
