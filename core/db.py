"""The PostgreSQL engine and how each kind of process gets its connections.

See docs/connections.md. In short: an asyncpg pool belongs to one event loop, so a pool is opened
only where one loop owns the process for its whole life: the API server (the app's lifespan) and
each Celery worker child (`workers.runtime`). Everything else, the tests included, runs without a
pool: every query or transaction opens its own connection, which works from any loop.
"""

from __future__ import annotations

from piccolo.engine.postgres import PostgresEngine

from core.settings import SettingsError, get_settings


def database_url() -> str:
    url = get_settings().database_url
    if not url:
        raise SettingsError(
            "DATABASE_URL is not set. Start the product with `samverkan dev` (embedded servers), "
            "or set DATABASE_URL=postgresql://user@host:5432/dbname."
        )
    return url


def make_engine() -> PostgresEngine:
    return PostgresEngine(config={"dsn": database_url()})


async def open_pool(engine: PostgresEngine, *, max_size: int = 10) -> None:
    await engine.start_connection_pool(min_size=1, max_size=max_size)


async def close_pool(engine: PostgresEngine) -> None:
    await engine.close_connection_pool()
