"""The read path against its floor: each figure beside what a bare Litestar app returning the same
bytes from memory does on the same server settings, the two measured alternately. Run by hand
(needs DATABASE_URL pointing at a PostgreSQL server you may create databases on, REDIS_URL, and
`wrk`: apt-get install wrk):

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/11 \
        .venv/bin/python bench/read_bench.py [--agreements 40] [--deciding 50] [--rounds 3]

It builds a database of its own (samverkan_bench_reads, dropped at the end) from the migrations
with the real reference data, then generates Västra Götaland agreements (all 50 parties) through
the services, as a secretariat would: each created, taken through its process to the
recommendation, and `--deciding` of its parties' decisions logged with `log_decision`: first one
at a time (the median of one call), then `--loaders` agreements at once (decisions per second, as
an import would load them). At 140-190 decisions/s national scale's 69,495 would take some eight
minutes on two shared cores, so the default is one structure's worth; `--national` reads the national-scale
database of `bench/national.py` instead (311 parties, 2,000 agreements, 69,495 decisions,
bulk-loaded in seconds; built when missing or with `--rebuild`, kept afterwards; `--database`
names another copy, e.g. one to write to while someone reads the first), and generates through the
services only the agreements whose `log_decision` calls it times. `--writes`: only the generator's
figures, no servers started.

Then it starts the product (`samverkan serve`, one process, the app's pool) and the floor (one
uvicorn process serving the product's own answer bytes for the same paths) and runs wrk against
each in turn, `--rounds` times, 50 connections unless said: the adoption JSON, the agreement page,
Härryda's calendar feed (with `--national`) and the matrix (also at one connection), then the
API's peak memory (VmHWM, the matrix being the largest answer).

The feed has a second floor, the issue's: a plain string join of the same events (`plain_join`:
each of the feed's rows, from the product's own query, written into the same content lines by one
f-string, no escaping or folding, the lines joined), timed in this process (its CPU time, which
other work on the machine moves less than the clock; stricter, as an answer's time from wrk is
the clock's). Beside it: the feed's
time per answer at 50 connections (1 / its throughput; answers kept per data version, day and
token) and at one connection, and the rendering on its own (`build.render` of the same rows, what
the first answer after a change costs besides the query): after one event's row changed (the
other events' bytes kept, `build.rendered_events`), and with no event rendered before (a new
process).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import national

BENCH_DB = "samverkan_bench_reads"
FEED_PARTY = "1401"  # Härryda: in all 1,000 of Västra Götaland's agreements at national scale
REPO = Path(__file__).resolve().parent.parent
PRODUCT_PORT, FLOOR_PORT = 8191, 8192
# The floor: Litestar on uvicorn, one process like the product, the recorded bytes from memory.
FLOOR_APP = """
import json, sys
import uvicorn
from litestar import Litestar, Request, Response, get
answers = {path: (media, body.encode()) for path, (media, body) in json.load(open(sys.argv[1])).items()}
@get("/{path:path}")
async def answer(request: Request, path: str) -> Response:
    media, body = answers[request.url.path]
    return Response(body, media_type=media)
