"""Web hardening: session cookies, CSRF protection and security headers on every response.

Cookies are `Secure` when BASE_URL is https (plain http is for development on 127.0.0.1), always
HttpOnly (the session) and SameSite=Lax; with https every response also carries HSTS, so a
browser that has been here once never asks over plain http again. Sessions live in Redis (the
app's one client) under a namespace named after the database, so two installations sharing one
Redis (or two test runs) never see each other's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import PermissionDeniedException
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware, generate_csrf_token
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.stores.redis import RedisStore
from litestar.types import Empty, Message, Receive, Scope, Send
from redis.asyncio import Redis

from api.authn import AuthenticationMiddleware
from core.settings import Settings

SESSION_COOKIE = "samverkan_session"
SESSION_SECONDS = 8 * 3600  # a working day; every request renews it
CSRF_COOKIE = "samverkan_csrf"
UNSUBSCRIBE_PREFIX = "/unsubscribe/"  # the e-mails' unsubscribe links (notifications.unsubscribe)
CSRF_HEADER = "x-csrftoken"
CSRF_FIELD = "_csrf_token"  # Litestar's form field name
CSRF_REFUSED = "Formuläret saknar en giltig CSRF-token. Ladda om sidan och försök igen."
_ROTATE = "samverkan.rotate_session"
_NEW_ID = "samverkan.session_id"

# Scripts and styles from this origin only (HTMX is served from /static). Inline styles stay
# allowed: htmx injects its indicator style. The API documentation pages start their renderers
# (Scalar and Swagger UI, served from /static too) with an inline script, so /schema gets its own
# policy: inline scripts allowed there, and still nothing from another origin.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SCHEMA_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "x-frame-options": "DENY",  # for browsers that predate frame-ancestors
    "cross-origin-opener-policy": "same-origin",
}
# A year, the least the browsers' preload lists accept; subdomains too, as they are the same
# organisation's. Only when BASE_URL is https: over plain http a browser ignores it anyway, and
# on 127.0.0.1 it would stick to a development machine's other servers.
HSTS = "max-age=31536000; includeSubDomains"


def cookies_secure(settings: Settings) -> bool:
    return settings.base_url.startswith("https://")


def redis_namespace(settings: Settings) -> str:
    database = urlsplit(settings.database_url or "").path.strip("/") or "samverkan"
    return f"samverkan:{database}"


class SessionBackend(ServerSideSessionBackend):
    """Litestar's server-side sessions, with two changes: an empty session is never stored (no
    cookie for anonymous requests), and signing in moves the session to a new id (against
    session fixation)."""

    def get_session_id(self, connection: ASGIConnection) -> str:
        return connection.scope["state"].get(_NEW_ID) or super().get_session_id(connection)

    async def store_in_message(
        self, scope_session: Any, message: Message, connection: ASGIConnection
    ) -> None:
        cookie = connection.cookies.get(self.config.key)
        if not scope_session:
            if cookie:  # signed out, or the stored session expired: forget it
                await super().store_in_message(Empty, message, connection)  # type: ignore[arg-type]
            return
        if connection.scope["state"].pop(_ROTATE, False):
            if cookie:
                await self.delete(cookie, store=self.config.get_store_from_app(connection.scope["app"]))
            connection.scope["state"][_NEW_ID] = self.generate_session_id()
        await super().store_in_message(scope_session, message, connection)


class SessionConfig(ServerSideSessionConfig):
    _backend_class = SessionBackend


def start_session(connection: ASGIConnection, user_id: int) -> None:
    connection.scope["state"][_ROTATE] = True
    connection.set_session({"user_id": user_id})


def end_session(connection: ASGIConnection) -> None:
    connection.clear_session()


class CSRFRefused(PermissionDeniedException):
    """A changing request without a valid CSRF token: a person's form gets a page saying so
    (`api.pages.refusals`), a program the problem document."""


class CSRFUnlessToken(CSRFMiddleware):
    """Litestar's CSRF check (a cookie, echoed in the `x-csrftoken` header or the `_csrf_token`
    form field), its options (`exclude`, the `exclude_from_csrf` opt) included, except for:

    - requests authenticated by an API token: a bearer header is never sent by a browser on its
      own, so those requests cannot be forged cross-site;
    - requests by nobody signed in to a route that needs a sign-in: the access guard refuses them
      with 401 before anything happens, and 401 is what an API client must hear (not "CSRF").

    A refusal is `CSRFRefused`, so a person's form gets the Swedish page (api.pages.refusals)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._not_forgeable(scope):
            await self.app(scope, receive, send)
            return
        try:
            await super().__call__(scope, receive, send)
        except PermissionDeniedException as exc:
            if type(exc) is PermissionDeniedException and exc.detail == _LITESTAR_REFUSAL:
                raise CSRFRefused(CSRF_REFUSED) from exc
            raise

    @staticmethod
    def _not_forgeable(scope: Scope) -> bool:
        user = scope.get("user")
        if user is not None:
            return user.via == "token"
        handler = scope.get("route_handler")
        rule = handler.opt.get("access") if handler is not None else None
        return rule not in (None, "public", "read")


