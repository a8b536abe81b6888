"""Conditional reads: every answer of a "read" route carries a strong ETag, and a client that
sends it back (If-None-Match) gets 304 without the body while nothing has changed.

The ETag is a hash of what the answer depends on: the data version (`core.db.data_version`, in
memory while the process listens for its raises, else one statement), the day (rules evaluate as
of today), this process (new code and templates come with a new process), the path and query,
whether HTMX asked for a fragment, and who asks (a page shows a signed-in user's forms with their
CSRF token). It is checked before the handler runs, so an unchanged answer costs no statement.
See docs/reads.md.

The same ETag keys a small in-process cache of the answers given to readers without a sign-in
(the public's reads, the most frequent): an answer the process has given under this ETag is given
again without running the handler, and for a request with neither a session cookie nor an
Authorization header before any other middleware (`answer_early`). It holds only 200 answers with no
CSRF token in them (a form's token is the client's own), at most `CACHE_BYTES` in all, the least
recently used going first; a change anywhere moves the data version, so nothing in it is stale.
While one request works an answer out, the others asking for the same ETag wait for it (at most
`WAIT_SECONDS`) instead of each working it out too: fifty readers opening a new matrix at once
cost one matrix, not fifty.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable

from litestar import Request, Response
from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from api.security import CSRF_COOKIE, SESSION_COOKIE
from core import db
from core.clock import today
from core.kept import Kept
from piccolo_conf import DB

_ETAG = "samverkan.etag"
_CAPTURE = "samverkan.capture"
_PROCESS = str(time.time_ns())
CACHE_BYTES = 64 * 1024 * 1024
_LARGEST = 8 * 1024 * 1024  # a bigger answer is not kept
WAIT_SECONDS = 10.0
_working: dict[str, asyncio.Event] = {}  # ETags being worked out now, in this process
_SESSION_COOKIE = f"{SESSION_COOKIE}=".encode()
_CSRF_COOKIE = f"{CSRF_COOKIE}=".encode()
_FIRST_OF = frozenset({b"hx-request", b"hx-boosted", b"if-none-match"})


# answers by ETag: (content type, body)
answers: Kept[str, tuple[str, bytes]] = Kept(CACHE_BYTES, size=lambda a: len(a[1]), largest=_LARGEST)


def _matches(header: str | None, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 13.1.2)."""
    if not header:
        return False
    return header.strip() == "*" or any(t.strip().removeprefix("W/") == etag for t in header.split(","))


def _etag(scope: Scope, version: int, who: str, fragment: str) -> str:
    """The one ETag formula, for the early answer and the hook alike (they share the cache)."""
    parts = (
        _PROCESS,
        today().isoformat(),
        str(version),
        scope["path"],
        scope.get("query_string", b"").decode("latin-1"),
        fragment,
        who,
    )
    return '"' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + '"'


