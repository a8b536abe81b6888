"""The daily run: refresh every live agreement's deadlines and warnings, then sweep.

Dates move with time even when nobody changes anything: a fixed term renews, a party becomes
"undecided for too long", an agreement passes its end. `lifecycle.store.refresh` recomputes and
stores them; here it runs over all agreements that have not ended (and an ended one once more,
until its matrix row is stored as settled), a batch at a time (a fixed number of statements each),
so a national register refreshes in a few hundred statements.

The daily run is one unit: the refresh, the sweep and the run's audit event commit together or not
at all. A sweep that failed after the refresh had committed would leave every deadline and warning
stored as of its day with nothing sent for them, and the next run would reopen the warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from audit.trail import Actor, record
from core.errors import InvalidInput
from lifecycle import store
from lifecycle.tables import Agreement
from notifications.sweep import SweepResult, sweep
from rounds.services import follow_up_rounds

# Agreements per refresh transaction: each batch loads its agreements' facts in a handful of
# queries; 200 keeps a batch well under a second on a national data set (bench/sweep_bench.py).
REFRESH_BATCH = 200
# The days a run may act as of: the register holds agreements from this century, and a date far
# outside it (year 1, year 9999) would only overflow the date arithmetic of terms and leads.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)


@dataclass(frozen=True, slots=True)
class DailyResult:
    refreshed: int
    sweep: SweepResult
    follow_up_rounds: int = 0

    def counts(self) -> dict[str, int | str]:
        return {"refreshed": self.refreshed, "follow_up_rounds": self.follow_up_rounds, **self.sweep.counts()}


def check_day(day: date) -> date:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidInput(
            f"Dagen {day.isoformat()} går inte att köra som: välj en dag från "
            f"{EARLIEST_DAY.isoformat()} till {LATEST_DAY.isoformat()}.",
            field="as_of",
        )
    return day


# The agreements a run refreshes: every one that has not ended or been withdrawn, and an ended one
# until its matrix row is stored as settled (it then holds on every later day: lifecycle.services.
# matrix), so an ended agreement costs a refresh once, not every day.
_TO_REFRESH = (
    "SELECT a.id FROM agreement a LEFT JOIN adoption_summary s ON s.agreement = a.id "
    "WHERE a.id > {} AND (a.status NOT IN ('ended', 'withdrawn') OR (a.status = 'ended' "
    "AND (s.settled IS NOT TRUE OR s.as_of > {}))) ORDER BY a.id LIMIT {}"
)


async def refresh_all(today: date, *, batch: int = REFRESH_BATCH) -> int:
    """Refresh every agreement that has not ended or been withdrawn, and the ended ones whose
    matrix row is not settled yet; returns how many. Each batch commits on its own, unless called
    inside a transaction (then the caller's commits them)."""
    check_day(today)
    after, count = 0, 0
    while True:
        rows = await Agreement.raw(_TO_REFRESH, after, today, batch)
        if not rows:
            return count
        ids = [r["id"] for r in rows]
        async with Agreement._meta.db.transaction():
            await store.refresh(ids, today)
        count += len(ids)
        after = ids[-1]


async def run_daily(today: date, *, actor: Actor) -> DailyResult:
    """Refresh, then sweep, in one transaction, recorded in the audit trail as `actor`'s; the
    caller enqueues `result.sweep.delivery_ids` (it has committed)."""
    check_day(today)
    async with Agreement._meta.db.transaction():
        refreshed = await refresh_all(today)
        # before the sweep, so a round opened today reminds its parties today
        opened = await follow_up_rounds.open_due(today)
        result = DailyResult(refreshed=refreshed, sweep=await sweep(today), follow_up_rounds=len(opened))
        await record(actor, "run", "daily_run", today.isoformat(), after=result.counts())
    return result