# what Litestar's CSRFMiddleware raises when the token is missing or does not match
_LITESTAR_REFUSAL = "CSRF token verification failed"


def security_headers(*, https: bool) -> Callable[[Message, Scope], Awaitable[None]]:
    """A before-send hook: on every response, 404s and errors included; a header the answer sets
    itself is kept. The raw header pairs are made once (through MutableScopeHeaders, one lookup
    per header cost a tenth of a kept answer, py-spy at 50 connections)."""
    fixed = {**HEADERS, "strict-transport-security": HSTS} if https else HEADERS
    pairs = {
        policy: [
            (name.encode(), value.encode())
            for name, value in {**fixed, "content-security-policy": policy}.items()
        ]
        for policy in (CSP, SCHEMA_CSP)
    }

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = message.get("headers")
        if not isinstance(headers, list):
            headers = message["headers"] = list(headers or ())
        present = {name.lower() for name, _ in headers}
        policy = SCHEMA_CSP if scope.get("path", "").startswith("/schema") else CSP
        headers.extend(pair for pair in pairs[policy] if pair[0] not in present)

    return add_headers


@dataclass(frozen=True, slots=True)
class WebSecurity:
    middleware: list
    stores: dict
    before_send: list
    csrf_cookie: Callable[[], str]  # a new CSRF cookie, as the CSRF middleware sets it on a GET


def new_csrf_cookie(csrf: CSRFConfig) -> Callable[[], str]:
    """A Set-Cookie value with a new CSRF token, exactly as Litestar's CSRF middleware makes it
    for a safe request without one (for answers given before that middleware runs)."""

    # Made once around a stand-in value: a token is hex digits, which a cookie never quotes, and
    # building the Cookie each time cost a tenth of an early answer (py-spy, 50 connections)
    before, _, after = (
        Cookie(
            key=csrf.cookie_name,
            value="0",
            path=csrf.cookie_path,
            secure=csrf.cookie_secure,
            httponly=csrf.cookie_httponly,
            samesite=csrf.cookie_samesite,
            domain=csrf.cookie_domain,
        )
        .to_header(header="")
        .partition("=0")
    )

    def make() -> str:
        return f"{before}={generate_csrf_token(secret=csrf.secret)}{after}"

    return make


def web_security(settings: Settings, redis: Redis) -> WebSecurity:
    """What `create_app` adds: sessions in Redis (through the app's client, which the app closes),
    then who is asking, then the CSRF check."""
    secure = cookies_secure(settings)
    session = SessionConfig(
        key=SESSION_COOKIE, max_age=SESSION_SECONDS, secure=secure, httponly=True, samesite="lax"
    )
    csrf = CSRFConfig(
        secret=settings.secret_key,
        cookie_name=CSRF_COOKIE,
        header_name=CSRF_HEADER,
        cookie_secure=secure,
        cookie_httponly=False,  # pages may read it to echo it in the header
        cookie_samesite="lax",
    )
    store = RedisStore(redis, namespace=f"{redis_namespace(settings)}:session", handle_client_shutdown=False)
    return WebSecurity(
        middleware=[
            session.middleware,
            AuthenticationMiddleware(),
            DefineMiddleware(CSRFUnlessToken, config=csrf),
        ],
        stores={"sessions": store},
        before_send=[security_headers(https=secure)],
        csrf_cookie=new_csrf_cookie(csrf),
    )
