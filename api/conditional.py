"""Conditional reads: every answer of a "read" route carries a strong ETag, and a client that
sends it back (If-None-Match) gets 304 without the body while nothing has changed.

The ETag is a hash of what the answer depends on: the data version (`core.db.data_version`, one
statement), the day (rules evaluate as of today), this process (new code and templates come with
a new process), the path and query, whether HTMX asked for a fragment, and who asks (a page shows
a signed-in user's forms with their CSRF token). It is checked before the handler runs, so an
unchanged answer costs that one statement. See docs/reads.md.
"""

from __future__ import annotations

import hashlib
import time

from litestar import Request, Response
from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope
from litestar.utils.scope.state import ScopeState

from core import db
from core.clock import today
from piccolo_conf import DB

_ETAG = "samverkan.etag"
_PROCESS = str(time.time_ns())


def _matches(header: str | None, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 13.1.2)."""
    if not header:
        return False
    return header.strip() == "*" or any(t.strip().removeprefix("W/") == etag for t in header.split(","))


async def answer_unchanged(request: Request) -> Response | None:
    """A before-request hook: 304 for a read whose answer has not changed since the client's copy."""
    if request.method != "GET" or request.route_handler.opt.get("access") != "read":
        return None
    user = request.scope.get("user")
    parts = [
        _PROCESS,
        today().isoformat(),
        str(await db.data_version(DB)),
        request.url.path,
        request.url.query,
        request.headers.get("hx-request", "") + request.headers.get("hx-boosted", ""),
        f"{user.id}:{ScopeState.from_scope(request.scope).csrf_token}" if user else "-",
    ]
    etag = '"' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + '"'
    request.scope.setdefault("state", {})[_ETAG] = etag
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(content=b"", status_code=304, headers=_headers(etag, signed_in=user is not None))
    return None


def _headers(etag: str, *, signed_in: bool) -> dict[str, str]:
    # no-cache: the client may keep the answer but asks again each time (and gets 304)
    return {"etag": etag, "cache-control": "private, no-cache" if signed_in else "no-cache"}


async def etag_header(message: Message, scope: Scope) -> None:
    """A before-send hook: the ETag on the read's 200 answer."""
    etag = scope.get("state", {}).get(_ETAG)
    if etag is None or message["type"] != "http.response.start" or message["status"] != 200:
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in _headers(etag, signed_in=scope.get("user") is not None).items():
        headers[name] = value
