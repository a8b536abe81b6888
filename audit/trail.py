"""Writing and reading audit events."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from audit.tables import AuditEvent
from core.clock import now


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change: a signed-in user, or the system itself (CLI, demo, workers)."""

    user_id: int | None
    label: str

    @classmethod
    def system(cls, what: str) -> Actor:
        return cls(user_id=None, label=f"system: {what}")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


async def record(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    *,
    agreement_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    keep: tuple[str, ...] = (),
) -> None:
    """Append one event. Call inside the transaction of the change it describes. Of a change
    (`before` and `after`) only what changed is kept, and the keys in `keep` that say what was
    changed (the party, the meeting), so the history can name it."""
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        changed |= {k for k in keep if k in before or k in after}
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after.get(k) for k in sorted(changed)}
    await AuditEvent.insert(
        AuditEvent(
            at=now(),
            actor_user_id=actor.user_id,
            actor=actor.label,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            agreement_id=agreement_id,
            before=None if before is None else json.dumps(_plain(before), ensure_ascii=False),
            after=None if after is None else json.dumps(_plain(after), ensure_ascii=False),
        )
    )


async def history(
    *,
    agreement_id: int | None = None,
    entity: str | None = None,
    entity_id: object = None,
    limit: int = 200,
    offset: int = 0,
) -> list[dict]:
    where = []
    if agreement_id is not None:
        where.append(AuditEvent.agreement_id == agreement_id)
    if entity is not None:
        where.append(AuditEvent.entity == entity)
    if entity_id is not None:
        where.append(AuditEvent.entity_id == str(entity_id))
    return (
        await AuditEvent.select()
        .where(*where)
        .order_by(AuditEvent.id, ascending=False)
        .limit(limit)
        .offset(offset)
        .output(load_json=True)
    )
