"""Who may do what: the one place authorisation is decided.

Every route handler declares its rule in `opt={"access": ...}`; `create_app` refuses to start when
one does not (`check_access_rules`), and `tests/integration/test_role_matrix.py` checks every
route against every role. The rules:

    "public"      anyone, signed in or not (health, sign-in, the API documentation, token feeds)
    "read"        anyone while PUBLIC_READ is true; otherwise any signed-in user
    "signed_in"   any signed-in user (their own profile and API tokens)
    a permission  a signed-in user whose role grants it, for the scope the route acts on:
                  agreement.create  agreement.edit  process.record  decision.log  decision.correct
                  notice.register   contact.edit    feeds.manage    round.manage
                  round.answer      case.handle     case.answer     personal.read
                  dispute.read      dispute.raise   dispute.handle  admin

Personal data is never "read", whatever PUBLIC_READ says: the reminders' deliveries need
personal.read (admins; a secretariat sees its structure's rows), contacts' addresses are shown
only to whoever may edit them, users, subscriptions and feed tokens need admin or feeds.manage.
A clerk's feeds.manage is for its own party's feed only (PARTY_ONLY).

For a permission, the app-wide guard checks the scope the path names before the body is read:
the path parameters `agreement_id`, `decision_id`, `party_code` and `structure`, which every route
names so. That check is the whole of it for most routes. A handler calls `authorize(request,
permission, ...)` itself only for a scope the path does not hold: one in the body (a decision's
party on a page form, a new agreement's structure) or in a stored row (a document's agreement).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from litestar.router import Router

from accounts.principal import Grant, SignedInUser
from accounts.tables import Role
from api.scope import Target, resolve, resolve_parties, resolve_scopes
from core.errors import Forbidden, Unauthenticated
from core.settings import get_settings

ACCESS = "access"
PERMISSIONS = (
    "agreement.create",
    "agreement.edit",
    "process.record",
    "decision.log",
    "decision.correct",
    "notice.register",
    "contact.edit",
    "feeds.manage",  # calendar feed tokens of a party, an agreement or a structure
    "personal.read",  # personal data: the reminders' recipients (deliveries), within a structure
    # rounds (rounds/): open, edit and close an agreement's rounds; answer one for a party
    "round.manage",
    "round.answer",
    # samverkansbrister (cases/): handle an agreement's reports (the structure's secretariat and
    # the agreement's stewards), and give a party's account when it is asked (the party's clerks)
    "case.handle",
    "case.answer",
    # disputes (cases/): read an agreement's disputes (its parties' clerks, the secretariat, the
    # stewards), raise one for a party (its clerks: the party's managers' voice in the product),
    # and take it up the ladder (the secretariat, the stewards)
    "dispute.read",
    "dispute.raise",
    "dispute.handle",
    "admin",
)
RULES = frozenset({"public", "read", "signed_in", *PERMISSIONS})

# What each role may do, within its scope. Admin may do everything, everywhere.
ALLOWS: dict[Role, frozenset[str]] = {
    # a round's answer is the party's own (its drafts too): the secretariat manages, never answers
    Role.SECRETARIAT: frozenset(PERMISSIONS) - {"admin", "round.answer"},
    Role.CLERK: frozenset(
        {
            "decision.log",
            "decision.correct",
            "contact.edit",
            "feeds.manage",
            "round.answer",
            "case.answer",
            "dispute.read",
            "dispute.raise",
        }
    ),
    Role.STEWARD: frozenset(
        {
            "agreement.edit",
            "process.record",
            "feeds.manage",
            "round.manage",
            "case.handle",
            "dispute.read",
            "dispute.handle",
        }
    ),
    Role.VIEWER: frozenset(),
    Role.ADMIN: frozenset(PERMISSIONS),
}
VERBS = {
    "agreement.create": "skapa överenskommelser",
    "agreement.edit": "ändra uppgifter i registret",
    "process.record": "registrera processteg",
    "decision.log": "logga beslut",
    "decision.correct": "rätta beslut",
    "notice.register": "registrera uppsägningar",
    "contact.edit": "ändra kontakter",
    "feeds.manage": "hantera nycklar till kalenderflöden",
    "personal.read": "se utskick och mottagare av påminnelser",
    "round.manage": "öppna, ändra eller stänga rundor",
    "round.answer": "svara på rundor",
    "case.handle": "handlägga rapporter om samverkansbrister",
    "case.answer": "svara på rapporter om samverkansbrister",
    "dispute.read": "läsa tvister om överenskommelsen",
    "dispute.raise": "anmäla tvister",
    "dispute.handle": "handlägga tvister",
    "admin": "administrera användare och granskningsloggen",
}
# The path parameters the guard reads as the scope a route acts on: a route names them so.
PATH_SCOPE = frozenset({"agreement_id", "decision_id", "party_code", "structure"})
SIGN_IN = "Logga in, eller använd en API-nyckel, för att göra det här."
SIGN_IN_TO_READ = "Här visas uppgifterna bara för inloggade. Logga in, eller använd en API-nyckel."
_TARGETS = "samverkan.targets"  # per-request memo of resolved scopes


def _who(user: SignedInUser) -> str:
    if not user.roles:
        return "Du har ingen roll ännu; be en administratör om behörighet."
    return f"Du är {' och '.join(g.description for g in user.roles)}."


# Permissions a clerk holds for its own party only, not for the agreements it is party to: a
# published feed link of an agreement or a structure belongs to those who publish it (the
# secretariat, the stewards), so a clerk rotating it would break it for every other party.
PARTY_ONLY = frozenset({"feeds.manage"})


def _covers(grant: Grant, target: Target, permission: str) -> bool:
    """Does the grant's scope hold everything the change touches?"""
    if grant.role is Role.CLERK and permission in PARTY_ONLY and not target.parties:
        return False
    if grant.role is Role.SECRETARIAT:
        return target.structures == {grant.structure}
    if grant.role is Role.CLERK:
        if target.parties:
            return target.parties == {grant.party}
        return bool(target.agreements) and grant.party in target.agreement_parties
    if grant.role is Role.STEWARD:
        return target.agreements == {grant.agreement_id}
    return False


