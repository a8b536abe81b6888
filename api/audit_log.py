"""GET /api/audit: the audit trail, for admins. Read-only: no route changes or deletes an event."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, get
from litestar.params import QueryParameter

from api.problems import problems
from audit.trail import history


class AuditEventView(msgspec.Struct, kw_only=True):
    id: int
    at: datetime
    actor_user_id: int | None
    actor: str
    action: str
    entity: str
    entity_id: str
    agreement_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@get(
    "/api/audit",
    summary="Granskningsloggen: vem ändrade vad och när",
    description="Nyaste först. Filtrera på entitet (t.ex. user, role_grant, api_token, contact), "
    "dess id eller en överenskommelse.",
    tags=["Granskning"],
    opt={"access": "admin"},
    responses=problems(400, 401, 403),
)
async def audit_events(
    request: Request,
    entity: Annotated[str | None, QueryParameter(description="Tabellen, t.ex. role_grant")] = None,
    entity_id: Annotated[str | None, QueryParameter(description="Postens id")] = None,
    agreement_id: Annotated[int | None, QueryParameter(description="Överenskommelsens id")] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=500, description="Antal (1–500)")] = 100,
    offset: Annotated[int, QueryParameter(ge=0, description="Hoppa över så många")] = 0,
) -> list[AuditEventView]:
    events = await history(
        entity=entity, entity_id=entity_id, agreement_id=agreement_id, limit=limit, offset=offset
    )
    return msgspec.convert(events, list[AuditEventView])