uvicorn.run(Litestar([answer]), port=int(sys.argv[2]), log_level="warning")
"""


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


async def admin(url: str, sql: str) -> None:
    connection = await asyncpg.connect(dsn=with_database(url, "postgres"))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def generate(agreements: int, deciding: int, loaders: int = 1) -> tuple[int, list[float], float, int]:
    """Agreements through the services; (an agreement id, log_decision times, decisions/s, count).

    `loaders` agreements are loaded at once, each by its own task (and so its own connection), as
    an import would: one task's Python runs while another's statements run in PostgreSQL. Each
    agreement's decisions are logged one after the other, as its clerks would."""
    from audit.trail import Actor
    from core.db import close_pool, open_pool
    from lifecycle.services import agreements as service
    from lifecycle.services import decisions, steps
    from lifecycle.views import AgreementCreate, DecisionIn, StepIn, TermIn
    from parties.tables import Party
    from piccolo_conf import DB

    await open_pool(DB)
    actor = Actor.system("bench")
    codes = [
        r["code"]
        for r in await Party.raw(
            "SELECT p.code FROM party p JOIN structure s ON "
            "s.id = p.structure WHERE s.slug = 'vastra-gotaland'"
        )
    ]
    steps_taken = [
        ("uppdrag", "2021-03-01"),
        ("forslag", "2021-06-01"),
        ("remiss", "2021-09-01"),
        ("revidering", "2021-11-15"),
        ("beredning", "2022-01-20"),
        ("rekommendation_sro", "2022-02-24"),
    ]
    times: list[float] = []
    made_ids: list[int] = []
    todo = iter(range(agreements))

    async def load(n: int) -> None:
        made = await service.create_agreement(
            AgreementCreate(
                structure="vastra-gotaland",
                kind="overenskommelse",
                title=f"Överenskommelse {n:04d}",
                term=TermIn(
                    kind="fixed",
                    start=_d("2023-01-01"),
                    end=_d("2026-12-31"),
                    notice_months=18,
                    renewal_years=3,
                ),
            ),
            actor=actor,
        )
        made_ids.append(made.id)
        for step, on in steps_taken:
            await steps.record_step(made.id, StepIn(step=step, taken_on=_d(on)), actor=actor)
        for i, code in enumerate(codes[:deciding]):
            data = DecisionIn(
                body="Kommunfullmäktige",
                meeting_date=_d("2022-05-23"),
                outcome="adopted" if i % 5 else "postponed",
                paragraph=f"§ {i + 1}",
                justering_date=_d("2022-05-27"),
                anslag_date=_d("2022-05-30"),
            )
            t = time.perf_counter()
            await decisions.log_decision(made.id, code, data, actor=actor)
            times.append(time.perf_counter() - t)

    async def loader() -> None:
        for n in todo:
            await load(n)

    started = time.perf_counter()
    await asyncio.gather(*(loader() for _ in range(loaders)))
    elapsed = time.perf_counter() - started
    await close_pool(DB)
    return min(made_ids), times, len(times) / elapsed if elapsed else 0.0, len(times)


def plain_join(rows, base: str) -> bytes:
    """The feed's events as a plain string join: the same content lines, one f-string per event."""
    return "\r\n".join(
        [
            f"BEGIN:VEVENT\r\nUID:agreement-{r['agreement']}-{r['key']}@samverkan\r\n"
            f"DTSTAMP:{r['modified']}\r\nLAST-MODIFIED:{r['modified']}\r\nSEQUENCE:{r['sequence']}\r\n"
            f"DTSTART;VALUE=DATE:{r['due']}\r\nDTEND;VALUE=DATE:{r['due']}\r\n"
            f"SUMMARY:{r['kind']}: {r['agreement_title']} – {r['party_name']}\r\n"
            f"DESCRIPTION:{r['title']}\\nGäller: {r['party_name']} ({r['party_code']})\\n"
            f"Överenskommelse: {r['agreement_title']}\\n\\n{base}/agreements/{r['agreement']}\r\n"
            f"URL:{base}/agreements/{r['agreement']}\r\nSTATUS:{r['cancelled']}\r\nTRANSP:TRANSPARENT\r\n"
            f"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-P7D\r\nDESCRIPTION:{r['kind']}\r\n"
            "END:VALARM\r\nEND:VEVENT"
            for r in rows
        ]
    ).encode()


async def feed_floor(party: str, runs: int = 15) -> tuple[int, float, float, float]:
    """(events, median ms of the plain join, of the product's rendering with no event rendered
    before, and of its rendering after one event's row changed) of the party's feed rows, as the
    product queries them."""
    from datetime import datetime
    from datetime import time as clock_time

    from core.clock import STOCKHOLM, today
    from core.db import close_pool, open_pool
    from core.settings import get_settings
    from notifications.feeds import build, queries
    from notifications.feeds.scopes import Scope, ScopeKind
    from piccolo_conf import DB

    await open_pool(DB)
    try:
        since = datetime.combine(today() - build.CANCELLED_KEPT, clock_time.min, STOCKHOLM)
        rows = await queries.feed_rows(Scope(ScopeKind.PARTY, party), since=since)
    finally:
        await close_pool(DB)
    base = get_settings().base_url

    def median_ms(work) -> float:
        times = []
        for _ in range(runs):
            started = time.process_time()  # this process's CPU: the machine is shared
            work()
            times.append((time.process_time() - started) * 1000)
        return statistics.median(times)

    def cold() -> None:
        build.rendered_events.clear()
        build.render("samverkan – Härryda", rows, base)

    def one_changed() -> None:  # one event's row changed since the feed was rendered last
        build.render("samverkan – Härryda", [*rows[1:], {**rows[0], "sequence": next(sequences)}], base)

    sequences = itertools.count(10_000)
    joined = median_ms(lambda: plain_join(rows, base))
    rendered = median_ms(cold)
    build.render("samverkan – Härryda", rows, base)
    again = median_ms(one_changed)
    return len(rows), joined, rendered, again


