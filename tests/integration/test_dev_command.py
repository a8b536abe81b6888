"""`samverkan dev` and `samverkan migrate` as a newcomer meets them, run as real processes."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from core.embedded import free_port
from tests.conftest import ADMIN_URL, _admin, _with_database

REPO = Path(__file__).resolve().parents[2]


def _env(data_dir: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "XDG_RUNTIME_DIR")}
    return {**env, "SAMVERKAN_DATA_DIR": str(data_dir), **overrides}


def _samverkan(*args: str) -> list[str]:
    return [sys.executable, "-m", "samverkan_cli", *args]


class Output:
    """A process's merged stdout and stderr, read as it comes."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()

    def wait_for(self, pattern: str, *, after: int = 0, timeout: float = 120) -> re.Match:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines[after:]:
                    if found := re.search(pattern, line):
                        return found
                left = deadline - time.monotonic()
                assert left > 0, f"no line matching {pattern!r} in:\n" + "\n".join(self.lines)
                self._changed.wait(left)

    def index_of(self, pattern: str) -> int:
        return next(i for i, line in enumerate(self.lines) if re.search(pattern, line))

    @property
    def text(self) -> str:
        with self._changed:
            return "\n".join(self.lines)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_dev_refuses_a_taken_port_before_it_starts_or_migrates_anything(tmp_path):
    data_dir = tmp_path / "data"
    with socket.socket() as other_server:
        other_server.bind(("127.0.0.1", 0))
        other_server.listen()
        port = other_server.getsockname()[1]
        ran = subprocess.run(
            _samverkan("dev", "--port", str(port)),
            env=_env(data_dir),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert ran.returncode == 1
    assert ran.stdout == ""
    assert ran.stderr == (
        f"Error: Port {port} on 127.0.0.1 is already in use by another program; nothing was started. "
        f"Stop that program or choose another port: samverkan dev --port {port + 1} "
        f"(make run PORT={port + 1}).\n"
    )
    assert not data_dir.exists()  # no PostgreSQL, no Redis, no migration


def test_dev_starts_a_killed_worker_again_and_stops_redis_after_the_worker(tmp_path):
    # given `samverkan dev` on the test database, with an embedded Redis of its own
    port = free_port()
    process = subprocess.Popen(
        _samverkan("dev", "--no-demo", "--port", str(port)),
        env=_env(tmp_path / "data", DATABASE_URL=os.environ["DATABASE_URL"]),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job is
    )
    output = Output(process)
    try:
        output.wait_for(r"^samverkan is running at http://127\.0\.0\.1:\d+ ")
        assert output.wait_for(r"^Database up to date \((\d+) migrations\)\.$")
        first = int(output.wait_for(r"^worker started \(pid (\d+)\)\.$")[1])

        # when the worker is killed
        seen = len(output.lines)
        os.kill(first, signal.SIGKILL)

        # then it is started again after a second, and the API stays up
        output.wait_for(r"^worker exited with code -9; starting it again in 1 s \(crash 1\)\.$", after=seen)
        second = int(output.wait_for(r"^worker started \(pid (\d+)\)\.$", after=seen)[1])
        assert second != first
        output.wait_for(r"celery@.* ready\.", after=output.index_of(rf"pid {second}\)"))
        assert _alive(second)
        assert process.poll() is None

        # when Ctrl-C reaches the terminal's whole foreground group
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(60) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    # then the worker stopped while its broker was still there: no lost connection
    output.wait_for(r"^API, worker and beat stopped\.$")
    assert "Connection to broker lost" not in output.text
    assert "Cannot connect to redis" not in output.text
    assert not _alive(second)
    # and Redis was stopped by `samverkan dev` after them, not by the terminal's Ctrl-C
    redis_log = (tmp_path / "data" / "redis" / "redis.log").read_text()
    assert "Received SIGTERM scheduling shutdown" in redis_log
    assert "Received SIGINT" not in redis_log


def test_migrate_says_what_it_applied_to_a_fresh_database_and_then_that_it_is_up_to_date(tmp_path):
    name = f"samverkan_fresh_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(ADMIN_URL, f'CREATE DATABASE "{name}"'))
    env = _env(tmp_path, DATABASE_URL=_with_database(ADMIN_URL, name))
    try:
        first = subprocess.run(_samverkan("migrate"), env=env, capture_output=True, text=True, timeout=300)
        again = subprocess.run(_samverkan("migrate"), env=env, capture_output=True, text=True, timeout=300)
    finally:
        asyncio.run(_admin(ADMIN_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    applied = re.fullmatch(
        r"Applied (\d+) migrations \(accounts \d+, audit \d+, .*, lifecycle \d+, .*\); "
        r"the database is up to date\.\n",
        first.stdout,
    )
    assert applied, first.stdout + first.stderr
    files = [*REPO.glob("*/piccolo_migrations/*.py"), *REPO.glob("*/*/piccolo_migrations/*.py")]
    assert applied[1] == str(len([m for m in files if m.stem != "__init__"]))
    assert again.stdout == f"Database up to date ({applied[1]} migrations).\n"
    assert (first.stderr, again.stderr) == ("", "")


def test_the_embedded_postgresql_is_imported_without_a_runtime_directory_warning(tmp_path):
    # outside a desktop login (a container, sudo, cron) there is no XDG_RUNTIME_DIR
    script = (
        "from core.embedded import _give_pgserver_a_runtime_dir\n"
        "_give_pgserver_a_runtime_dir()\n"
        "import pgserver\n"
        "print(pgserver.PostgresServer.runtime_path)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert (ran.returncode, ran.stderr) == (0, "")
    runtime = Path(ran.stdout.strip()).parent
    assert runtime.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize(
    ("crashes_before", "ran_for", "pause"),
    [(0, 5, 1), (1, 5, 2), (2, 5, 4), (5, 5, 32), (6, 5, 60), (20, 5, 60), (6, 61, 1)],
)
def test_a_crashed_worker_waits_longer_each_time_until_it_has_run_steadily(crashes_before, ran_for, pause):
    from samverkan_cli.dev import Child

    child = Child("worker", ["true"], {}, started_at=1000.0, crashes=crashes_before)
    assert child.schedule_restart(1000.0 + ran_for) == pause
    assert child.restart_at == 1000.0 + ran_for + pause