def _grants(request: ASGIConnection, permission: str) -> tuple[SignedInUser, list[Grant] | None]:
    """The user and their grants of `permission` (None: an admin, who may do everything);
    raises when nobody is signed in or no role of theirs grants it anywhere."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}; known: {', '.join(PERMISSIONS)}")
    user: SignedInUser | None = request.scope.get("user")
    if user is None:
        raise Unauthenticated(SIGN_IN)
    if user.is_admin:
        return user, None
    grants = [g for g in user.roles if permission in ALLOWS[g.role]]
    if not grants:
        raise Forbidden(f"Du får inte {VERBS[permission]}. {_who(user)}")
    return user, grants


async def _target(request: ASGIConnection, scope: tuple) -> Target:
    """`resolve` once per scope and request: the guard, the handler and a page's several checks
    ask about the same agreement."""
    targets: dict = request.scope.setdefault("state", {}).setdefault(_TARGETS, {})
    if scope not in targets:
        structure, agreement_id, party_code, decision_id = scope
        targets[scope] = await resolve(
            structure=structure, agreement_id=agreement_id, party_code=party_code, decision_id=decision_id
        )
    return targets[scope]


async def authorize(
    request: ASGIConnection,
    permission: str,
    *,
    structure: str | None = None,
    agreement_id: int | None = None,
    party_code: str | None = None,
    decision_id: int | None = None,
) -> None:
    """Raise unless the request's user may use `permission` on the given scope.

    With no scope at all, it is enough that one of the user's roles grants the permission
    somewhere; pass every scope the change touches.
    """
    user, grants = _grants(request, permission)
    scope = (structure, agreement_id, party_code, decision_id)
    if grants is None or scope == (None, None, None, None):
        return
    target = await _target(request, scope)
    if not any(_covers(g, target, permission) for g in grants):
        where = f" {target.phrase}" if target.phrase else ""
        raise Forbidden(f"Du får inte {VERBS[permission]}{where}. {_who(user)}")


def path_scope(connection: ASGIConnection) -> dict[str, Any]:
    return {k: v for k, v in connection.path_params.items() if k in PATH_SCOPE}


def _is_automatic_options(handler: BaseRouteHandler) -> bool:
    """Litestar's own answer to OPTIONS (the methods a path allows): no data, no rule needed."""
    return getattr(handler.fn, "__qualname__", "").startswith("HTTPRoute.create_options_handler")