def _d(text: str):
    from datetime import date

    return date.fromisoformat(text)


def wrk(port: int, path: str, connections: int, seconds: int) -> tuple[float, float]:
    """(requests per second, p99 in ms)."""
    out = subprocess.run(
        [
            "wrk",
            f"-c{connections}",
            f"-t{min(2, connections)}",
            f"-d{seconds}s",
            "--latency",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    return rps, float(p99.group(1)) * scale


def drained(port: int) -> None:
    """Wait until the server answers /health at once: wrk stops while the server may still work
    through the requests it had taken (a slow route's backlog), which the next figure would pay."""
    import httpx

    for _ in range(600):
        started = time.perf_counter()
        try:
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
        except httpx.HTTPError:
            pass
        else:
            if time.perf_counter() - started < 0.2:
                return
        time.sleep(0.2)


def peak_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_for(port: int) -> None:
    import httpx

    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on {port}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agreements", type=int, default=40)
    parser.add_argument("--deciding", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--national", action="store_true", help="the database of bench/national.py")
    parser.add_argument("--rebuild", action="store_true", help="with --national: build it afresh")
    parser.add_argument(
        "--database",
        help="the database to use: with --national, the national one to read (built when missing; "
        f"default {national.DATABASE}); without, the one to build and drop (default {BENCH_DB})",
    )
    parser.add_argument(
        "--writes", action="store_true", help="only the generator's figures (no servers, no wrk)"
    )
    parser.add_argument(
        "--loaders", type=int, default=4, help="agreements the generator loads at once (default 4)"
    )
    args = parser.parse_args()
    server = os.environ["DATABASE_URL"]
    if args.national:
        database = args.database or national.DATABASE
        if args.rebuild or not asyncio.run(national.exists(server, database)):
            print(f"national data: {asyncio.run(national.build(server, database))}")
        os.environ["DATABASE_URL"] = server
    else:
        database = args.database or BENCH_DB
        asyncio.run(admin(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        asyncio.run(admin(server, f'CREATE DATABASE "{database}"'))
    env = {**os.environ, "DATABASE_URL": with_database(server, database)}
    os.environ.update(env)
    processes: list[subprocess.Popen] = []
    try:
        from samverkan_cli.database import migrate_all, seed_all

        asyncio.run(migrate_all())  # the national database too: the API serves only a migrated one
        if not args.national:
            asyncio.run(seed_all(demo=False))
        # with --national: a few more agreements, only to time log_decision at that scale
        agreements = min(args.agreements, 4) if args.national else args.agreements
        # log_decision's own time with nothing else running; then the generator's rate with
        # `--loaders` agreements loaded at once
        agreement, times, serial, count = asyncio.run(generate(agreements, args.deciding))
        print(
            f"log_decision: {count} decisions one at a time, median {statistics.median(times) * 1000:.1f} ms "
            f"(target <= 15 ms), p95 {sorted(times)[int(len(times) * 0.95)] * 1000:.1f} ms, "
            f"{serial:.0f} decisions/s"
        )
        _, _, rate, loaded = asyncio.run(
            generate(max(agreements, 2 * args.loaders), args.deciding, loaders=args.loaders)
        )
        print(
            f"generator: {loaded} decisions through the services, {args.loaders} agreements at once: "
            f"{rate:.0f} decisions/s (target >= 100; {rate / serial:.2f} x one at a time)"
        )
        if args.writes:
            return
        if args.national:  # a bulk-loaded agreement of Västra Götaland, all 50 parties decided
            agreement = asyncio.run(first_decided())
        paths = {
            "adoption JSON": f"/api/agreements/{agreement}/adoption",
            "agreement page": f"/agreements/{agreement}",
            "matrix": "/structures/vastra-gotaland",
        }
        product = subprocess.Popen(
            [str(REPO / ".venv/bin/samverkan"), "serve", "--port", str(PRODUCT_PORT)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(product)
        wait_for(PRODUCT_PORT)
        import httpx

        if args.national:
            links = httpx.get(f"http://127.0.0.1:{PRODUCT_PORT}/api/parties/{FEED_PARTY}/feed", timeout=60)
            feed = urlsplit(links.json()["https"])
            paths = {
                "adoption JSON": paths["adoption JSON"],
                "agreement page": paths["agreement page"],
                "party feed": f"{feed.path}?{feed.query}",
                "matrix": paths["matrix"],
            }
        answers = {}
        for path in paths.values():
            response = httpx.get(f"http://127.0.0.1:{PRODUCT_PORT}{path}", timeout=60)
            response.raise_for_status()
            answers[urlsplit(path).path] = (response.headers["content-type"], response.text)
            if path.endswith(".ics") or ".ics?" in path:
                print(f"party feed {FEED_PARTY}: {response.text.count('BEGIN:VEVENT')} events")
        Path("/tmp/samverkan-floor.json").write_text(json.dumps(answers))
        Path("/tmp/samverkan-floor.py").write_text(FLOOR_APP)
        floor = subprocess.Popen(
            [sys.executable, "/tmp/samverkan-floor.py", "/tmp/samverkan-floor.json", str(FLOOR_PORT)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(floor)
        wait_for(FLOOR_PORT)
        figures = [*paths.items(), ("matrix, one connection", paths["matrix"])]
        if args.national:
            figures.insert(3, ("party feed, one connection", paths["party feed"]))
        per_answer: dict[str, float] = {}
        for name, path in figures:
            connections = 1 if "one connection" in name else 50
            ours, base = [], []
            for _ in range(args.rounds):
                ours.append(wrk(PRODUCT_PORT, path, connections, args.seconds))
                drained(PRODUCT_PORT)
                base.append(wrk(FLOOR_PORT, path, connections, args.seconds))
                drained(FLOOR_PORT)
            rps = statistics.median(r for r, _ in ours)
            p99 = statistics.median(p for _, p in ours)
            floor_rps = statistics.median(r for r, _ in base)
            floor_p99 = statistics.median(p for _, p in base)
            print(
                f"{name:24} {rps:8.1f} rps p99 {p99:8.1f} ms | floor {floor_rps:8.1f} rps p99 "
                f"{floor_p99:6.1f} ms | ratio {rps / floor_rps:.3f}, p99 x{p99 / floor_p99:.1f}"
                + (f" | one answer ~{1000 / rps:.0f} ms" if connections == 1 and rps else "")
            )
            per_answer[name] = 1000 / rps if rps else float("inf")
        if args.national:
            events, joined, rendered, again = asyncio.run(feed_floor(FEED_PARTY))
            kept, alone = per_answer["party feed"], per_answer["party feed, one connection"]
            print(
                f"party feed against a plain string join of its {events} events ({joined:.1f} ms): "
                f"{kept:.1f} ms per answer at 50 connections, ratio {kept / joined:.2f} (target <= 1.5); "
                f"{alone:.1f} ms at one connection, ratio {alone / joined:.2f}; rendering alone, after "
                f"one event changed {again:.1f} ms (ratio {again / joined:.2f}), with no event rendered "
                f"before {rendered:.1f} ms (ratio {rendered / joined:.2f})"
            )
        print(f"API peak memory: {peak_mib(product.pid):.0f} MiB (target <= 250 MiB)")
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if not args.national:
            asyncio.run(admin(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


async def first_decided() -> int:
    connection = await asyncpg.connect(dsn=os.environ["DATABASE_URL"])
    try:
        return await connection.fetchval(
            "SELECT a.id FROM agreement a JOIN structure s ON s.id = a.structure "
            "WHERE s.slug = 'vastra-gotaland' AND a.status = 'active' ORDER BY a.id LIMIT 1"
        )
    finally:
        await connection.close()


if __name__ == "__main__":
    main()
