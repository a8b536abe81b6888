"""A feed's deadlines: one set-based query per feed, each deadline with its agreement's title and
its party's name, whatever the number of events (no query per event).

What each feed holds:
- a party: its own deadlines, and the agreement-wide ones of every agreement it is party to (as
  `notifications.queries.list_deadlines` reads a party's deadlines);
- an agreement: all of its deadlines; a structure: all of its agreements' deadlines and its own
  (a round of the whole structure: `deadline.structure`, no agreement);
- a user: what their roles make them responsible for: a secretariat's structure, a steward's
  agreement, a clerk's party (as a party feed). Admin and viewer roles hold no scope of their own,
  so they add nothing; such users subscribe to the structure feeds instead.
Cancelled deadlines are included while cancelled less than `since` ago, so calendars that saw the
event learn that it is gone (STATUS:CANCELLED).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from piccolo.querystring import QueryString

from lifecycle.tables import StoredDeadline
from notifications.feeds.scopes import Scope, ScopeKind

# `modified`: an agreement's new title changes every event's SUMMARY without touching the
# deadline rows, so the later of the two stamps is the event's LAST-MODIFIED.
# A round's deadline ("round:<round id>:<party>", "round_late:..."; rounds.rules.rounds) brings its
# round's title, which the event's SUMMARY names (a title edited rewrites the deadline rows too).
_SELECT = (
    "SELECT d.agreement, d.structure, ds.slug AS structure_slug, ds.name AS structure_name, d.key, d.kind, "
    "d.due, d.party_code, d.title, d.cancelled, d.sequence, "
    "GREATEST(d.updated_at, a.updated_at) AS modified, a.title AS agreement_title, pn.name AS party_name, "
    "rd.title AS round_title "
    "FROM {picked} d LEFT JOIN agreement a ON a.id = d.agreement "
    "LEFT JOIN structure ds ON ds.id = d.structure "
    "LEFT JOIN party pn ON pn.code = d.party_code "
    "LEFT JOIN round rd ON d.kind IN ('round_reply', 'round_late', 'round_answered') "
    "AND rd.id::text = split_part(d.key, ':', 2) "
    "WHERE (NOT d.cancelled OR d.updated_at >= {{}})"
)
# A deadline's columns as a scope's subquery gives them (the order of `deadline`'s own, so a
# branch may UNION with `SELECT *`); `cancelled` for a party is also an agreement-wide deadline
# that no longer concerns it, having given notice (lifecycle.rules.term.not_concerned).
_COLUMNS = (
    "{t}.id, {t}.agreement, {t}.key, {t}.kind, {t}.due, {t}.party_code, {t}.title, {t}.notice_months, "
    "{cancelled} AS cancelled, {t}.sequence, {t}.updated_at, {t}.not_for, {t}.structure"
)
_CANCELLED_FOR = "({t}.cancelled OR {p}.code = ANY({t}.not_for))"
# The deadlines of each scope, by its key (`{}`: the key, as often as it appears).
_PICKED = {
    ScopeKind.PARTY: (
        f"(SELECT {_COLUMNS.format(t='deadline', cancelled='deadline.cancelled')} FROM deadline "
        "WHERE party_code = {} "
        f"UNION ALL SELECT {_COLUMNS.format(t='pd', cancelled=_CANCELLED_FOR.format(t='pd', p='p'))} "
        "FROM party p JOIN agreement_party ap ON ap.party = p.id "
        "JOIN deadline pd ON pd.agreement = ap.agreement AND pd.party_code IS NULL WHERE p.code = {})",
        2,
    ),
    ScopeKind.AGREEMENT: ("(SELECT * FROM deadline WHERE agreement = CAST({}::text AS integer))", 1),
    ScopeKind.STRUCTURE: (
        "(SELECT sd.* FROM structure s JOIN agreement sa ON sa.structure = s.id "
        "JOIN deadline sd ON sd.agreement = sa.id WHERE s.slug = {} "
        "UNION ALL SELECT sd.* FROM structure s JOIN deadline sd ON sd.structure = s.id WHERE s.slug = {})",
        2,
    ),
    ScopeKind.USER: (
        "(SELECT sd.* FROM role_grant g JOIN agreement ga ON ga.structure = g.structure "
        "JOIN deadline sd ON sd.agreement = ga.id "
        "WHERE g.\"user\" = CAST({}::text AS integer) AND g.role = 'secretariat' "
        "UNION SELECT sd.* FROM role_grant g JOIN deadline sd ON sd.structure = g.structure "
        "WHERE g.\"user\" = CAST({}::text AS integer) AND g.role = 'secretariat' "
        "UNION SELECT sd.* FROM role_grant g JOIN deadline sd ON sd.agreement = g.agreement_id "
        "WHERE g.\"user\" = CAST({}::text AS integer) AND g.role = 'steward' "
        "UNION SELECT sd.* FROM role_grant g JOIN party gp ON gp.id = g.party "
        "JOIN deadline sd ON sd.party_code = gp.code "
        "WHERE g.\"user\" = CAST({}::text AS integer) AND g.role = 'clerk' "
        f"UNION SELECT {_COLUMNS.format(t='sd', cancelled=_CANCELLED_FOR.format(t='sd', p='cp'))} "
        "FROM role_grant g JOIN agreement_party ap ON ap.party = g.party JOIN party cp ON cp.id = g.party "
        "JOIN deadline sd ON sd.agreement = ap.agreement AND sd.party_code IS NULL "
        "WHERE g.\"user\" = CAST({}::text AS integer) AND g.role = 'clerk')",
        5,
    ),
}


async def feed_rows(scope: Scope, *, since: datetime, kinds: Sequence[str] = ()) -> Sequence[Mapping]:
    """The scope's deadlines (only these kinds, if any are given), in no particular order: the
    renderer orders the events. asyncpg's records as they come: turning 5,000 of them into dicts,
    as `Table.raw` does, took a fifth of the query's time (bench/feed_route_bench.py)."""
    picked, times = _PICKED[scope.kind]
    sql = _SELECT.format(picked=picked)
    args: list[object] = [scope.key] * times + [since]
    if kinds:
        sql += " AND d.kind = ANY({})"
        args.append(list(kinds))
    return await StoredDeadline._meta.db.run_querystring(QueryString(sql, *args))
