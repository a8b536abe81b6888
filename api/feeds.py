"""Calendar feeds over HTTP: the feeds themselves, their subscribe links, and their tokens.

Feeds are "public" routes: calendar programs cannot sign in, so the token in the URL is the key
(an unknown feed, a bad or revoked token: the same 404). Answers carry an ETag (a hash of the body)
and Last-Modified, and a client that sends either back gets 304 while nothing has changed. HEAD
gets the same answer without its body: calendar programs and link checkers ask with it first.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, delete, get, post, route
from litestar.enums import HttpMethod
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter

from api.access import allowed_scopes, authorize
from api.actor import current_actor
from api.auth import signed_in
from api.problems import HeadAwareResponse, problems
from core.errors import NotFound
from core.limits import text
from lifecycle.rules.deadlines import DeadlineKind
from notifications.feeds import build, links, manage
from notifications.feeds.build import RenderedFeed
from notifications.feeds.scopes import (
    Scope,
    ScopeKind,
    parse_scope,
    scope_from_file,
    token_from_file,
)
from notifications.feeds.tables import FeedToken
from notifications.feeds.views import FeedTokenView, NewFeedToken, SubscribeLinks

CALENDAR = "text/calendar"  # Litestar adds "; charset=utf-8" to text types
# Private: a feed is one token's view, not for shared caches. Five minutes spares a client that
# reloads at once; calendar programs poll far less often (REFRESH-INTERVAL is twelve hours).
CACHE_CONTROL = "private, max-age=300"
FEED_RESPONSES = {
    **problems(404),
    304: ResponseSpec(
        data_container=None, description="Oförändrat sedan förra hämtningen (ETag, Last-Modified)"
    ),
}

Token = Annotated[str, QueryParameter(description="Flödets hemliga nyckel (ingår i prenumerationslänken)")]
Kinds = Annotated[
    list[DeadlineKind] | None,
    QueryParameter(description="Bara dessa slag av tidsfrister, t.ex. kind=notice&kind=decision_due"),
]


def _etag_matches(header: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/ prefixes do not matter."""
    if header.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))


def _unmodified_since(header: str, last_modified: datetime | None) -> bool:
    if last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored (RFC 9110 13.1.3)
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= since  # HTTP dates have whole seconds


def calendar_response(request: Request, feed: RenderedFeed, filename: str) -> Response[bytes]:
    """200 with the feed, or 304 when the client's copy is current. If-None-Match wins over
    If-Modified-Since (RFC 9110 13.2.2): the ETag also sees what Last-Modified cannot (a cancelled
    event that has aged out of the feed)."""
    headers = {"ETag": feed.etag, "Cache-Control": CACHE_CONTROL}
    if feed.last_modified is not None:
        headers["Last-Modified"] = format_datetime(feed.last_modified.astimezone(UTC), usegmt=True)
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        unchanged = _etag_matches(if_none_match, feed.etag)
    else:
        unchanged = _unmodified_since(request.headers.get("if-modified-since", ""), feed.last_modified)
    if unchanged:
        return HeadAwareResponse(content=b"", status_code=304, headers=headers)
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return HeadAwareResponse(content=feed.body, media_type=CALENDAR, headers=headers)


def _kinds(kind: list[DeadlineKind] | None) -> list[str]:
    return sorted({k.value for k in kind or ()})


async def _published(
    request: Request, kind: ScopeKind, file_name: str, token: str, kinds: list[DeadlineKind] | None
) -> Response[bytes]:
    scope = scope_from_file(kind, file_name)
    feed = await build.published_feed(scope, token, _kinds(kinds))
    return calendar_response(request, feed, f"samverkan-{scope.kind.value}-{scope.key}.ics")


FEED = {"access": "public"}
GET_AND_HEAD = [HttpMethod.GET, HttpMethod.HEAD]
FEED_DESCRIPTION = (
    "Ett iCalendar-flöde (RFC 5545) att prenumerera på i Outlook, Google Kalender eller Apple "
    "Kalender. Nyckeln finns i prenumerationslänken; en okänd eller återkallad nyckel ger 404."
)


@route(
    "/feeds/parties/{party_file:str}",
    http_method=GET_AND_HEAD,
    summary="En parts kalenderflöde (<kod>.ics)",
    description=FEED_DESCRIPTION,
    opt=FEED,
    responses=FEED_RESPONSES,
    tags=["Kalenderflöden"],
)
async def party_feed(
    request: Request, party_file: FromPath[str], token: Token = "", kind: Kinds = None
) -> Response[bytes]:
    return await _published(request, ScopeKind.PARTY, party_file, token, kind)


