"""The daily run: refresh every live agreement's deadlines and warnings, then sweep.

Dates move with time even when nobody changes anything: a fixed term renews, a party becomes
"undecided for too long", an agreement passes its end. `lifecycle.store.refresh` recomputes and
stores them; here it runs over all agreements that have not ended, a batch at a time (one
transaction per batch, a fixed number of statements each), so a national register refreshes in
a few hundred statements and holds no long locks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lifecycle import store
from lifecycle.tables import Agreement
from notifications.sweep import SweepResult, sweep

# Agreements per refresh transaction: each batch loads its agreements' facts in a handful of
# queries; 200 keeps a batch well under a second on a national data set (bench/sweep_bench.py).
REFRESH_BATCH = 200


@dataclass(frozen=True, slots=True)
class DailyResult:
    refreshed: int
    sweep: SweepResult

    def counts(self) -> dict[str, int | str]:
        return {"refreshed": self.refreshed, **self.sweep.counts()}


async def refresh_all(today: date, *, batch: int = REFRESH_BATCH) -> int:
    """Refresh every agreement that has not ended or been withdrawn; returns how many."""
    after, count = 0, 0
    while True:
        rows = await Agreement.raw(
            "SELECT id FROM agreement WHERE id > {} AND status NOT IN ('ended', 'withdrawn') "
            "ORDER BY id LIMIT {}",
            after,
            batch,
        )
        if not rows:
            return count
        ids = [r["id"] for r in rows]
        async with Agreement._meta.db.transaction():
            await store.refresh(ids, today)
        count += len(ids)
        after = ids[-1]


async def run_daily(today: date) -> DailyResult:
    """Refresh, then sweep; the caller enqueues `result.sweep.delivery_ids` (it has committed)."""
    refreshed = await refresh_all(today)
    return DailyResult(refreshed=refreshed, sweep=await sweep(today))
