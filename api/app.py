"""The Litestar app factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as aioredis
from litestar import Litestar
from litestar.datastructures import State
from litestar.types import ASGIApp, Receive, Scope, Send
from piccolo.apps.migrations.commands.check import CheckMigrationManager

from api.access import access_guard, check_access_rules
from api.conditional import answer_early, answer_unchanged, etag_header
from api.limits import bounded_path_and_query, clean_body
from api.openapi import declare_access, openapi_config
from api.pages.refusals import csrf_refused
from api.pages.render import TEMPLATE_CONFIG
from api.problems import EXCEPTION_HANDLERS
from api.routes import ROUTES
from api.security import CSRFRefused, web_security
from core import db
from core.settings import SettingsError, get_settings
from piccolo_conf import DB


def one_connection_per_request(app: ASGIApp) -> ASGIApp:
    """Every statement a request runs outside a transaction uses one connection (core.db)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        async with db.one_connection(DB):
            await app(scope, receive, send)

    return middleware


class UnmigratedDatabase(RuntimeError):
    pass


async def ensure_migrated() -> None:
    pending = [s for s in await CheckMigrationManager("all").get_migration_statuses() if not s.has_ran]
    if pending:
        names = ", ".join(f"{s.app_name}/{s.migration_id}" for s in pending)
        raise UnmigratedDatabase(
            f"The database is not migrated ({len(pending)} pending: {names}). Run `samverkan migrate` first."
        )


def create_app(*, manage_pool: bool = True) -> Litestar:
    """Build the app. `manage_pool=False` is for tests: without a pool, each request opens its one
    connection and closes it at its end (see docs/connections.md), so no pool meets a second
    event loop."""
    settings = get_settings()
    if not settings.redis_url:
        raise SettingsError("REDIS_URL is not set. Start the product with `samverkan dev`, or set REDIS_URL.")
    # The one Redis client of the app: sessions, the sign-in and report throttles, /health. It
    # connects at its first command, on the loop that serves the app; the lifespan closes it.
    redis = aioredis.from_url(settings.redis_url)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        try:
            await ensure_migrated()
            if manage_pool:
                await db.open_pool(DB)
            await db.versions.start(DB)  # the data version in memory (core.db.VersionWatch)
            try:
                yield
            finally:
                await db.versions.stop()
                if manage_pool:
                    await db.close_pool(DB)
        finally:
            await redis.aclose(close_connection_pool=True)

    security = web_security(settings, redis)
    app = Litestar(
        route_handlers=ROUTES,
        lifespan=[lifespan],
        exception_handlers={**EXCEPTION_HANDLERS, CSRFRefused: csrf_refused},
        template_config=TEMPLATE_CONFIG,
        # a kept anonymous answer first, before any other middleware (api.conditional)
        middleware=[answer_early(security.csrf_cookie), one_connection_per_request, *security.middleware],
        stores=security.stores,
        before_request=answer_unchanged,
        before_send=[*security.before_send, etag_header],
        guards=[bounded_path_and_query, access_guard, clean_body],
        state=State({"public_read": settings.public_read, "redis": redis}),
        openapi_config=openapi_config(),
        debug=False,
    )
    check_access_rules(app)  # a route without a declared access rule stops the app here
    declare_access(app, public_read=settings.public_read)
    return app
