"""The beat schedule, in code. Beat only enqueues sweeps; what is due is decided in PostgreSQL."""

from __future__ import annotations

BEAT_SCHEDULE: dict[str, dict] = {}
