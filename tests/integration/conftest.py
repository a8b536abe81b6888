from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar.testing import AsyncTestClient


@pytest.fixture(scope="session", autouse=True)
def _migrated(database: str) -> str:
    return database


@pytest.fixture(scope="session")
async def client(_migrated: str) -> AsyncIterator[AsyncTestClient]:
    from api.app import create_app

    app = create_app(manage_pool=False)
    async with AsyncTestClient(app=app) as test_client:
        yield test_client
