"""`samverkan dev`: the whole product on one machine, stopped cleanly by Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import suppress

import click

from core.embedded import embedded_servers
from core.settings import get_settings

STARTUP_TIMEOUT_SECONDS = 60


def _wait_for_health(url: str, process: subprocess.Popen) -> bool:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with suppress(OSError), urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            if response.status == 200:
                return True
        time.sleep(0.3)
    return False


def _stop(processes: list[tuple[str, subprocess.Popen]]) -> None:
    for _, process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for name, process in processes:
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            click.echo(f"{name} did not stop in time; killing it.", err=True)
            process.kill()


def run_dev(*, port: int, demo: bool) -> int:
    settings = get_settings()
    stop_requested = False

    def request_stop(*_: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)

    click.echo(f"Data directory: {settings.data_dir}")
    with embedded_servers(
        settings.data_dir, need_postgres=not settings.database_url, need_redis=not settings.redis_url
    ) as env_vars:
        env = {**os.environ, **env_vars}
        os.environ.update(env_vars)
        get_settings.cache_clear()
        base_url = f"http://127.0.0.1:{port}"
        env.setdefault("BASE_URL", base_url)

        from samverkan_cli.database import migrate_all, seed_all

        asyncio.run(migrate_all())
        for line in asyncio.run(seed_all(demo=demo)):
            click.echo(line)

        python = sys.executable
        commands = {
            "api": [python, "-m", "samverkan_cli", "serve", "--port", str(port)],
            "worker": [python, "-m", "samverkan_cli", "worker", "--concurrency", "2"],
            "beat": [python, "-m", "samverkan_cli", "beat"],
        }
        # Own sessions: a Ctrl-C reaches only this process, which then stops the children in order.
        processes = [
            (name, subprocess.Popen(cmd, env=env, start_new_session=True)) for name, cmd in commands.items()
        ]
        try:
            if not _wait_for_health(base_url, processes[0][1]):
                click.echo("The API did not become healthy; stopping.", err=True)
                return 1
            click.echo(
                f"\nsamverkan is running at {base_url}  (API docs: {base_url}/schema)  Ctrl-C stops it.\n"
            )
            while not stop_requested:
                for name, process in processes:
                    if process.poll() is not None:
                        click.echo(f"{name} exited with code {process.returncode}; stopping.", err=True)
                        return 1
                time.sleep(0.5)
            click.echo("Stopping...")
            return 0
        finally:
            _stop(processes)
