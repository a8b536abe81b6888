"""Conditional reads: every answer of a "read" route carries a strong ETag, and a client that
sends it back (If-None-Match) gets 304 without the body while nothing has changed.

The ETag is a hash of what the answer depends on: the data version (`core.db.data_version`, one
statement), the day (rules evaluate as of today), this process (new code and templates come with
a new process), the path and query, whether HTMX asked for a fragment, and who asks (a page shows
a signed-in user's forms with their CSRF token). It is checked before the handler runs, so an
unchanged answer costs that one statement. See docs/reads.md.

The same ETag keys a small in-process cache of the answers given to readers without a sign-in
(the public's reads, the most frequent): an answer the process has given under this ETag is given
again without running the handler, for that one statement too. It holds only 200 answers with no
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
from collections import OrderedDict

from litestar import Request, Response
from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope
from litestar.utils.scope.state import ScopeState

from core import db
from core.clock import today
from piccolo_conf import DB

_ETAG = "samverkan.etag"
_CAPTURE = "samverkan.capture"
_PROCESS = str(time.time_ns())
CACHE_BYTES = 64 * 1024 * 1024
_LARGEST = 8 * 1024 * 1024  # a bigger answer is not kept
WAIT_SECONDS = 10.0
_working: dict[str, asyncio.Event] = {}  # ETags being worked out now, in this process


class AnswerCache:
    """Answers by ETag: (content type, body), least recently used first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._answers: OrderedDict[str, tuple[str, bytes]] = OrderedDict()

    def get(self, etag: str) -> tuple[str, bytes] | None:
        found = self._answers.get(etag)
        if found is not None:
            self._answers.move_to_end(etag)
        return found

    def put(self, etag: str, content_type: str, body: bytes) -> None:
        if len(body) > _LARGEST or etag in self._answers:
            return
        self._answers[etag] = (content_type, body)
        self.size += len(body)
        while self.size > self.limit:
            _, (_, dropped) = self._answers.popitem(last=False)
            self.size -= len(dropped)

    def clear(self) -> None:
        self._answers.clear()
        self.size = 0


answers = AnswerCache(CACHE_BYTES)


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
        answers.put(etag, parts[0], body)
    _done(etag)
