"""Writing a round's deadlines into the `deadline` table, where the reminder sweep and the
calendar feeds read every deadline: one row per asked party (`rounds.rules.rounds.deadlines`),
upserted by key, the vanished ones cancelled (a closed round, a party that answered: no late row).
A round of the whole structure writes its rows with the structure instead of an agreement (the
table's `structure` column, keys unique per structure)."""

from __future__ import annotations

from core.clock import now
from lifecycle.tables import StoredDeadline
from rounds.rules.rounds import deadlines
from rounds.services.load import Loaded

# `<owner>`: the column the round's rows belong to, agreement or structure
_UPSERT = """
INSERT INTO deadline
    (<owner>, key, kind, due, party_code, title, notice_months, cancelled, sequence, updated_at)
SELECT {}, k, kd, du, pc, t, NULL, false, 0, {}
FROM unnest({}::text[], {}::text[], {}::date[], {}::text[], {}::text[]) AS x(k, kd, du, pc, t)
ON CONFLICT (<owner>, key) DO UPDATE SET kind = excluded.kind, due = excluded.due,
    party_code = excluded.party_code, title = excluded.title, cancelled = false,
    sequence = deadline.sequence + 1, updated_at = excluded.updated_at
WHERE (deadline.kind, deadline.due, deadline.party_code, deadline.title, deadline.cancelled)
    IS DISTINCT FROM (excluded.kind, excluded.due, excluded.party_code, excluded.title, false)
"""
_CANCEL = """
UPDATE deadline SET cancelled = true, sequence = sequence + 1, updated_at = {}
WHERE <owner> = {} AND NOT cancelled AND (key LIKE {} OR key LIKE {}) AND NOT key = ANY({}::text[])
"""


async def store(loaded: Loaded) -> None:
    """Call inside the transaction of the change that moved them."""
    rows = deadlines(loaded.facts, loaded.rule_answers())
    stamp, round_id = now(), loaded.row["id"]
    owner, owner_id = (
        ("structure", loaded.row["structure"])
        if loaded.row["agreement"] is None
        else ("agreement", loaded.row["agreement"])
    )
    if rows:
        await StoredDeadline.raw(
            _UPSERT.replace("<owner>", owner),
            owner_id,
            stamp,
            [d.key for d in rows],
            [d.kind for d in rows],
            [d.due for d in rows],
            [d.party_code for d in rows],
            [d.title for d in rows],
        )
    await StoredDeadline.raw(
        _CANCEL.replace("<owner>", owner),
        stamp,
        owner_id,
        f"round:{round_id}:%",
        f"round_late:{round_id}:%",
        [d.key for d in rows],
    )
