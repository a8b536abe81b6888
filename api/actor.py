"""Who is making a request, as the audit trail records it."""

from __future__ import annotations

from litestar import Request

from audit.trail import Actor


def current_actor(request: Request) -> Actor:
    user = request.scope.get("user")
    if user is None:
        return Actor(user_id=None, label="anonym")
    return Actor(user_id=user.id, label=user.label)
