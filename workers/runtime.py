"""How Celery's synchronous tasks run samverkan's async services (see docs/connections.md).

Each worker child process owns one event loop for its whole life (`asyncio.Runner`), opened on the
first task and closed at process shutdown. The asyncpg pool is opened on that loop when the child
starts (`worker_process_init`), so every task in the child reuses it. A task called directly in a
test runs on the same kind of loop, but without a pool: it opens one connection and closes it at
its end. Either way a task's statements outside transactions run on one connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from celery.signals import worker_process_init, worker_process_shutdown

T = TypeVar("T")
_runner: asyncio.Runner | None = None


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` to completion on this process's loop, its reads on one connection (core.db)."""
    global _runner
    if _runner is None:
        _runner = asyncio.Runner()
    return _runner.run(_on_one_connection(coro))


async def _on_one_connection(coro: Coroutine[Any, Any, T]) -> T:
    from core.db import one_connection
    from piccolo_conf import DB

    async with one_connection(DB):
        return await coro


@worker_process_init.connect
def _open_pool(**_: object) -> None:
    from core.db import open_pool
    from piccolo_conf import DB

    run(open_pool(DB, max_size=4))


@worker_process_shutdown.connect
def _close_pool(**_: object) -> None:
    global _runner
    from core.db import close_pool
    from piccolo_conf import DB

    if DB.pool is not None:
        run(close_pool(DB))
    if _runner is not None:
        _runner.close()
        _runner = None
