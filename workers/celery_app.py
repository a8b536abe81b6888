"""The Celery app: Redis as broker and result backend, JSON only, Europe/Stockholm.

Deadlines live in PostgreSQL; beat only sweeps (STYLE.md). Tasks are acknowledged late and one at
a time per child, so a worker that dies mid-task leaves the message for another worker, and the
task's own unique key in PostgreSQL makes the redelivery harmless.
"""

from __future__ import annotations

from celery import Celery

from core.settings import SettingsError, get_settings
from workers import schedule


def make_celery() -> Celery:
    redis_url = get_settings().redis_url
    if not redis_url:
        raise SettingsError("REDIS_URL is not set. Start the product with `samverkan dev`, or set REDIS_URL.")
    app = Celery("samverkan", include=["workers.tasks"])
    app.conf.update(
        broker_url=redis_url,
        result_backend=redis_url,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        timezone="Europe/Stockholm",
        enable_utc=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        result_expires=24 * 3600,
        broker_connection_retry_on_startup=True,
        # A late-acked task is redelivered after this long without an ack; our tasks take
        # seconds, so an hour only matters when a worker died holding one.
        broker_transport_options={"visibility_timeout": 3600},
        beat_schedule=schedule.BEAT_SCHEDULE,
        worker_hijack_root_logger=False,
    )
    return app


app = make_celery()