@route(
    "/feeds/agreements/{agreement_file:str}",
    http_method=GET_AND_HEAD,
    summary="En överenskommelses kalenderflöde (<id>.ics)",
    description=FEED_DESCRIPTION,
    opt=FEED,
    responses=FEED_RESPONSES,
    tags=["Kalenderflöden"],
)
async def agreement_feed(
    request: Request, agreement_file: FromPath[str], token: Token = "", kind: Kinds = None
) -> Response[bytes]:
    return await _published(request, ScopeKind.AGREEMENT, agreement_file, token, kind)


@route(
    "/feeds/structures/{structure_file:str}",
    http_method=GET_AND_HEAD,
    summary="En samverkansstrukturs kalenderflöde (<namn>.ics)",
    description=FEED_DESCRIPTION,
    opt=FEED,
    responses=FEED_RESPONSES,
    tags=["Kalenderflöden"],
)
async def structure_feed(
    request: Request, structure_file: FromPath[str], token: Token = "", kind: Kinds = None
) -> Response[bytes]:
    return await _published(request, ScopeKind.STRUCTURE, structure_file, token, kind)


@route(
    "/feeds/me/{token_file:str}",
    http_method=GET_AND_HEAD,
    summary="Mitt kalenderflöde (<nyckel>.ics)",
    description="Tidsfristerna i det du ansvarar för enligt dina roller.",
    opt=FEED,
    responses=FEED_RESPONSES,
    tags=["Kalenderflöden"],
)
async def personal_feed(request: Request, token_file: FromPath[str], kind: Kinds = None) -> Response[bytes]:
    feed = await build.personal_feed(token_from_file(token_file), _kinds(kind))
    return calendar_response(request, feed, "samverkan-mina-tidsfrister.ics")


LinkKinds = Annotated[
    list[DeadlineKind] | None, QueryParameter(description="Länka till ett flöde med bara dessa slag")
]


@get(
    "/api/agreements/{agreement_id:int}/feed",
    summary="Prenumerationslänkar till överenskommelsens kalender",
    description="https- och webcal-länkar till överenskommelsens iCalendar-flöde, med `kind` bara "
    "vissa slag av tidsfrister.",
    opt={"access": "read"},
    responses=problems(401, 404),
    tags=["Kalenderflöden"],
)
async def agreement_feed_links(agreement_id: FromPath[int], kind: LinkKinds = None) -> SubscribeLinks:
    return await links.subscribe_links("agreement", agreement_id, kinds=_kinds(kind))


@get(
    "/api/parties/{party_code:str}/feed",
    summary="Prenumerationslänkar till partens kalender",
    description="https- och webcal-länkar till partens iCalendar-flöde: dess egna tidsfrister och de "
    "gemensamma i dess överenskommelser.",
    opt={"access": "read"},
    responses=problems(401, 404),
    tags=["Kalenderflöden"],
)
async def party_feed_links(party_code: FromPath[str], kind: LinkKinds = None) -> SubscribeLinks:
    return await links.subscribe_links("party", party_code, kinds=_kinds(kind))


@get(
    "/api/structures/{structure:str}/feed",
    summary="Prenumerationslänkar till strukturens kalender",
    description="https- och webcal-länkar till iCalendar-flödet med alla strukturens "
    "överenskommelsers tidsfrister.",
    opt={"access": "read"},
    responses=problems(401, 404),
    tags=["Kalenderflöden"],
)
async def structure_feed_links(structure: FromPath[str], kind: LinkKinds = None) -> SubscribeLinks:
    return await links.subscribe_links("structure", structure, kinds=_kinds(kind))


class FeedTokenIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    scope: text(FeedToken.scope_kind)  # party | agreement | structure
    key: text(FeedToken.scope_key) | int  # the party's code, the agreement's id, the structure's slug
    label: text(FeedToken.label) = ""  # whom it is for, e.g. "Härrydas nämndsekreterare"


def _scope_args(scope: Scope) -> dict:
    if scope.kind is ScopeKind.PARTY:
        return {"party_code": scope.key}
    if scope.kind is ScopeKind.AGREEMENT:
        return {"agreement_id": int(scope.key)}
    return {"structure": scope.key}


async def _managed(request: Request, feed_id: int) -> None:
    """Authorise a change of one token: by the scope it opens. A personal token is the user's own
    (/api/feeds/me), so here it is as unknown as a missing id."""
    found = await manage.get_token(feed_id)
    if found.scope == ScopeKind.USER:
        raise NotFound(f"Det finns ingen kalendernyckel med id {feed_id}.")
    await authorize(request, "feeds.manage", **_scope_args(Scope(ScopeKind(found.scope), found.key)))


