"""`samverkan dev`: the whole product on one machine, stopped cleanly by Ctrl-C.

Order matters both ways. Starting: the port is checked first (before any server starts or any
migration runs), then PostgreSQL and Redis, the migrations and the seed, then the API, worker and
beat. Stopping: the API, worker and beat first, then Redis, then PostgreSQL, so no process loses
its broker or database while it is still running. A worker or beat that exits on its own is
started again after a pause that doubles with each crash; the API exiting stops everything.
"""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import suppress
from dataclasses import dataclass

import click

from core.embedded import embedded_servers
from core.settings import get_settings

HOST = "127.0.0.1"
STARTUP_TIMEOUT_SECONDS = 60
# Restart pauses: 1 s, 2 s, 4 s ... up to a minute; a child that then ran for STEADY_SECONDS
# without exiting starts again from 1 s at its next crash.
FIRST_RESTART_SECONDS = 1.0
MAX_RESTART_SECONDS = 60.0
STEADY_SECONDS = 60.0
RESTARTED = ("worker", "beat")


def check_port(port: int) -> None:
    """Refuse a port something already listens on, before anything is started or migrated.

    SO_REUSEADDR as uvicorn binds, so a port left in TIME_WAIT by a previous run counts as free
    (uvicorn will get it) while one with a listener does not."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            raise click.ClickException(
                f"Port {port} on {HOST} is already in use by another program; nothing was started. "
                f"Stop that program or choose another port: samverkan dev --port {port + 1} "
                f"(make run PORT={port + 1})."
            ) from None


def _wait_for_health(url: str, process: subprocess.Popen, stop_requested) -> bool:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline and not stop_requested():
        if process.poll() is not None:
            return False
        with suppress(OSError), urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            # the port was free a moment ago; a healthy answer from a server that is not ours
            # (one that took the port since) must not count
            if response.status == 200 and process.poll() is None:
                return True
        time.sleep(0.3)
    return False


@dataclass
class Child:
    """One process `samverkan dev` runs, with what it needs to start it again."""

    name: str
    command: list[str]
    env: dict[str, str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    crashes: int = 0
    restart_at: float | None = None

    def start(self) -> None:
        # Its own session: a Ctrl-C in the terminal reaches only `samverkan dev`, which then
        # stops the children in order.
        self.process = subprocess.Popen(self.command, env=self.env, start_new_session=True)
        self.started_at = time.monotonic()
        self.restart_at = None
        click.echo(f"{self.name} started (pid {self.process.pid}).", err=True)

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def schedule_restart(self, now: float) -> float:
        """Note the crash and when to start again; returns the pause in seconds."""
        if now - self.started_at >= STEADY_SECONDS:
            self.crashes = 0
        pause = min(FIRST_RESTART_SECONDS * 2**self.crashes, MAX_RESTART_SECONDS)
        self.crashes += 1
        self.restart_at = now + pause
        return pause


def _stop(children: list[Child]) -> None:
    running = [c for c in children if c.process is not None and c.process.poll() is None]
    for child in running:
        child.process.send_signal(signal.SIGTERM)
    for child in running:
        try:
            child.process.wait(20)
        except subprocess.TimeoutExpired:
            click.echo(f"{child.name} did not stop in time; killing it.", err=True)
            child.process.kill()
            child.process.wait()


def _supervise(children: list[Child], stop_requested) -> int:
    """Until a stop is asked for: restart a crashed worker or beat; the API exiting ends it all."""
    while not stop_requested():
        now = time.monotonic()
        for child in children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.start()
                continue
            code = child.exited()
            if code is None:
                continue
            if child.name not in RESTARTED:
                click.echo(f"{child.name} exited with code {code}; stopping.", err=True)
                return 1
            pause = child.schedule_restart(now)
            click.echo(
                f"{child.name} exited with code {code}; starting it again in {pause:g} s "
                f"(crash {child.crashes}).",
                err=True,
            )
        time.sleep(0.2)
    return 0


def run_dev(*, port: int, demo: bool) -> int:
    check_port(port)
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
        base_url = f"http://{HOST}:{port}"
        env.setdefault("BASE_URL", base_url)

        from samverkan_cli.database import migrate_all, seed_all

        click.echo(asyncio.run(migrate_all()).summary())
        for line in asyncio.run(seed_all(demo=demo)):
            click.echo(line)

        python = sys.executable
        children = [
            Child("api", [python, "-m", "samverkan_cli", "serve", "--port", str(port)], env),
            Child("worker", [python, "-m", "samverkan_cli", "worker", "--concurrency", "2"], env),
            Child("beat", [python, "-m", "samverkan_cli", "beat"], env),
        ]
        if stop_requested:  # Ctrl-C while migrating or seeding
            return 0
        try:
            for child in children:
                child.start()
            if not _wait_for_health(base_url, children[0].process, lambda: stop_requested):
                if stop_requested:
                    click.echo("Stopping...")
                    return 0
                click.echo("The API did not become healthy; stopping.", err=True)
                return 1
            click.echo(
                f"\nsamverkan is running at {base_url}  (API docs: {base_url}/schema)  Ctrl-C stops it.\n"
            )
            code = _supervise(children, lambda: stop_requested)
            click.echo("Stopping..." if code == 0 else "Stopping the others...")
            return code
        finally:
            _stop(children)
            click.echo("API, worker and beat stopped.")
