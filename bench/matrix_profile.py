"""Where the time of one matrix page goes, at national scale. Run by hand after bench/national.py:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python bench/matrix_profile.py [--runs 5] [--profile] [--path /structures/vastra-gotaland]

Requests the page through the real app (its middleware, guards, one connection per request, the
pool) in this process, `--runs` times: prints each answer's time, its size and how much the
process's memory grew; with `--profile`, cProfile's top functions by own and cumulative time over
the runs.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import national


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def run(path: str, runs: int, profile: bool) -> None:
    import httpx

    from api.app import create_app

    app = create_app()  # in this event loop (not a test client's thread), so cProfile sees it
    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        warm = await client.get(path)
        warm.raise_for_status()
        before = rss_mib()
        profiler = cProfile.Profile() if profile else None
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            response = await client.get(path)
            if profiler:
                profiler.disable()
            times.append(time.perf_counter() - started)
            response.raise_for_status()
        print(
            f"{path}: {len(response.content) / 1024:.0f} KiB; "
            f"median {statistics.median(times) * 1000:.0f} ms "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}) over {runs}; RSS {before:.0f} -> "
            f"{rss_mib():.0f} MiB, peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--path", default="/structures/vastra-gotaland")
    args = parser.parse_args()
    server = os.environ["DATABASE_URL"]
    if not asyncio.run(national.exists(server)):
        print(f"national data: {asyncio.run(national.build(server))}")
    os.environ["DATABASE_URL"] = national.database_url(server)
    asyncio.run(run(args.path, args.runs, args.profile))


if __name__ == "__main__":
    main()