async def access_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """The app-wide guard: enforce the route's declared rule before its body is read."""
    rule = handler.opt.get(ACCESS)
    if rule == "public" or _is_automatic_options(handler):
        return
    user = connection.scope.get("user")
    if rule == "read":
        if user is None and not connection.app.state.get("public_read", get_settings().public_read):
            raise Unauthenticated(SIGN_IN_TO_READ)
        return
    if rule == "signed_in":
        if user is None:
            raise Unauthenticated(SIGN_IN)
        return
    if rule in PERMISSIONS:
        await authorize(connection, rule, **path_scope(connection))
        return
    raise Forbidden("Sidan saknar en behörighetsregel och är därför stängd.")  # check_access_rules stops this


def route_handlers(app: Litestar) -> Iterator[tuple[str, BaseRouteHandler]]:
    """(path, handler) for every route handler of the app, Litestar's OPTIONS answers aside."""
    for route in app.routes:
        handlers = [h for h, _ in getattr(route, "route_handler_map", {}).values()]
        handlers = handlers or [route.route_handler]  # type: ignore[attr-defined]
        for handler in handlers:
            if not _is_automatic_options(handler):
                yield route.path, handler


def declared_routes(app: Litestar) -> Iterator[tuple[str, str, str | None]]:
    """(method, path, rule) for every route handler of the app, Litestar's OPTIONS answers aside."""
    for path, handler in route_handlers(app):
        for method in sorted(getattr(handler, "http_methods", None) or ["ASGI"]):
            yield method, path, handler.opt.get(ACCESS)


def check_access_rules(app: Litestar) -> None:
    missing = [f"{m} {p} ({r!r})" for m, p, r in declared_routes(app) if r not in RULES]
    if missing:
        raise RuntimeError(
            "Every route declares who may use it, e.g. opt={'access': 'read'} (see api/access.py). "
            f"Missing or unknown rule: {', '.join(missing)}"
        )


def schema_router(path: str) -> Router:
    """The API documentation's routes (/schema...): public, like the code they describe."""
    return Router(path, route_handlers=[], include_in_schema=False, opt={ACCESS: "public"})


async def allowed(request: ASGIConnection, permission: str, **scope: Any) -> bool:
    """Whether `authorize` would let the request's user do this: for showing only the forms a
    user may use (the web pages). Never a substitute for `authorize` in the handler."""
    try:
        await authorize(request, permission, **scope)
    except (Forbidden, Unauthenticated):
        return False
    return True


async def allowed_parties(
    request: ASGIConnection, permission: str, agreement_id: int | None, party_codes: list[str]
) -> set[str]:
    """The parties of `party_codes` the request's user may use `permission` for on the agreement:
    what `allowed(request, permission, agreement_id=..., party_code=code)` says for each, resolved
    once for all of them (for showing only the parties a form may be used for). No agreement (a
    round of the whole structure): what `allowed(request, permission, party_code=code)` says."""
    try:
        _, grants = _grants(request, permission)
    except (Forbidden, Unauthenticated):
        return set()
    if grants is None:
        return set(party_codes)
    if agreement_id is None:
        agreement = Target(frozenset(), frozenset(), frozenset(), frozenset(), "")
    else:
        agreement = await _target(request, (None, agreement_id, None, None))
    targets = await resolve_parties(agreement, party_codes)
    return {code for code, target in targets.items() if any(_covers(g, target, permission) for g in grants)}


async def allowed_scopes(
    request: ASGIConnection, permission: str, scopes: set[tuple[str, str]]
) -> set[tuple[str, str]]:
    """The scopes of `scopes` ("party", code), ("agreement", id) or ("structure", slug) where the
    request's user may use `permission`: what `allowed` says for each, resolved in one query for
    all of them (a list of feed tokens showing only those the user manages)."""
    try:
        _, grants = _grants(request, permission)
    except (Forbidden, Unauthenticated):
        return set()
    if grants is None:
        return set(scopes)
    targets = await resolve_scopes(scopes)
    return {scope for scope, target in targets.items() if any(_covers(g, target, permission) for g in grants)}


def granted_structures(request: ASGIConnection, permission: str) -> set[str] | None:
    """The structures where the request's user holds `permission` through a secretariat role
    (None: everywhere, an admin); raises like `authorize` when it holds it nowhere. For lists of
    personal data, which show each secretariat its own structure's rows."""
    _, grants = _grants(request, permission)
    if grants is None:
        return None
    return {g.structure for g in grants if g.role is Role.SECRETARIAT and g.structure}
