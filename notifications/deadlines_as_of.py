"""The deadlines list as it stands on another day (`GET /api/deadlines?as_of=`).

The stored deadlines are what the rules derived as of the last refresh (today, after every change
and each morning). Asked for another day, the rules derive them again as of that day, from the
same loader as the adoption overview and the term (`lifecycle.store.load`), with the filters of
the stored list; the kinds other packages store (rounds, disputes) come as stored.
"""

from __future__ import annotations

from datetime import date

from core.clock import today
from lifecycle import store
from lifecycle.rules.deadlines import STORED_ELSEWHERE
from lifecycle.services import checks
from lifecycle.tables import StoredDeadline
from notifications.queries import check_filters
from notifications.views import DeadlinePage, DeadlineView

_AGREEMENTS = (
    "SELECT a.id FROM agreement a JOIN structure s ON s.id = a.structure "
    "WHERE ({}::text IS NULL OR s.slug = {}) AND ({}::int IS NULL OR a.id = {}) AND ({}::text IS NULL "
    "OR EXISTS (SELECT 1 FROM agreement_party ap JOIN party p ON p.id = ap.party "
    "WHERE ap.agreement = a.id AND p.code = {})) ORDER BY a.id"
)
_STORED = (
    "SELECT d.id, d.agreement AS agreement_id, a.title AS agreement_title, s.slug AS structure, d.key, "
    "d.kind, d.due, d.party_code, d.title, d.notice_months, d.not_for, d.cancelled, d.sequence, "
    "d.updated_at FROM deadline d JOIN agreement a ON a.id = d.agreement "
    "JOIN structure s ON s.id = a.structure WHERE d.agreement = ANY({}::int[])"
)
_ELSEWHERE = frozenset(k.value for k in STORED_ELSEWHERE)


async def deadlines_as_of(
    as_of: date,
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
    """As `queries.list_deadlines`, as the rules see it on `as_of` (bounded as the other as_of
    parameters, `checks.as_of_day`). `include_cancelled` adds, for a `party`, the agreement-wide
    deadlines it is no longer concerned by that day (marked cancelled); a deadline that goes
    away has no row to show as of a day it does not exist."""
    day = checks.as_of_day(as_of, today())
    check_filters(kind, from_, to)
    found = await StoredDeadline.raw(_AGREEMENTS, structure, structure, agreement, agreement, party, party)
    ids = [r["id"] for r in found]
    evaluated = await store.load(ids, day, deadlines=True)
    stored = await StoredDeadline.raw(_STORED, ids)
    by_key = {(r["agreement_id"], r["key"]): r for r in stored}
    items = [DeadlineView(**r) for r in stored if r["kind"] in _ELSEWHERE and not r["cancelled"]]
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
    chosen = []
    for item in items:
        if party is not None:
            if item.party_code not in (None, party):
                continue
            item.cancelled = item.cancelled or party in item.not_for
        if (
            (item.cancelled and not include_cancelled)
            or (kind is not None and item.kind != kind)
            or (from_ is not None and item.due < from_)
            or (to is not None and item.due > to)
        ):
            continue
        chosen.append(item)
    chosen.sort(key=lambda i: (i.due, i.kind, i.party_code is not None, i.party_code or "", i.key))
    return DeadlinePage(
        items=chosen[offset : offset + limit], total=len(chosen), limit=limit, offset=offset, as_of=day
    )
