"""How long the reminder sweep takes on a national data set, in how many queries, in how much memory.
Run by hand (needs DATABASE_URL pointing at a PostgreSQL server you may create databases on):

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/sweep_bench.py
    ... bench/sweep_bench.py --agreements 2000 --deadlines-per-agreement 500   (one size only)

Builds a database of its own (samverkan_bench, dropped at the end) from the migrations, with 21
synthetic regions as structures and 290 synthetic kommuner (codes and names made up, the real
counts), a registrator per party and a secretariat per structure, agreements for every party of
their structure with two stewards each, subscriptions, open validity warnings and, bulk-loaded
with COPY, the agreements' deadlines spread over 2016-2036 (past ones stay, as lifecycle.store
keeps them). Then it times `notifications.sweep.sweep` three times: cold (the first sweep writes
the outbox rows of everything due), again the same day (nothing new: the steady hourly case),
and the next day. Each size runs in a subprocess of its own, so memory figures do not mix.
Target: a sweep under 5 s with at least 1,000,000 deadlines; memory flat as the data grows.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

BENCH_DB = "samverkan_bench"
REPO = Path(__file__).resolve().parent.parent
# SCB länskoder of Sweden's 21 regions; kommuner per region as in reality (290 in all)
COUNTIES = {
    "01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12, "09": 1, "10": 5, "12": 33,
    "13": 6, "14": 49, "17": 16, "18": 12, "19": 10, "20": 15, "21": 10, "22": 7, "23": 8, "24": 15,
    "25": 14,
}  # fmt: skip
AS_OF = date(2026, 3, 2)
KINDS = [  # (kind, agreement-wide?, share of the deadlines)
    ("notice", True, 0.04),
    ("term_end", True, 0.04),
    ("follow_up_implementation", True, 0.02),
    ("follow_up_annual", True, 0.10),
    ("consultation_reply", True, 0.02),
    ("decision_due", False, 0.26),
    ("legally_final", False, 0.30),
    ("planned_meeting", False, 0.22),
]
COPY_CHUNK = 100_000


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


async def admin(url: str, sql: str) -> None:
    connection = await asyncpg.connect(dsn=with_database(url, "postgres"))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def deadline_rows(agreements: list[tuple[int, list[str]]], per_agreement: int, rng: random.Random):
    """(agreement, key, kind, due, party_code, title, notice_months, cancelled, sequence, updated_at)."""
    start, span = date(2016, 1, 1), (date(2036, 12, 31) - date(2016, 1, 1)).days
    weights = [share for _, _, share in KINDS]
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    for agreement_id, codes in agreements:
        for n in range(per_agreement):
            kind, wide, _ = rng.choices(KINDS, weights)[0]
            due = start + timedelta(days=rng.randrange(span))
            code = None if wide else rng.choice(codes)
            months = rng.choice((18, 6)) if kind == "notice" else None
            yield (
                agreement_id,
                f"{kind}:{code or '-'}:{n}",
                kind,
                due,
                code,
                f"Tidsfrist {kind} {due}",
                months,
                rng.random() < 0.05,  # a few cancelled
                0,
                stamp,
            )


async def build(url: str, agreements: int, per_agreement: int) -> dict[str, int]:
    rng = random.Random(2026)
    db = await asyncpg.connect(dsn=url)
    try:
        structures = []
        for county in COUNTIES:
            structures.append(
                (f"region-{county}", f"Region {county} samverkan", county, f"Län {county}", "Kansli")
            )
        await db.copy_records_to_table(
            "structure",
            records=structures,
            columns=["slug", "name", "county_code", "county_name", "secretariat"],
        )
        structure_ids = dict(await db.fetch("SELECT county_code, id FROM structure"))
        parties = []
        for county, kommuner in COUNTIES.items():
            parties.append((county, f"Region {county}", "region", county, structure_ids[county]))
            parties += [
                (
                    f"{county}{k + 1:02d}",
                    f"Kommun {county}{k + 1:02d}",
                    "kommun",
                    county,
                    structure_ids[county],
                )
                for k in range(kommuner)
            ]
        await db.copy_records_to_table(
            "party", records=parties, columns=["code", "name", "kind", "county_code", "structure"]
        )
        party_rows = await db.fetch("SELECT id, code, structure FROM party")
        by_structure: dict[int, list[tuple[int, str]]] = {}
        for r in party_rows:
            by_structure.setdefault(r["structure"], []).append((r["id"], r["code"]))
        contacts = [
            (r["id"], None, "registrator", "", f"registrator@k{r['code']}.example.se") for r in party_rows
        ]
        contacts += [(None, s, "secretariat", "", f"kansli@s{s}.example.se") for s in structure_ids.values()]
        await db.copy_records_to_table(
            "contact", records=contacts, columns=["party", "structure", "role", "name", "email"]
        )
        sids = list(structure_ids.values())
        now = datetime(2026, 1, 1, tzinfo=UTC)
        statuses = ["active"] * 8 + ["draft", "ended"]
        agreement_records = [
            (
                sids[n % len(sids)], "overenskommelse", f"Överenskommelse {n}", rng.choice(statuses),
                "{}" if n % 50 else json.dumps({"notice": ["2m", "0d"]}), now, now,
            )
            for n in range(agreements)
        ]  # fmt: skip
        await db.copy_records_to_table(
            "agreement",
            records=agreement_records,
            columns=["structure", "kind", "title", "status", "reminder_policy", "created_at", "updated_at"],
        )
        agreement_rows = await db.fetch("SELECT id, structure FROM agreement ORDER BY id")
        members = [(a["id"], pid) for a in agreement_rows for pid, _ in by_structure[a["structure"]]]
        await db.copy_records_to_table("agreement_party", records=members, columns=["agreement", "party"])
        stewards = [
            (a["id"], f"Förvaltare {k}", f"forvaltare{k}.a{a['id']}@example.se", "")
            for a in agreement_rows
            for k in (1, 2)
        ]
        await db.copy_records_to_table(
            "steward", records=stewards, columns=["agreement", "name", "email", "organisation"]
        )
        with_codes = [(a["id"], [c for _, c in by_structure[a["structure"]]]) for a in agreement_rows]
        rows = deadline_rows(with_codes, per_agreement, rng)
        total = 0
        columns = [
            "agreement", "key", "kind", "due", "party_code", "title", "notice_months", "cancelled",
            "sequence", "updated_at",
        ]  # fmt: skip
        while True:
            chunk = [row for _, row in zip(range(COPY_CHUNK), rows, strict=False)]
            if not chunk:
                break
            await db.copy_records_to_table("deadline", records=chunk, columns=columns)
            total += len(chunk)
        warnings = [
            (a["id"], f"undecided_long:{codes[0]}", "undecided_long", codes[0], "Part har inte beslutat", now)
            for a, (_, codes) in zip(agreement_rows, with_codes, strict=True)
            if a["id"] % 10 == 0
        ]
        await db.copy_records_to_table(
            "validity_warning",
            records=warnings,
            columns=["agreement", "key", "kind", "party_code", "message", "opened_at"],
        )
        subscriptions = [(s, None, None, "email", f"bevakning@s{s}.example.se", None, []) for s in sids]
        subscriptions += [
            (None, None, a["id"], "webhook", f"https://hooks.example.se/a{a['id']}", "x" * 32, ["notice"])
            for a in agreement_rows[::40]
        ]
        await db.copy_records_to_table(
            "subscription",
            records=subscriptions,
            columns=["structure", "party", "agreement", "channel", "target", "secret", "kinds"],
        )
        # a year or two of outbox history: sent reminders of past deadlines, one per deadline
        history = await db.execute(
            "INSERT INTO delivery (key, source, agreement, deadline, kind, lead, send_on, due, party_code, "
            "channel, recipient, reason, status, attempts, created_at, next_attempt_at, claimed_at, sent_at) "
            "SELECT 'deadline:' || id || ':' || due || ':1m:kansli@example.se:email', 'deadline', agreement, "
            "id, kind, '1m', due - 30, due, party_code, 'email', 'kansli@example.se', 'secretariat', "
            "'sent', 1, now(), now(), now(), now() FROM deadline WHERE due < $1",
            AS_OF,
        )
        await db.execute("ANALYZE")
        return {
            "outbox_history": int(history.split()[-1]),
            "parties": len(parties),
            "agreements": agreements,
            "agreement_parties": len(members),
            "deadlines": total,
            "warnings": len(warnings),
            "subscriptions": len(subscriptions),
        }
    finally:
        await db.close()


class Counter:
    """Counts the statements Piccolo sends (the sweep's own; transactions' BEGIN/COMMIT aside)."""

    def __init__(self, engine) -> None:
        self.count = 0
        cls = type(engine)
        original = cls.run_querystring

        async def counted(engine_self, *args, **kwargs):
            self.count += 1
            return await original(engine_self, *args, **kwargs)

        cls.run_querystring = counted  # the engine has __slots__: patch its class


async def measure(label: str, day: date, counter: Counter) -> dict:
    from notifications.sweep import sweep

    counter.count = 0
    tracemalloc.start()
    started = time.perf_counter()
    result = await sweep(day)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "run": label,
        "seconds": round(elapsed, 3),
        "queries": counter.count,
        "new_rows": len(result.deadline_deliveries) + len(result.warning_deliveries),
        "python_peak_mib": round(peak / 2**20, 2),
    }


async def one_size(server_url: str, agreements: int, per_agreement: int, explain: bool) -> dict:
    url = with_database(server_url, BENCH_DB)
    await admin(server_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    await admin(server_url, f'CREATE DATABASE "{BENCH_DB}"')
    try:
        os.environ["DATABASE_URL"] = url
        from samverkan_cli.database import migrate_all

        await migrate_all()
        started = time.perf_counter()
        sizes = await build(url, agreements, per_agreement)
        build_seconds = time.perf_counter() - started
        from piccolo.querystring import QueryString

        from piccolo_conf import DB

        counter = Counter(DB)
        runs = [
            await measure("cold: first sweep of the day", AS_OF, counter),
            await measure("steady: the same day again", AS_OF, counter),
            await measure("next day", AS_OF + timedelta(days=1), counter),
        ]
        if explain:
            from notifications.policy import load_rows
            from notifications.sweep import CATCH_UP_DAYS, DEADLINES_SQL

            rows = await load_rows()
            async with DB.transaction():
                await DB.run_querystring(QueryString("SET LOCAL jit = off"))
                plan = await DB.run_querystring(
                    QueryString(
                        "EXPLAIN (ANALYZE, BUFFERS) " + DEADLINES_SQL,
                        AS_OF + timedelta(days=2), CATCH_UP_DAYS, rows.max_months(), rows.max_days(), 600,
                        rows.name, rows.key, rows.months, rows.days, rows.label,
                        list(rows.by_agreement), list(rows.by_agreement.values()),
                        list(rows.by_structure), list(rows.by_structure.values()),
                    )
                )  # fmt: skip
            print("\n".join(r["QUERY PLAN"] for r in plan), file=sys.stderr)
        outbox = await DB.run_querystring(QueryString("SELECT count(*) FROM delivery"))
        return {
            **sizes,
            "build_seconds": round(build_seconds, 1),
            "outbox_rows": outbox[0]["count"],
            "runs": runs,
            "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    finally:
        await admin(server_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, help="one size only (default: 1000, then 2000)")
    parser.add_argument("--deadlines-per-agreement", type=int, default=500)
    parser.add_argument("--explain", action="store_true", help="print the deadline statement's plan")
    args = parser.parse_args()
    server_url = os.environ.get("DATABASE_URL")
    if not server_url:
        sys.exit("Set DATABASE_URL to a PostgreSQL server where this may create and drop samverkan_bench.")
    if args.agreements:
        figures = asyncio.run(
            one_size(server_url, args.agreements, args.deadlines_per_agreement, args.explain)
        )
        print(json.dumps(figures))
        return
    results = []
    for agreements in (1000, 2000):
        command = [sys.executable, __file__, "--agreements", str(agreements)]
        command += ["--deadlines-per-agreement", str(args.deadlines_per_agreement)]
        out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    print(f"PostgreSQL at {urlsplit(server_url).hostname}, as of {AS_OF}; one process, no pool\n")
    for r in results:
        print(
            f"{r['agreements']:>5} agreements, {r['deadlines']:>9,} deadlines, {r['parties']} parties, "
            f"{r['agreement_parties']:,} agreement parties, {r['warnings']} open warnings, "
            f"{r['subscriptions']} subscriptions, {r['outbox_history']:,} outbox rows of history "
            f"(built in {r['build_seconds']} s)"
        )
        for run in r["runs"]:
            print(
                f"    {run['run']:<30} {run['seconds']:>7.3f} s  {run['queries']} queries  "
                f"{run['new_rows']:>7,} new outbox rows  Python peak {run['python_peak_mib']:>6.2f} MiB"
            )
        print(f"    outbox rows at the end: {r['outbox_rows']:,}; process max RSS {r['max_rss_mib']} MiB\n")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
