"""Every route the app registers, with every role: allowed, or refused with 401 / 403.

ROUTES names each route's access rule. A route missing from it fails here, so no route arrives
without its rule written down twice: in the handler (`opt={"access": ...}`, which the app enforces)
and here (which says what that rule must mean for each role). To add a route: add its line below,
and, if its path has a parameter not in PATH_VALUES, a value for it.

"Allowed" means the access check let the request through: the answer is anything but 401/403
(the matrix sends an invalid body, so most allowed changes stop at 400 and change nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from litestar import Litestar, get

from api.access import PATH_SCOPE, check_access_rules, declared_routes
from api.app import create_app
from api.security import CSRF_COOKIE, CSRF_HEADER
from tests.agreements import recommend
from tests.integration.conftest import TestUser, bearer

ROUTES = {
    "GET /": "read",
    "GET /agreements/{agreement_id:int}": "read",
    "POST /agreements/{agreement_id:int}/decisions": "decision.log",
    "POST /agreements/{agreement_id:int}/notices": "notice.register",
    "POST /agreements/{agreement_id:int}/proposals": "decision.log",
    "POST /agreements/{agreement_id:int}/steps": "process.record",
    "POST /agreements/{agreement_id:int}/group-recommendations": "process.record",
    "POST /api/admin/sweep": "admin",
    "GET /api/structures/{structure:str}/round-policy": "read",
    "PUT /api/structures/{structure:str}/round-policy": "round.manage",
    "POST /structures/{structure:str}/round-policy": "round.manage",
    "GET /api/agreements": "read",
    "POST /api/agreements": "agreement.create",
    "GET /api/agreements/{agreement_id:int}": "read",
    "PATCH /api/agreements/{agreement_id:int}": "agreement.edit",
    "GET /api/agreements/{agreement_id:int}/adoption": "read",
    "GET /api/agreements/{agreement_id:int}/decisions": "read",
    "GET /api/agreements/{agreement_id:int}/feed": "read",
    "GET /api/agreements/{agreement_id:int}/history": "read",
    "POST /api/agreements/{agreement_id:int}/parties/{party_code:str}/decisions": "decision.log",
    "POST /api/agreements/{agreement_id:int}/parties/{party_code:str}/notice": "notice.register",
    "GET /api/agreements/{agreement_id:int}/proposals": "read",
    "POST /api/agreements/{agreement_id:int}/parties/{party_code:str}/proposals": "decision.log",
    "PATCH /api/agreements/{agreement_id:int}/parties/{party_code:str}/proposals/{proposal_id:int}": (
        "decision.correct"
    ),
    "POST /parties/{party_code:str}/proposals/{proposal_id:int}": "decision.correct",
    "POST /api/agreements/{agreement_id:int}/steps": "process.record",
    "POST /api/agreements/{agreement_id:int}/group-recommendations": "process.record",
    "GET /api/agreements/{agreement_id:int}/term": "read",
    "GET /api/agreements/{agreement_id:int}/timeline": "read",
    "POST /api/agreements/{agreement_id:int}/versions": "agreement.edit",
    "PUT /api/agreements/{agreement_id:int}/replaces": "agreement.edit",
    "GET /api/audit": "admin",
    "POST /api/auth/login": "public",
    "POST /api/auth/logout": "public",
    "GET /api/auth/me": "signed_in",
    "GET /api/auth/tokens": "signed_in",
    "POST /api/auth/tokens": "signed_in",
    "DELETE /api/auth/tokens/{token_id:int}": "signed_in",
    "GET /api/deadlines": "read",
    "GET /api/decisions/{decision_id:int}": "read",
    "PATCH /api/decisions/{decision_id:int}": "decision.correct",
    "GET /api/deliveries": "personal.read",
    "GET /api/feeds": "feeds.manage",
    "POST /api/feeds": "feeds.manage",
    "DELETE /api/feeds/me": "signed_in",
    "GET /api/feeds/me": "signed_in",
    "POST /api/feeds/me": "signed_in",
    "DELETE /api/feeds/{feed_id:int}": "feeds.manage",
    "POST /api/feeds/{feed_id:int}/rotate": "feeds.manage",
    "GET /api/groups": "read",
    "GET /api/groups/{slug:str}": "read",
    "GET /api/parties": "read",
    "GET /api/parties/{party_code:str}": "read",
    "GET /api/parties/{party_code:str}/agreements": "read",
    "POST /api/parties/{party_code:str}/contacts": "contact.edit",
    "DELETE /api/parties/{party_code:str}/contacts/{contact_id:int}": "contact.edit",
    "GET /api/parties/{party_code:str}/feed": "read",
    "GET /api/reminder-policies/{structure:str}": "read",
    "GET /api/agreements/{agreement_id:int}/reminder-policy": "read",
    "PUT /api/agreements/{agreement_id:int}/reminder-policy": "agreement.edit",
    "PUT /api/reminder-policies/{structure:str}": "admin",
    "GET /api/structures": "read",
    "GET /api/structures/{structure:str}": "read",
    "GET /api/structures/{structure:str}/feed": "read",
    "GET /api/subscriptions": "admin",
    "POST /api/subscriptions": "admin",
    "DELETE /api/subscriptions/{subscription_id:int}": "admin",
    "GET /api/users": "admin",
    "POST /api/users": "admin",
    "POST /api/users/{user_id:int}/roles": "admin",
    "DELETE /api/users/{user_id:int}/roles/{role_id:int}": "admin",
    "GET /api/warnings": "read",
    "GET /feeds/agreements/{agreement_file:str}": "public",
    "HEAD /feeds/agreements/{agreement_file:str}": "public",
    "GET /feeds/me/{token_file:str}": "public",
    "HEAD /feeds/me/{token_file:str}": "public",
    "GET /feeds/parties/{party_file:str}": "public",
    "HEAD /feeds/parties/{party_file:str}": "public",
    "GET /feeds/structures/{structure_file:str}": "public",
    "HEAD /feeds/structures/{structure_file:str}": "public",
    "GET /health": "public",
    "GET /login": "public",
    "POST /login": "public",
    "POST /logout": "public",
    "GET /api/me/notifications": "signed_in",
    "PUT /api/me/notifications": "signed_in",
    "POST /api/me/follows": "signed_in",
    "DELETE /api/me/follows/{follow_id:int}": "signed_in",
    "DELETE /api/me/follows/parties/{party_code:str}": "signed_in",
    "POST /me/follows": "signed_in",
    "POST /me/follows/{follow_id:int}/delete": "signed_in",
    "POST /me/follows/parties/{party_code:str}/delete": "signed_in",
    "GET /me/notifications": "signed_in",
    "POST /me/notifications": "signed_in",
    "GET /unsubscribe/{token:str}": "public",
    "POST /unsubscribe/{token:str}": "public",
    "GET /me/calendar": "signed_in",
    "POST /me/calendar": "signed_in",
    "POST /me/calendar/revoke": "signed_in",
    "GET /parties/{code:str}": "read",
    "POST /parties/{party_code:str}/decisions": "decision.log",
    "GET /schema": "public",
    "GET /schema/oauth2-redirect.html": "public",
    "GET /schema/openapi.json": "public",
    "GET /schema/scalar": "public",
    "GET /schema/swagger": "public",
    "GET /schema/{path:str}": "public",
    "GET /search": "read",
    "GET /static/{file_path:path}": "public",
    "HEAD /static/{file_path:path}": "public",
    "GET /structures": "read",
    "GET /structures/{slug:str}": "read",
    "GET /structures/{slug:str}/matrix.csv": "read",
    "GET /structures/{slug:str}/matrix.xlsx": "read",
    # rounds
    "GET /api/rounds": "read",
    "POST /api/rounds": "round.manage",
    "GET /api/rounds/{round_id:int}": "read",
    "PATCH /api/rounds/{round_id:int}": "round.manage",
    "POST /api/rounds/{round_id:int}/close": "round.manage",
    "GET /api/rounds/{round_id:int}/answers/{party_code:str}": "round.answer",
    "PUT /api/rounds/{round_id:int}/answers/{party_code:str}": "round.answer",
    "GET /api/rounds/{round_id:int}/files": "read",
    "POST /api/rounds/{round_id:int}/files": "round.manage",
    "GET /api/rounds/{round_id:int}/files/{file_id:int}": "read",
    "DELETE /api/rounds/{round_id:int}/files/{file_id:int}": "round.manage",
    "DELETE /api/rounds/{round_id:int}/answers/{party_code:str}/files/{file_id:int}": "round.answer",
    "GET /api/rounds/{round_id:int}/answers/{party_code:str}/files": "round.answer",
    "POST /api/rounds/{round_id:int}/answers/{party_code:str}/files": "round.answer",
    "GET /agreements/{agreement_id:int}/rounds/new": "round.manage",
    "POST /agreements/{agreement_id:int}/rounds": "round.manage",
    "GET /api/structures/{structure:str}/rounds": "read",
    "POST /api/structures/{structure:str}/rounds": "round.manage",
    "GET /structures/{structure:str}/rounds/new": "round.manage",
    "POST /structures/{structure:str}/rounds": "round.manage",
    "GET /rounds/{round_id:int}": "read",
    "POST /rounds/{round_id:int}/close": "round.manage",
    "POST /rounds/{round_id:int}/edit": "round.manage",
    "POST /rounds/{round_id:int}/files": "round.manage",
    "POST /rounds/{round_id:int}/answers/{party_code:str}/files": "round.answer",
    "POST /rounds/{round_id:int}/files/{file_id:int}/delete": "round.manage",
    "POST /rounds/{round_id:int}/answers/{party_code:str}/files/{file_id:int}/delete": "round.answer",
    "GET /rounds/{round_id:int}/answers/{party_code:str}": "round.answer",
    "POST /rounds/{round_id:int}/answers/{party_code:str}": "round.answer",
    "GET /rounds/{round_id:int}/svar.csv": "read",
    "GET /rounds/{round_id:int}/svar.xlsx": "read",
    # documents
    "GET /api/agreements/{agreement_id:int}/documents": "read",
    "POST /api/agreements/{agreement_id:int}/documents": "agreement.edit",
    "GET /api/agreements/{agreement_id:int}/comparison": "read",
    "GET /api/documents/{document_id:int}": "read",
    "GET /api/documents/{document_id:int}/file": "read",
    "DELETE /api/documents/{document_id:int}": "agreement.edit",
    "POST /agreements/{agreement_id:int}/documents": "agreement.edit",
    "GET /agreements/{agreement_id:int}/comparison": "read",
    # samverkansbrister (cases/)
    "POST /api/cases": "public",
    "GET /api/cases/status/{token:str}": "public",
    "GET /api/cases/categories/{structure:str}": "read",
    "GET /api/structures/{structure:str}/cases/analysis": "read",
    "GET /api/agreements/{agreement_id:int}/cases": "case.handle",
    "GET /api/agreements/{agreement_id:int}/cases/analysis": "read",
    "GET /api/agreements/{agreement_id:int}/cases/{case_id:int}": "case.handle",
    "POST /api/agreements/{agreement_id:int}/cases/{case_id:int}/take": "case.handle",
    "POST /api/agreements/{agreement_id:int}/cases/{case_id:int}/send": "case.handle",
    "POST /api/agreements/{agreement_id:int}/cases/{case_id:int}/close": "case.handle",
    "POST /api/agreements/{agreement_id:int}/cases/{case_id:int}/parties/{party_code:str}/answer": (
        "case.answer"
    ),
    "GET /samverkansbrister": "public",
    "POST /samverkansbrister": "public",
    "GET /samverkansbrister/status/{token:str}": "public",
    "GET /agreements/{agreement_id:int}/samverkansbrister": "case.handle",
    "GET /agreements/{agreement_id:int}/samverkansbrister/{case_id:int}": "signed_in",
    "POST /agreements/{agreement_id:int}/samverkansbrister/{case_id:int}/ta": "case.handle",
    "POST /agreements/{agreement_id:int}/samverkansbrister/{case_id:int}/skicka": "case.handle",
    "POST /agreements/{agreement_id:int}/samverkansbrister/{case_id:int}/avsluta": "case.handle",
    "POST /agreements/{agreement_id:int}/samverkansbrister/{case_id:int}/svar/{party_code:str}": (
        "case.answer"
    ),
    "GET /agreements/{agreement_id:int}/samverkansbrister/analys": "read",
    "GET /agreements/{agreement_id:int}/samverkansbrister/analys.csv": "read",
    "GET /agreements/{agreement_id:int}/samverkansbrister/analys.xlsx": "read",
    # disputes (cases/)
    "GET /api/agreements/{agreement_id:int}/disputes": "dispute.read",
    "POST /api/agreements/{agreement_id:int}/disputes": "dispute.raise",
    "GET /api/agreements/{agreement_id:int}/disputes/ladder": "read",
    "PUT /api/agreements/{agreement_id:int}/disputes/ladder": "dispute.handle",
    "GET /api/agreements/{agreement_id:int}/disputes/{dispute_id:int}": "dispute.read",
    "POST /api/agreements/{agreement_id:int}/disputes/{dispute_id:int}/escalate": "dispute.handle",
    "POST /api/agreements/{agreement_id:int}/disputes/{dispute_id:int}/settle": "dispute.handle",
    "GET /api/structures/{structure:str}/disputes/{year:int}": "read",
    "GET /agreements/{agreement_id:int}/tvister": "dispute.read",
    "POST /agreements/{agreement_id:int}/tvister": "dispute.raise",
    "GET /agreements/{agreement_id:int}/tvister/{dispute_id:int}": "dispute.read",
    "POST /agreements/{agreement_id:int}/tvister/{dispute_id:int}/lyft": "dispute.handle",
    "POST /agreements/{agreement_id:int}/tvister/{dispute_id:int}/avsluta": "dispute.handle",
    "GET /structures/{slug:str}/tvister/{year:int}": "read",
    "GET /structures/{slug:str}/samverkansbrister/analys": "read",
    "GET /structures/{slug:str}/samverkansbrister/analys.csv": "read",
    "GET /structures/{slug:str}/samverkansbrister/analys.xlsx": "read",
}
# Permission routes whose scope is not in the path (it is in the body, or the handler looks it up
# from another id): the guard only checks that the role holds the permission somewhere, and the
# handler checks the scope. Every other permission route must name its scope in the path.
SCOPED_IN_HANDLER = {
    "GET /api/deliveries",  # each secretariat sees its structure's rows
    "POST /api/agreements",
    "GET /api/feeds",
    "POST /api/feeds",
    "DELETE /api/feeds/{feed_id:int}",
    "POST /api/feeds/{feed_id:int}/rotate",
    # a round's agreement is looked up from the round
    "POST /api/rounds",
    "PATCH /api/rounds/{round_id:int}",
    "POST /api/rounds/{round_id:int}/close",
    "POST /rounds/{round_id:int}/close",
    "POST /rounds/{round_id:int}/edit",
    "POST /api/rounds/{round_id:int}/files",
    "POST /rounds/{round_id:int}/files",
    "DELETE /api/rounds/{round_id:int}/files/{file_id:int}",
    "POST /rounds/{round_id:int}/files/{file_id:int}/delete",
    "DELETE /api/documents/{document_id:int}",
}

# Permission routes scoped by a structure in the path, which the guard resolves: they act on the
# world's structure (an unknown one is a 404 before any role is asked), and a structure is no
# steward's scope (a steward's is one agreement), so stewards are refused there.
STRUCTURE_SCOPED = {
    "POST /api/structures/{structure:str}/rounds",
    "GET /structures/{structure:str}/rounds/new",
    "POST /structures/{structure:str}/rounds",
}
WORLD_STRUCTURE = "vastra-gotaland"

EVERYONE = {"anonymous", "viewer", "clerk", "secretariat", "steward", "admin"}
ALLOWED = {
    "public": EVERYONE,
    "read": EVERYONE,
    "signed_in": EVERYONE - {"anonymous"},
    "admin": {"admin"},
    "agreement.create": {"admin", "secretariat"},
    "agreement.edit": {"admin", "secretariat", "steward"},
    "process.record": {"admin", "secretariat", "steward"},
    "decision.log": {"admin", "secretariat", "clerk"},
    "decision.correct": {"admin", "secretariat", "clerk"},
    "notice.register": {"admin", "secretariat"},
    "contact.edit": {"admin", "secretariat", "clerk"},
    "feeds.manage": {"admin", "secretariat", "clerk", "steward"},
    "personal.read": {"admin", "secretariat"},
    "round.manage": {"admin", "secretariat", "steward"},
    "round.answer": {"admin", "clerk"},
    "case.handle": {"admin", "secretariat", "steward"},
    "case.answer": {"admin", "secretariat", "clerk"},
    "dispute.read": {"admin", "secretariat", "clerk", "steward"},
    "dispute.raise": {"admin", "secretariat", "clerk"},
    "dispute.handle": {"admin", "secretariat", "steward"},
}
# The targets (see `world`): agreement A in Västra Götaland, Härryda's decision on it, Härryda.
# Values for routes that delete or overwrite name nothing that exists, so nothing is changed.
PATH_VALUES = {
    "agreement_id": "{agreement}",
    "decision_id": "{decision}",
    "party_code": "1401",
    "code": "1401",
    "slug": "ingen-struktur",
    "structure": "vastra-gotaland",  # a real one: the guard tells its secretariat from another's
    "contact_id": "0",
    "user_id": "{user}",
    "role_id": "0",
    "proposal_id": "0",
    "token_id": "0",
    "subscription_id": "0",
    "feed_id": "0",
    "follow_id": "0",
    "token": "forged.token",
    "agreement_file": "0.ics",
    "party_file": "1401.ics",
    "structure_file": "ingen-struktur.ics",
    "token_file": "ingen.ics",
    "path": "finns-inte",
    "file_path": "finns-inte.css",
    "round_id": "0",
    "file_id": "0",
    "document_id": "0",
    "case_id": "0",
    "dispute_id": "0",
    "year": "2026",
}
INVALID_BODY = b"[]"  # valid JSON, but no handler takes a list: allowed changes stop at 400


@dataclass(frozen=True, slots=True)
class Caller:
    name: str  # "anonymous", or a role
    user: TestUser | None
    insider: bool  # False: holds the role, but for another structure, party or agreement


@dataclass(frozen=True, slots=True)
class World:
    agreement: int
    decision: int
    viewer: TestUser
    callers: list[Caller]


def app_routes() -> list[tuple[str, str, str | None]]:
    return sorted(declared_routes(create_app(manage_pool=False)), key=lambda r: (r[1], r[0]))


APP_ROUTES = app_routes()


@pytest.fixture(scope="module")
async def world(client, admin, make_user) -> World:
    ids = []
    for title in ("Matrisavtal A", "Matrisavtal B"):
        body = {"structure": "vastra-gotaland", "kind": "overenskommelse", "title": title}
        response = await client.post("/api/agreements", json=body)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    a, b = ids
    await recommend(client, a)
    decision = await client.post(
        f"/api/agreements/{a}/parties/1401/decisions",
        json={"body": "Kommunfullmäktige", "meeting_date": "2022-05-23", "outcome": "adopted"},
    )
    assert decision.status_code == 201, decision.text
    viewer = await make_user("viewer")
    callers = [
        Caller("anonymous", None, True),
        Caller("viewer", viewer, True),
        Caller("clerk", await make_user("clerk", party="1401"), True),
        Caller("secretariat", await make_user("secretariat", structure="vastra-gotaland"), True),
        Caller("steward", await make_user("steward", agreement_id=a), True),
        Caller("admin", admin, True),
        Caller("clerk", await make_user("clerk", party="0180"), False),
        Caller("secretariat", await make_user("secretariat", structure="stockholm"), False),
        Caller("steward", await make_user("steward", agreement_id=b), False),
    ]
    return World(agreement=a, decision=decision.json()["id"], viewer=viewer, callers=callers)


@pytest.fixture(scope="module")
async def matrix_client(_migrated):
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=create_app(manage_pool=False)) as test_client:
        await test_client.get("/health")  # the CSRF cookie, for the anonymous caller's changes
        yield test_client


# Roles whose scope can hold a whole structure: a clerk's is its party, a steward's its agreement.
STRUCTURE_WIDE = {"secretariat", "admin"}


def expected(key: str, rule: str, caller: Caller) -> int | None:
    """None: allowed; else the status of the refusal."""
    refused = 401 if caller.user is None else 403
    if caller.name not in ALLOWED[rule] or (key in STRUCTURE_SCOPED and caller.name == "steward"):
        return refused
    if rule in ("public", "read", "signed_in") or key in SCOPED_IN_HANDLER:
        return None
    if not caller.insider:
        return refused
    if path_scope(key) == {"structure"} and caller.name not in STRUCTURE_WIDE:
        return refused
    return None


def path_scope(key: str) -> set[str]:
    """The path parameters of the route that the guard reads as its scope."""
    return set(re.findall(r"\{(\w+)", key)) & PATH_SCOPE


def url(path: str, world: World) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        assert name in PATH_VALUES, f"add a value for the path parameter '{name}' to PATH_VALUES"
        return PATH_VALUES[name].format(
            agreement=world.agreement, decision=world.decision, user=world.viewer.id
        )

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, path)


async def call(client, method: str, path: str, caller: Caller):
    headers = bearer(caller.user) if caller.user else {CSRF_HEADER: client.cookies[CSRF_COOKIE]}
    if method in ("POST", "PUT", "PATCH"):
        headers["content-type"] = "application/json"
        return await client.request(
            method, path, content=INVALID_BODY, headers=headers, follow_redirects=False
        )
    return await client.request(method, path, headers=headers, follow_redirects=False)


@pytest.mark.parametrize(
    ("method", "path", "declared"), APP_ROUTES, ids=[f"{m} {p}" for m, p, _ in APP_ROUTES]
)
async def test_each_route_answers_each_role_as_its_rule_says(matrix_client, world, method, path, declared):
    key = f"{method} {path}"
    assert key in ROUTES, f"{key} (declared {declared!r}) is missing from ROUTES in this test: add it"
    rule = ROUTES[key]
    assert declared == rule, f"{key}: the handler declares {declared!r}, this table says {rule!r}"
    target = url(path, world)
    if key in STRUCTURE_SCOPED:
        target = target.replace(PATH_VALUES["structure"], WORLD_STRUCTURE)
    wrong = []
    for caller in world.callers:
        status = (await call(matrix_client, method, target, caller)).status_code
        want = expected(key, rule, caller)
        got_refused = status in (401, 403)
        if (want is None and got_refused) or (want is not None and status != want):
            scope = "" if caller.insider else " (of another scope)"
            wrong.append(f"{caller.name}{scope}: {status}, expected {'allowed' if want is None else want}")
    assert wrong == [], f"{key} ({rule})"


READ_ROUTES = [(m, p) for m, p, r in APP_ROUTES if r == "read"]


@pytest.mark.parametrize(("method", "path"), READ_ROUTES, ids=[f"{m} {p}" for m, p in READ_ROUTES])
async def test_without_public_read_anonymous_readers_are_asked_to_sign_in(matrix_client, world, method, path):
    matrix_client.app.state.public_read = False
    try:
        target = url(path, world)
        assert (await matrix_client.request(method, target, follow_redirects=False)).status_code == 401
        answer = await matrix_client.request(
            method, target, headers=bearer(world.viewer), follow_redirects=False
        )
        assert answer.status_code not in (401, 403)
    finally:
        matrix_client.app.state.public_read = True


def test_the_table_names_no_route_the_app_no_longer_has():
    assert sorted(set(ROUTES) - {f"{m} {p}" for m, p, _ in APP_ROUTES}) == []


def test_an_app_with_a_route_without_a_rule_does_not_start():
    @get("/naked", sync_to_thread=False)
    def naked() -> str:
        return "no rule"

    @get("/typo", opt={"access": "reed"}, sync_to_thread=False)
    def typo() -> str:
        return "unknown rule"

    with pytest.raises(
        RuntimeError, match=r"Missing or unknown rule: GET /naked \(None\), GET /typo \('reed'\)"
    ):
        check_access_rules(Litestar(route_handlers=[naked, typo], openapi_config=None))
