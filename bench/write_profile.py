"""Where the time of one `log_decision` goes, at national scale. Run by hand after bench/national.py
(on a copy of its own: this writes):

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python bench/write_profile.py --database samverkan_bench_write [--deciding 50] \\
        [--profile] [--explain]

Generates one Västra Götaland agreement through the services (as `read_bench.generate` does) and
logs `--deciding` decisions on it with `log_decision`, timing every statement asyncpg sends: prints
the median call, the statements per call with their share of the time, what is left (Python, and
waiting for a core), and this process's CPU per call. `--profile`: cProfile's top functions by
their own CPU time over the calls. `--explain`: each distinct statement of the last call once more
under `EXPLAIN (ANALYZE, BUFFERS)` in a transaction rolled back.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import national
from read_bench import _d, with_database


class Timed:
    """Every statement sent while `on`, with its time, by the start of its text."""

    def __init__(self) -> None:
        self.on = False
        self.calls: list[list[tuple[str, tuple, float]]] = []

    def install(self) -> None:
        import asyncpg

        for name in ("fetch", "fetchrow", "fetchval", "execute", "executemany"):
            original = getattr(asyncpg.Connection, name)

            async def timed(connection, query, *args, _original=original, **kwargs):
                started = time.perf_counter()
                try:
                    return await _original(connection, query, *args, **kwargs)
                finally:
                    if self.on:
                        self.calls[-1].append((query, args, time.perf_counter() - started))

            setattr(asyncpg.Connection, name, timed)


async def run(deciding: int, profile: bool, explain: bool) -> None:
    from audit.trail import Actor
    from core.db import close_pool, open_pool
    from lifecycle.services import agreements as service
    from lifecycle.services import decisions, steps
    from lifecycle.views import AgreementCreate, DecisionIn, StepIn, TermIn
    from parties.tables import Party
    from piccolo_conf import DB

    timed = Timed()
    timed.install()
    await open_pool(DB)
    actor = Actor.system("bench")
    codes = [
        r["code"]
        for r in await Party.raw(
            "SELECT p.code FROM party p JOIN structure s ON s.id = p.structure "
            "WHERE s.slug = 'vastra-gotaland' ORDER BY p.code"
        )
    ]
    made = await service.create_agreement(
        AgreementCreate(
            structure="vastra-gotaland",
            kind="overenskommelse",
            title="Överenskommelse att profilera",
            term=TermIn(
                kind="fixed", start=_d("2023-01-01"), end=_d("2026-12-31"), notice_months=18, renewal_years=3
            ),
        ),
        actor=actor,
    )
    for step, on in [
        ("uppdrag", "2021-03-01"),
        ("forslag", "2021-06-01"),
        ("remiss", "2021-09-01"),
        ("revidering", "2021-11-15"),
        ("beredning", "2022-01-20"),
        ("rekommendation_sro", "2022-02-24"),
    ]:
        await steps.record_step(made.id, StepIn(step=step, taken_on=_d(on)), actor=actor)
    # CPU time, not wall time: on a shared machine waiting for a core is not our code's cost
    profiler = cProfile.Profile(time.process_time) if profile else None
    times, cpu = [], []
    for i, code in enumerate(codes[:deciding]):
        data = DecisionIn(
            body="Kommunfullmäktige",
            meeting_date=_d("2022-05-23"),
            outcome="adopted" if i % 5 else "postponed",
            paragraph=f"§ {i + 1}",
            justering_date=_d("2022-05-27"),
            anslag_date=_d("2022-05-30"),
        )
        timed.calls.append([])
        timed.on = True
        if profiler:
            profiler.enable()
        started, started_cpu = time.perf_counter(), time.process_time()
        await decisions.log_decision(made.id, code, data, actor=actor)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        if profiler:
            profiler.disable()
        timed.on = False
    per_statement: dict[str, list[float]] = defaultdict(list)
    for call in timed.calls:
        for query, _, seconds in call:
            per_statement[" ".join(query.split())[:90]].append(seconds)
    calls = len(times)
    sql = sum(s for call in timed.calls for _, _, s in call) / calls
    print(
        f"log_decision: {calls} calls, median {statistics.median(times) * 1000:.1f} ms, "
        f"mean {statistics.mean(times) * 1000:.1f} ms; {len(timed.calls[-1])} statements per call, "
        f"{sql * 1000:.1f} ms of them waiting on PostgreSQL, {(statistics.mean(times) - sql) * 1000:.1f} ms "
        f"the rest; this process's CPU {statistics.mean(cpu) * 1000:.1f} ms per call"
    )
    for text, seconds in sorted(per_statement.items(), key=lambda kv: -sum(kv[1])):
        print(f"{sum(seconds) / calls * 1000:7.2f} ms/call {len(seconds) / calls:4.1f}x  {text}")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(45)
    if explain:
        await explain_last(timed.calls[-1])
    await close_pool(DB)


async def explain_last(call: list[tuple[str, tuple, float]]) -> None:
    """Each distinct statement of the call under EXPLAIN ANALYZE, in one transaction rolled back
    (each in a savepoint: replayed after the call, an INSERT may now conflict)."""
    import asyncpg

    connection = await asyncpg.connect(dsn=os.environ["DATABASE_URL"], server_settings={"jit": "off"})
    transaction = connection.transaction()
    await transaction.start()
    try:
        seen = set()
        for query, args, _ in call:
            if query in seen or query.split()[0].upper() in ("BEGIN", "COMMIT", "ROLLBACK"):
                continue
            seen.add(query)
            print("\n" + " ".join(query.split())[:300])
            try:
                async with connection.transaction():
                    plan = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {query}", *args)
            except asyncpg.PostgresError as exc:
                print(f"  ({exc.__class__.__name__}: {exc})")
                continue
            print("\n".join(r[0] for r in plan))
    finally:
        await transaction.rollback()
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=national.DATABASE)
    parser.add_argument("--deciding", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    server = os.environ["DATABASE_URL"]
    if not asyncio.run(national.exists(server, args.database)):
        print(f"national data: {asyncio.run(national.build(server, args.database))}")
    os.environ["DATABASE_URL"] = with_database(server, args.database)
    asyncio.run(run(args.deciding, args.profile, args.explain))


if __name__ == "__main__":
    main()
