"""A real Celery worker against the real Redis runs a task that reads PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def worker_process():
    process = subprocess.Popen(
        [sys.executable, "-m", "samverkan_cli", "worker", "--concurrency", "1"],
        cwd=REPO,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_real_worker_runs_a_task_that_queries_postgresql(worker_process):
    from workers.tasks import ping

    # given a worker started as `samverkan worker`
    # when a task is sent through Redis
    result = ping.apply_async()
    # then the worker ran it on its own event loop and pool, against the test database
    deadline = time.monotonic() + 60
    while not result.ready() and time.monotonic() < deadline:
        assert worker_process.poll() is None, worker_process.stdout.read().decode()
        time.sleep(0.2)
    assert result.get(timeout=1) == {"pong": "ok", "parties": 101}


def test_a_task_called_directly_runs_without_a_pool():
    from workers.tasks import ping

    assert ping.run() == {"pong": "ok", "parties": 101}
