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

The data version (`data_version`) is known in memory while this process listens for its raises
(`VersionWatch`, started by the API's lifespan): no statement per request. See docs/reads.md.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

import asyncpg
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

    async def commit(self) -> None:
        await super().commit()
        # this process's own change: its next read must not wait for the notification
        versions.forget()


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


CHANNEL = "samverkan_data_version"  # lifecycle migration "data version: its raise notifies"
_VERSION = "SELECT version FROM data_version"
RECONNECT_SECONDS = (0.1, 0.5, 1.0, 5.0)  # then every 5 s, while the listener is lost
log = logging.getLogger(__name__)


class VersionWatch:
    """The data version as this process knows it: one connection per process LISTENs for the
    number each raise sends at its commit (lifecycle migration "data version: its raise
    notifies"), so a request reads it from memory instead of with a statement.

    Known only while listening: on losing the listener it forgets the number (every request
    reads it with the statement again, never a number nobody would update) and reconnects in the
    background; back, it LISTENs before it reads the number, so no raise falls between. A commit
    in this process forgets it too (`Transaction.commit`): the writer's next read, here, takes the
    statement rather than wait for its own notification. A statement's answer is kept only if
    nothing was forgotten while it ran (`_epoch`), and numbers only grow (`max`): a late answer
    never takes the number back."""

    def __init__(self) -> None:
        self.known: int | None = None
        self._epoch = 0
        self._users = 0
        self._engine: PostgresEngine | None = None
        self._connection: Connection | None = None
        self._task: asyncio.Task | None = None
        self._heard: list[tuple[int, asyncio.Future]] = []

    @property
    def listening(self) -> bool:
        return self._connection is not None and not self._connection.is_closed()

    async def start(self, engine: PostgresEngine) -> None:
        """Listen (once per process, however many apps start it; `stop` as often)."""
        self._users += 1
        if self._users == 1:
            self._engine = engine
            if not await self._listen():
                self._reconnect()

    async def stop(self) -> None:
        self._users -= 1
        if self._users > 0:
            return
        if self._task is not None:
            self._task.cancel()
            self._task = None
        connection, self._connection = self._connection, None
        self.forget()
        if connection is not None and not connection.is_closed():
            await connection.close()

    def forget(self) -> None:
        self._epoch += 1
        self.known = None

    async def current(self, engine: PostgresEngine) -> int:
        if self.known is not None and self.listening:
            return self.known
        epoch = self._epoch
        rows = await engine.run_querystring(QueryString(_VERSION))
        version = rows[0]["version"]
        if epoch == self._epoch and self.listening:
            self._learn(version)
        return version

    async def heard(self, version: int) -> None:
        """Until this process knows the data version `version` or a later one (for tests: a change
        made elsewhere has reached the listener)."""
        if self.known is not None and self.known >= version:
            return
        future = asyncio.get_running_loop().create_future()
        self._heard.append((version, future))
        await future

    def _learn(self, version: int) -> None:
        self.known = version if self.known is None else max(self.known, version)
        waiting, self._heard = self._heard, []
        for wanted, future in waiting:
            if future.done():
                continue
            if self.known >= wanted:
                future.set_result(None)
            else:
                self._heard.append((wanted, future))

    def _notified(self, connection: Connection, pid: int, channel: str, payload: str) -> None:
        if connection is self._connection:
            self._learn(int(payload))

    def _lost(self, connection: Connection) -> None:
        if connection is not self._connection:
            return
        log.warning("the data version's listener was lost: reading it per request until it is back")
        self._connection = None
        self.forget()
        self._reconnect()

    async def _listen(self) -> bool:
        assert self._engine is not None
        try:
            # not from the pool: it LISTENs for the process's life (the pool's connections keep no
            # session state, docs/connections.md)
            connection = await asyncpg.connect(**self._engine.config)
            connection.add_termination_listener(self._lost)
            await connection.add_listener(CHANNEL, self._notified)
            self._connection = connection
            version = await connection.fetchval(_VERSION)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            log.warning("cannot listen for the data version (%s): reading it per request", error)
            self._connection = None
            return False
        if self._connection is connection:
            self._learn(version)
        return True

    def _reconnect(self) -> None:
        if self._users > 0 and (self._task is None or self._task.done()):
            self._task = asyncio.get_running_loop().create_task(self._reconnecting())

    async def _reconnecting(self) -> None:
        attempt = 0
        while self._users > 0 and not self.listening:
            await asyncio.sleep(RECONNECT_SECONDS[min(attempt, len(RECONNECT_SECONDS) - 1)])
            attempt += 1
            await self._listen()


versions = VersionWatch()


async def data_version(engine: PostgresEngine) -> int:
    """A counter every transaction that changes what the reads show raises once, at its commit
    (lifecycle migration "data version": triggers on the audit trail, deadlines and warnings).
    Committed with the change, so a reader that sees the same number sees the same data. From
    memory while this process listens (`VersionWatch`), else one statement."""
    return await versions.current(engine)
