"""GET /health: the state of PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
import contextlib

import msgspec
from litestar import Response, get
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec
from piccolo.querystring import QueryString

from piccolo_conf import DB

TIMEOUT_SECONDS = 5


class HealthView(msgspec.Struct, kw_only=True):
    status: str
    postgres: str
    redis: str


async def _postgres_ok() -> bool:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(DB.run_querystring(QueryString("SELECT 1")), TIMEOUT_SECONDS)
        return True
    return False


async def _redis_ok(state: State) -> bool:
    with contextlib.suppress(Exception):
        return bool(await asyncio.wait_for(state.redis.ping(), TIMEOUT_SECONDS))
    return False


@get(
    "/health",
    tags=["Drift"],
    summary="Hälsa: PostgreSQL och Redis",
    description="200 när båda svarar; 503 med den som inte svarar utpekad.",
    opt={"access": "public"},
    responses={
        503: ResponseSpec(data_container=HealthView, description="PostgreSQL eller Redis svarar inte")
    },
)
async def health(state: State) -> Response[HealthView]:
    pg, redis = await asyncio.gather(_postgres_ok(), _redis_ok(state))
    body = HealthView(
        status="ok" if pg and redis else "unavailable",
        postgres="ok" if pg else "down",
        redis="ok" if redis else "down",
    )
    return Response(body, status_code=200 if pg and redis else 503)
