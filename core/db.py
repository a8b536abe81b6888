"""The PostgreSQL engine and how each kind of process gets its connections.

See docs/connections.md. In short: an asyncpg pool belongs to one event loop, so a pool is opened
only where one loop owns the process for its whole life: the API server (the app's lifespan) and
each Celery worker child (`workers.runtime`). Everything else, the tests included, runs without a
pool.

Inside `one_connection()` (each API request, each task) every statement outside a transaction
runs on one connection, taken at the first statement and given back at the end: a page's reads
cost one pool acquisition, not one per statement. A transaction opened inside gives that
connection back first and takes its own, so a request never holds two (ten requests that each
read and then write cannot exhaust a pool of ten). Given back to the pool, a connection is not
reset (asyncpg's default runs `pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`, a
round trip per release): the product keeps no session state (no session-level SET, LISTEN,
advisory lock or cursor; `SET LOCAL` ends with its transaction). An open transaction is still
rolled back by asyncpg on release.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from asyncpg import Connection
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.querystring import QueryString

from core.settings import SettingsError, get_settings


def database_url() -> str:
    url = get_settings().database_url
    if not url:
        raise SettingsError(
            "DATABASE_URL is not set. Start the product with `samverkan dev` (embedded servers), "
            "or set DATABASE_URL=postgresql://user@host:5432/dbname."
        )
    return url


class _Held:
    """The one connection of a request or task, taken lazily and given back at its end."""

    def __init__(self, engine: PostgresEngine) -> None:
        self.engine = engine
        self.connection: Connection | None = None
        self.lock = asyncio.Lock()  # one statement at a time on it, even from gathered tasks

    async def fetch(self, query: str, args: Sequence[Any]) -> list:
        async with self.lock:
            if self.connection is None:
                pool = self.engine.pool
                self.connection = await (pool.acquire() if pool else self.engine.get_new_connection())
            return await self.connection.fetch(query, *args)

    async def give_back(self) -> None:
        async with self.lock:
            connection, self.connection = self.connection, None
            if connection is None:
                return
            if self.engine.pool is not None:
                await self.engine.pool.release(connection)
            else:
                await connection.close()


_held: ContextVar[_Held | None] = ContextVar("samverkan_connection", default=None)


class Transaction(PostgresTransaction):
    async def get_connection(self) -> Connection:
        held = _held.get()
        if held is not None:
            await held.give_back()  # never two connections per request: see the module's note
        return await super().get_connection()


class Engine(PostgresEngine):
    """Piccolo's engine, running statements outside a transaction on the held connection."""

    async def _run_in_pool(self, query: str, args: Sequence[Any] | None = None):
        held = _held.get()
        if held is None or held.engine is not self:
            return await super()._run_in_pool(query, args)
        return await held.fetch(query, args or [])

    async def _run_in_new_connection(self, query: str, args: Sequence[Any] | None = None):
        held = _held.get()
        if held is None or held.engine is not self:
            return await super()._run_in_new_connection(query, args)
        return await held.fetch(query, args or [])

    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        return Transaction(engine=self, allow_nested=allow_nested)


@asynccontextmanager
async def one_connection(engine: PostgresEngine) -> AsyncIterator[None]:
    """Run the block's statements outside transactions on one connection (see the module's note)."""
    if _held.get() is not None:
        yield
        return
    held = _Held(engine)
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
        await held.give_back()


def make_engine() -> Engine:
    # No JIT: the load's one statement has array subqueries that the planner costs as if each ran
    # for a thousand agreements, so PostgreSQL compiled it to machine code on every call (1.6 s
    # of a 1.65 s load at national scale); an OLTP read never wins that time back.
    return Engine(config={"dsn": database_url(), "server_settings": {"jit": "off"}})


async def _keep_session(connection: Connection) -> None:
    """The pool's reset on release: nothing to reset (see the module's note)."""


async def open_pool(engine: PostgresEngine, *, max_size: int = 10) -> None:
    await engine.start_connection_pool(min_size=1, max_size=max_size, reset=_keep_session)


async def close_pool(engine: PostgresEngine) -> None:
    await engine.close_connection_pool()


async def data_version(engine: PostgresEngine) -> int:
    """A counter every transaction that changes what the reads show raises once, at its commit
    (lifecycle migration "data version": triggers on the audit trail, deadlines and warnings).
    Committed with the change, so a reader that sees the same number sees the same data."""
    rows = await engine.run_querystring(QueryString("SELECT version FROM data_version"))
    return rows[0]["version"]
