"""Who is asking: an API token (`Authorization: Bearer ...`) or the session's signed-in user.

Puts the user (`accounts.principal.SignedInUser`, or None) in `scope["user"]`, where
`api.actor.current_actor` and `api.access` read it. A bearer token that is unknown or revoked is
refused outright rather than treated as anonymous: an integration should learn at once that its
token no longer works.
"""

from __future__ import annotations

from litestar.datastructures import Headers
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from accounts.principal import SignedInUser, load_user
from accounts.tokens import user_for_token
from core.errors import Unauthenticated

BAD_TOKEN = "API-nyckeln är okänd eller återkallad."


async def identify(scope: Scope) -> SignedInUser | None:
    authorization = Headers.from_scope(scope).get("authorization")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer":
            user = await user_for_token(token.strip())
            if user is None:
                raise Unauthenticated(BAD_TOKEN)
            return user
    user_id = (scope.get("session") or {}).get("user_id")
    return await load_user(user_id) if isinstance(user_id, int) else None


class AuthenticationMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        scope["user"] = await identify(scope)
        await next_app(scope, receive, send)
