"""The API's documentation: /schema (Scalar), /schema/swagger and /schema/openapi.json.

The renderers' scripts and styles are served from the package (`api/static/scalar/`,
`api/static/swagger-ui/`: pinned versions, each with its licence and a SOURCE.txt), so the pages
work on a network without the internet, and the documentation pages' CSP (api.security) names no
other origin.

Who may call an operation is declared once, as the route's access rule (api.access); the
document's `security` of each operation is derived from it here: a public route needs nothing, a
"read" route nothing while PUBLIC_READ is true, every other one an API token or the session cookie.
So are the problem answers (api.problems) that the app-wide checks give before any handler runs:

    400  a NUL or an out-of-range integer in the path or the query (api.limits), malformed JSON
    401  nobody signed in, where the rule needs someone (`read` only without PUBLIC_READ)
    403  a role that does not grant the permission; a change by session without its CSRF token
    404  an id in the path that does not exist
    422  a body's field past its limit (api.limits, core.limits)

A route declares the answers only it gives (409, 413, 429, a 422 of its own rules) in `responses=`.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import (
    Components,
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Schema,
    SecurityRequirement,
    SecurityScheme,
)

from api.access import ACCESS, PERMISSIONS, route_handlers, schema_router
from api.limits import CHANGES
from api.problems import problems
from api.security import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE
from documents.rules.sniff import MEDIA_TYPES

ASSETS = "/static"
FAVICON = f'<link rel="icon" href="{ASSETS}/favicon.svg" type="image/svg+xml">'
API_TOKEN = "apiToken"
SESSION = "session"
SECURITY_SCHEMES = {
    API_TOKEN: SecurityScheme(
        type="http",
        scheme="bearer",
        description="En API-nyckel (`Authorization: Bearer sv_...`): skapas med `POST /api/auth/tokens` "
        "eller `samverkan users token`, visas en gång och gäller med sin användares roller. Ingen "
        "CSRF-token behövs.",
    ),
    SESSION: SecurityScheme(
        type="apiKey",
        name=SESSION_COOKIE,
        security_scheme_in="cookie",
        description=f"Inloggningens sessionskaka (`POST /api/auth/login` eller sidan /login). En ändring "
        f"med den ska också ha CSRF-token: kakan `{CSRF_COOKIE}` skickad tillbaka i huvudet "
        f"`{CSRF_HEADER}`.",
    ),
}
SIGNED_IN: list[SecurityRequirement] = [{API_TOKEN: []}, {SESSION: []}]
ANYONE: list[SecurityRequirement] = [{}, *SIGNED_IN]  # `{}`: without sign-in too


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="samverkan",
        version="0.1.0",
        description="Register och uppföljning av överenskommelser mellan region och kommuner.",
        path="/schema",
        components=Components(security_schemes=SECURITY_SCHEMES),
        render_plugins=[
            ScalarRenderPlugin(
                js_url=f"{ASSETS}/scalar/standalone.js",
                css_url=f"{ASSETS}/api-docs.css",
                favicon=FAVICON,
                # the system's fonts, not Scalar's from its own servers; no telemetry, no AI agent
                options={"withDefaultFonts": False, "telemetry": False, "agent": {"disabled": True}},
            ),
            SwaggerRenderPlugin(
                path="/swagger",
                js_url=f"{ASSETS}/swagger-ui/swagger-ui-bundle.js",
                css_url=f"{ASSETS}/swagger-ui/swagger-ui.css",
                standalone_preset_js_url=f"{ASSETS}/swagger-ui/swagger-ui-standalone-preset.js",
                favicon=FAVICON,
            ),
        ],
        openapi_router=schema_router("/schema"),
    )


def _answers(path: str, handler: HTTPRouteHandler, rule: str | None, public_read: bool) -> list[int]:
    changes = any(method in CHANGES for method in handler.http_methods)
    statuses = [400]
    if rule not in ("public", None) and not (rule == "read" and public_read):
        statuses.append(401)
    if rule in PERMISSIONS or (changes and not handler.opt.get("exclude_from_csrf")):
        statuses.append(403)
    if "{" in path:
        statuses.append(404)
    if changes and "data" in handler.parsed_fn_signature.parameters:
        statuses.append(422)
    return statuses


def declare_access(app: Litestar, *, public_read: bool) -> None:
    """Give each operation the `security` and the problem answers its access rule and its
    parameters mean (before the document is built); what a route declares itself comes first."""
    for path, handler in route_handlers(app):
        if not isinstance(handler, HTTPRouteHandler):
            continue
        rule = handler.opt.get(ACCESS)
        if rule != "public":
            handler.security = ANYONE if rule == "read" and public_read else SIGNED_IN
        handler.responses = {
            **problems(*_answers(path, handler, rule, public_read)),
            **(handler.responses or {}),
        }


@dataclass
class StoredFileOperation(Operation):
    """A route answering a stored file as it is: its 200 is documented with each type a stored
    file may have (what `documents.rules.sniff` lets in), not one generic type."""

    def __post_init__(self) -> None:
        answer = (self.responses or {}).get("200")
        if isinstance(answer, OpenAPIResponse):
            binary = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
            answer.content = {
                media_type: OpenAPIMediaType(schema=binary) for media_type in MEDIA_TYPES.values()
            }