def _is_read(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    return scope["method"] == "GET" and handler is not None and handler.opt.get("access") == "read"


def answer_early(csrf_cookie: Callable[[], str]) -> Callable[[ASGIApp], ASGIApp]:
    """The outermost middleware: an anonymous read this process has answered under the current
    ETag is answered here, before sessions, the sign-in lookup, CSRF, the guards and the request
    connection (a 304 too). Anonymous means no session cookie and no Authorization header (a
    request with either goes the whole way: `answer_unchanged` decides, and a signed-in user's
    answer is never kept). A reader without the CSRF cookie gets one, as Litestar's CSRF
    middleware would give it (`csrf_cookie`). The app-wide before-send hooks (security headers)
    still run: this answers through the app's `send`."""

    def middleware(app: ASGIApp) -> ASGIApp:
        async def early(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or not _is_read(scope):
                await app(scope, receive, send)
                return
            first: dict[bytes, bytes] = {}
            csrf, anonymous = False, True
            for name, value in scope["headers"]:
                if name == b"cookie":
                    anonymous = anonymous and _SESSION_COOKIE not in value
                    csrf = csrf or _CSRF_COOKIE in value
                elif name == b"authorization":
                    anonymous = False
                elif name in _FIRST_OF:
                    first.setdefault(name, value)
            if not anonymous or not scope["app"].state.get("public_read", False):
                await app(scope, receive, send)
                return
            fragment = (first.get(b"hx-request", b"") + first.get(b"hx-boosted", b"")).decode("latin-1")
            etag = _etag(scope, await db.data_version(DB), "-", fragment)
            if_none_match = first.get(b"if-none-match")
            if if_none_match is not None and _matches(if_none_match.decode("latin-1"), etag):
                await _answer(send, 304, etag, None, b"", None if csrf else csrf_cookie())
                return
            kept = answers.get(etag)
            if kept is None:
                await app(scope, receive, send)
                return
            await _answer(send, 200, etag, kept[0], kept[1], None if csrf else csrf_cookie())

        return early

    return middleware


async def _answer(
    send: Send, status: int, etag: str, content_type: str | None, body: bytes, cookie: str | None
) -> None:
    headers = [(b"etag", etag.encode()), (b"cache-control", b"no-cache")]
    if content_type is not None:
        headers += [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    if cookie is not None:
        headers.append((b"set-cookie", cookie.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def answer_unchanged(request: Request) -> Response | None:
    """A before-request hook: 304 for a read whose answer has not changed since the client's copy;
    for a reader without a sign-in, the kept answer (one `answer_early` did not give: the request
    had a session cookie, yet nobody is signed in) or a wait for the one working it out."""
    if not _is_read(request.scope):
        return None
    user = request.scope.get("user")
    etag = _etag(
        request.scope,
        await db.data_version(DB),
        f"{user.id}:{ScopeState.from_scope(request.scope).csrf_token}" if user else "-",
        request.headers.get("hx-request", "") + request.headers.get("hx-boosted", ""),
    )
    request.scope.setdefault("state", {})[_ETAG] = etag
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(content=b"", status_code=304, headers=_headers(etag, signed_in=user is not None))
    if user is None:
        kept = answers.get(etag)
        working = _working.get(etag)
        if kept is None and working is not None:
            try:
                await asyncio.wait_for(working.wait(), WAIT_SECONDS)
            except TimeoutError:  # the first is slow or its client went away: take over
                if _working.get(etag) is working:
                    _done(etag)
            kept = answers.get(etag)
        if kept is not None:
            return Response(content=kept[1], media_type=kept[0], headers=_headers(etag, signed_in=False))
        request.scope["state"][_CAPTURE] = []
        _working.setdefault(etag, asyncio.Event())
    return None


def _done(etag: str) -> None:
    """The answer under `etag` is kept, or will not be: let those waiting for it go."""
    working = _working.pop(etag, None)
    if working is not None:
        working.set()


def _headers(etag: str, *, signed_in: bool) -> dict[str, str]:
    # no-cache: the client may keep the answer but asks again each time (and gets 304)
    return {"etag": etag, "cache-control": "private, no-cache" if signed_in else "no-cache"}


async def etag_header(message: Message, scope: Scope) -> None:
    """A before-send hook: the ETag on the read's 200 answer."""
    state = scope.get("state", {})
    etag = state.get(_ETAG)
    if etag is None:
        return
    if message["type"] == "http.response.body":
        _keep(scope, etag, message)
        return
    if message["type"] != "http.response.start" or message["status"] != 200:
        if state.pop(_CAPTURE, None) is not None:
            _done(etag)
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in _headers(etag, signed_in=scope.get("user") is not None).items():
        headers[name] = value
    if _CAPTURE in state:
        state[_CAPTURE].append(headers.get("content-type") or "application/octet-stream")


def _keep(scope: Scope, etag: str, message: Message) -> None:
    """Gather an anonymous read's 200 answer and, once whole, keep it under its ETag."""
    state = scope["state"]
    parts = state.get(_CAPTURE)
    if not parts:  # not captured, or the answer was no 200
        return
    parts.append(message.get("body", b""))
    if message.get("more_body", False):
        return
    state.pop(_CAPTURE)
    body = b"".join(parts[1:])
    token = ScopeState.from_scope(scope).csrf_token
    if not (isinstance(token, str) and token and token.encode() in body):
        answers.put(etag, (parts[0], body))
    _done(etag)
