"""Tasks: ids in, call a service, retry policy. No logic lives here."""

from __future__ import annotations

from workers import runtime
from workers.celery_app import app


async def _count_parties() -> int:
    from parties.tables import Party

    return await Party.count()


@app.task(name="samverkan.ping")
def ping() -> dict[str, int | str]:
    """Proves a worker reaches Redis and PostgreSQL: answers with the number of parties."""
    return {"pong": "ok", "parties": runtime.run(_count_parties())}
