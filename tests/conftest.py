"""The suite runs against DATABASE_URL / REDIS_URL when set, else against embedded servers.

Either way it creates a fresh database of its own before anything imports the Piccolo engine,
and drops it at the end. Integration tests migrate it (the schema comes from the migrations) and
load the reference data once per session; tests isolate their own rows by unique keys.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

_tmp = Path(tempfile.mkdtemp(prefix="samverkan-test-"))
_embedded: list = []


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _admin(url: str, sql: str) -> None:
    connection = await asyncpg.connect(dsn=url)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def _bootstrap() -> tuple[str, str]:
    server_url = os.environ.get("DATABASE_URL")
    if not server_url:
        from core.embedded import start_postgres

        pg = start_postgres(_tmp / "postgres", database="postgres", delete_on_stop=True)
        _embedded.append(pg)
        server_url = pg.url
    if not os.environ.get("REDIS_URL"):
        from core.embedded import start_redis

        redis = start_redis(_tmp / "redis", persist=False)
        _embedded.append(redis)
        os.environ["REDIS_URL"] = redis.url
    name = f"samverkan_test_{uuid.uuid4().hex[:12]}"
    admin_url = _with_database(server_url, "postgres")
    asyncio.run(_admin(admin_url, f'CREATE DATABASE "{name}"'))
    os.environ["DATABASE_URL"] = _with_database(server_url, name)
    os.environ.setdefault("SECRET_KEY", "test-secret")
    os.environ.setdefault("BASE_URL", "http://testserver.local")
    return admin_url, name


ADMIN_URL, TEST_DATABASE = _bootstrap()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    asyncio.run(_admin(ADMIN_URL, f'DROP DATABASE IF EXISTS "{TEST_DATABASE}" WITH (FORCE)'))
    for server in reversed(_embedded):
        server.stop()
    shutil.rmtree(_tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def database() -> str:
    """The migrated test database, with the reference data loaded."""
    from samverkan_cli.database import migrate_all, seed_all

    asyncio.run(migrate_all())
    asyncio.run(seed_all(demo=False))
    return os.environ["DATABASE_URL"]
