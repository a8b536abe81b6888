"""Writing a round's deadlines into the `deadline` table, where the reminder sweep and the
calendar feeds read every deadline: one row per asked party (`rounds.rules.rounds.deadlines`),
upserted by key, the vanished ones cancelled (a closed round, a party that answered: no late row)."""

from __future__ import annotations

from core.clock import now
from lifecycle.tables import StoredDeadline
from rounds.rules.rounds import deadlines
from rounds.services.load import Loaded

_UPSERT = """
INSERT INTO deadline
    (agreement, key, kind, due, party_code, title, notice_months, cancelled, sequence, updated_at)
SELECT {}, k, kd, du, pc, t, NULL, false, 0, {}
FROM unnest({}::text[], {}::text[], {}::date[], {}::text[], {}::text[]) AS x(k, kd, du, pc, t)
ON CONFLICT (agreement, key) DO UPDATE SET kind = excluded.kind, due = excluded.due,
    party_code = excluded.party_code, title = excluded.title, cancelled = false,
    sequence = deadline.sequence + 1, updated_at = excluded.updated_at
WHERE (deadline.kind, deadline.due, deadline.party_code, deadline.title, deadline.cancelled)
    IS DISTINCT FROM (excluded.kind, excluded.due, excluded.party_code, excluded.title, false)
"""
_CANCEL = """
UPDATE deadline SET cancelled = true, sequence = sequence + 1, updated_at = {}
WHERE agreement = {} AND NOT cancelled AND (key LIKE {} OR key LIKE {}) AND NOT key = ANY({}::text[])
"""


async def store(loaded: Loaded) -> None:
    """Call inside the transaction of the change that moved them."""
    rows = deadlines(loaded.facts, loaded.rule_answers())
    agreement, stamp, round_id = loaded.row["agreement"], now(), loaded.row["id"]
    if rows:
        await StoredDeadline.raw(
            _UPSERT,
            agreement,
            stamp,
            [d.key for d in rows],
            [d.kind for d in rows],
            [d.due for d in rows],
            [d.party_code for d in rows],
            [d.title for d in rows],
        )
    await StoredDeadline.raw(
        _CANCEL, stamp, agreement, f"round:{round_id}:%", f"round_late:{round_id}:%", [d.key for d in rows]
    )
