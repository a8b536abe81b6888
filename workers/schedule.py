"""The beat schedule, in code. Beat only enqueues sweeps; what is due is decided in PostgreSQL.

Times are Europe/Stockholm (the Celery app's timezone). The daily run refreshes every agreement
and sweeps; the hourly sweep sends what became due since, re-enqueues what was lost, and picks
up warnings opened by the day's changes.
"""

from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    "reminders-daily": {
        "task": "samverkan.reminders.daily",
        # before the working day, after midnight has moved every date
        "schedule": crontab(hour=5, minute=15),
    },
    "reminders-sweep": {
        "task": "samverkan.reminders.sweep",
        # hourly, off the full hour that other jobs crowd
        "schedule": crontab(minute=7),
    },
    "documents-extract-waiting": {
        "task": "samverkan.documents.extract_waiting",
        # an upload's own task runs at once; this only catches one lost while the broker was down
        "schedule": crontab(minute="*/10"),
    },
    "cases-sweep": {
        "task": "samverkan.cases.sweep",
        # hourly: lost e-mails about samverkansbrister, and gallring of expired reports
        "schedule": crontab(minute=37),
    },
}