class FeedController(Controller):
    path = "/api/feeds"
    tags = ["Kalenderflöden"]

    @get(
        "/",
        summary="Nycklar till kalenderflöden",
        description="Utan nycklarna själva. Utan scope och key: alla flöden du får hantera.",
        opt={"access": "feeds.manage"},
        responses=problems(401, 403, 404, 422),
    )
    async def list_tokens(
        self,
        request: Request,
        feed_scope: Annotated[
            str | None, QueryParameter(name="scope", description="party, agreement eller structure")
        ] = None,
        key: Annotated[
            str | None, QueryParameter(description="Partens kod, överenskommelsens id, strukturens namn")
        ] = None,
    ) -> list[FeedTokenView]:
        if feed_scope is not None or key is not None:
            wanted = parse_scope(feed_scope or "", key)
            await authorize(request, "feeds.manage", **_scope_args(wanted))
            return await manage.list_tokens(wanted)
        found = await manage.list_tokens()
        mine = await allowed_scopes(request, "feeds.manage", {(item.scope, item.key) for item in found})
        return [item for item in found if (item.scope, item.key) in mine]

    @post(
        "/",
        summary="Skapa en nyckel till ett kalenderflöde (visas bara nu)",
        description="En egen nyckel för en mottagare till en parts, överenskommelses eller strukturs "
        "flöde. Länkarna visas bara i detta svar; bara nyckelns hash sparas.",
        opt={"access": "feeds.manage"},
        responses=problems(400, 401, 403, 404, 422),
    )
    async def create_token(self, request: Request, data: JSONBody[FeedTokenIn]) -> NewFeedToken:
        scope = parse_scope(data.scope, data.key)
        await authorize(request, "feeds.manage", **_scope_args(scope))
        return await manage.create_token(scope, label=data.label, actor=current_actor(request))

    @post(
        "/{feed_id:int}/rotate",
        summary="Byt ut en nyckel (den gamla slutar gälla)",
        description="Den gamla länken svarar 404 från och med nu; prenumeranterna måste prenumerera igen "
        "med den nya.",
        opt={"access": "feeds.manage"},
        responses=problems(401, 403, 404),
    )
    async def rotate_token(self, request: Request, feed_id: FromPath[int]) -> NewFeedToken:
        await _managed(request, feed_id)
        return await manage.rotate_token(feed_id, actor=current_actor(request))

    @delete(
        "/{feed_id:int}",
        summary="Återkalla en nyckel",
        description="Länken med nyckeln svarar 404 från och med nu.",
        opt={"access": "feeds.manage"},
        responses=problems(401, 403, 404),
    )
    async def revoke_token(self, request: Request, feed_id: FromPath[int]) -> None:
        await _managed(request, feed_id)
        await manage.revoke_token(feed_id, actor=current_actor(request))

    @get(
        "/me",
        summary="Mitt eget kalenderflöde (utan nyckeln)",
        description="Om du har ett eget flöde: när det skapades och senast hämtades, utan nyckeln.",
        opt={"access": "signed_in"},
        responses=problems(401),
    )
    async def my_tokens(self, request: Request) -> list[FeedTokenView]:
        return await manage.personal_tokens(signed_in(request).id)

    @post(
        "/me",
        summary="Skapa mitt eget kalenderflöde (en tidigare nyckel slutar gälla)",
        description="Flödet har tidsfristerna i det dina roller gör dig ansvarig för: strukturen "
        "(sekretariat), parten (registrator) eller överenskommelsen (förvaltare).",
        opt={"access": "signed_in"},
        responses=problems(401, 403),
    )
    async def create_my_token(self, request: Request) -> NewFeedToken:
        return await manage.create_personal_token(signed_in(request).id, actor=current_actor(request))

    @delete(
        "/me",
        summary="Återkalla mitt eget kalenderflöde",
        description="Länken till ditt eget flöde svarar 404 från och med nu. Utan eget flöde: 404.",
        opt={"access": "signed_in"},
        responses=problems(401, 403, 404),
    )
    async def revoke_my_token(self, request: Request) -> None:
        await manage.revoke_personal_token(signed_in(request).id, actor=current_actor(request))


FEED_ROUTES = [
    party_feed,
    agreement_feed,
    structure_feed,
    personal_feed,
    agreement_feed_links,
    party_feed_links,
    structure_feed_links,
    FeedController,
]
