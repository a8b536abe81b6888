"""Tasks: ids in, call a service, retry policy. No logic lives here.

Every reminder task is acknowledged late and idempotent: the sweep's rows are claimed by unique
keys and a delivery by its claim in PostgreSQL (docs/reminders.md), so a redelivered message does
nothing twice. Ids to deliver are enqueued only after the service's transaction has committed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from core import clock
from notifications.delivery import MAX_ATTEMPTS, RETRY_BACKOFF_MAX_SECONDS, RETRY_BACKOFF_SECONDS
from notifications.errors import TransientDeliveryError
from workers import runtime
from workers.celery_app import app


async def _count_parties() -> int:
    from parties.tables import Party

    return await Party.count()


@app.task(name="samverkan.ping")
def ping() -> dict[str, int | str]:
    """Proves a worker reaches Redis and PostgreSQL: answers with the number of parties."""
    return {"pong": "ok", "parties": runtime.run(_count_parties())}


def _day(as_of: str | None) -> date:
    return date.fromisoformat(as_of) if as_of else clock.today()


def enqueue_deliveries(ids: Iterable[int], digest_ids: Iterable[int] = ()) -> int:
    """One `deliver` message per webhook row and one `deliver_digest` per digest, over one broker
    connection."""
    count = 0
    with app.producer_or_acquire() as producer:
        for delivery_id in ids:
            deliver.apply_async((delivery_id,), producer=producer)
            count += 1
        for digest_id in digest_ids:
            deliver_digest.apply_async((digest_id,), producer=producer)
            count += 1
    return count


def _with_digests(as_of: str | None) -> bool:
    """An hourly sweep makes the day's digests once the daily run has refreshed (notifications.
    digests.DIGEST_HOUR); one asked for a given day (a demo, a test) always does."""
    from notifications.digests import DIGEST_HOUR

    return as_of is not None or clock.now().astimezone(clock.STOCKHOLM).hour >= DIGEST_HOUR


@app.task(name="samverkan.reminders.sweep", acks_late=True)
def sweep(as_of: str | None = None) -> dict[str, int | str]:
    """Hourly: write the reminders due today to the outbox, then enqueue them."""
    from notifications.sweep import sweep as run_sweep

    result = runtime.run(run_sweep(_day(as_of), with_digests=_with_digests(as_of)))
    return {**result.counts(), "enqueued": enqueue_deliveries(result.delivery_ids, result.digest_ids)}


@app.task(name="samverkan.reminders.refresh_all", acks_late=True)
def refresh_all(as_of: str | None = None) -> dict[str, int]:
    """On demand: recompute every live agreement's deadlines and warnings."""
    from notifications.daily import refresh_all as run_refresh

    return {"refreshed": runtime.run(run_refresh(_day(as_of)))}


@app.task(name="samverkan.reminders.daily", acks_late=True)
def daily(as_of: str | None = None) -> dict[str, int | str]:
    """Nightly: refresh every live agreement (renewals roll over, warnings open and close), then
    sweep, so newly opened warnings go out the same night."""
    from audit.trail import Actor
    from notifications.daily import run_daily

    result = runtime.run(run_daily(_day(as_of), actor=Actor.system("daily run")))
    return {
        **result.counts(),
        "enqueued": enqueue_deliveries(result.sweep.delivery_ids, result.sweep.digest_ids),
    }


@app.task(
    bind=True,
    name="samverkan.reminders.deliver",
    acks_late=True,
    autoretry_for=(TransientDeliveryError,),
    retry_backoff=RETRY_BACKOFF_SECONDS,
    retry_backoff_max=RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=MAX_ATTEMPTS - 1,  # the first try and the retries: the row counts them too
)
def deliver(self, delivery_id: int) -> str:
    """Send one outbox row (once: the claim in PostgreSQL decides who sends)."""
    from notifications.delivery import deliver as run_deliver

    return runtime.run(run_deliver(delivery_id)).value


@app.task(
    bind=True,
    name="samverkan.reminders.deliver_digest",
    acks_late=True,
    autoretry_for=(TransientDeliveryError,),
    retry_backoff=RETRY_BACKOFF_SECONDS,
    retry_backoff_max=RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=MAX_ATTEMPTS - 1,
)
def deliver_digest(self, digest_id: int) -> str:
    """Send one digest e-mail (once: the claim in PostgreSQL decides who sends)."""
    from notifications.digest_delivery import deliver_digest as run_deliver

    return runtime.run(run_deliver(digest_id)).value


@app.task(name="samverkan.documents.extract", acks_late=True)
def extract_document(document_id: int) -> str:
    """Read an uploaded document's text and law references (idempotent: a rerun stores the same)."""
    from documents.services import extract

    return runtime.run(extract(document_id))


@app.task(name="samverkan.documents.extract_waiting", acks_late=True)
def extract_waiting() -> dict[str, int]:
    """Enqueue the extraction of uploads whose task was lost (the broker was down at upload)."""
    from documents.services import waiting_documents

    ids = runtime.run(waiting_documents())
    with app.producer_or_acquire() as producer:
        for document_id in ids:
            extract_document.apply_async((document_id,), producer=producer)
    return {"enqueued": len(ids)}


# --- samverkansbrister: the e-mails to reporters and parties, and gallring ------------------


def enqueue_case_messages(ids: Iterable[int]) -> int:
    count = 0
    with app.producer_or_acquire() as producer:
        for message_id in ids:
            deliver_case_message.apply_async((message_id,), producer=producer)
            count += 1
    return count


@app.task(
    bind=True,
    name="samverkan.cases.deliver",
    acks_late=True,
    autoretry_for=(TransientDeliveryError,),
    retry_backoff=RETRY_BACKOFF_SECONDS,
    retry_backoff_max=RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=MAX_ATTEMPTS - 1,
)
def deliver_case_message(self, message_id: int) -> str:
    """Send one e-mail about a report (once: the claim in PostgreSQL decides who sends)."""
    from cases.delivery import deliver as run_deliver

    return runtime.run(run_deliver(message_id)).value


@app.task(name="samverkan.cases.sweep", acks_late=True)
def sweep_cases(as_of: str | None = None) -> dict[str, int]:
    """Hourly: enqueue the e-mails whose first enqueue was lost; daily it also clears (gallrar)
    the reports closed longer ago than the retention setting."""
    from cases.delivery import unsent
    from cases.services.retention import clear_expired

    cleared = runtime.run(clear_expired(_day(as_of)))
    return {"cleared": cleared, "enqueued": enqueue_case_messages(runtime.run(unsent()))}
