"""The samverkansbrister's Celery tasks in a real `samverkan worker` process, through Redis: the
delivery of the e-mails to reporters (each once, however often it is enqueued), the hourly sweep
that re-enqueues an e-mail whose first enqueue was lost, and the gallring the sweep runs.

It lives beside the reminders' worker test for their fixtures: a private Redis database, the
aiosmtpd mailbox the worker's SMTP settings point at, and the worker process itself."""

from __future__ import annotations

import time
import uuid
from datetime import date

from audit.trail import Actor
from cases.rules.report import ReportIn
from cases.services import handling, reports
from cases.tables import CaseMessage, FailureReport
from core.clock import freeze
from tests.integration.reminders.helpers import make_agreement
from workers import runtime, tasks

run = runtime.run
ACTOR = Actor.system("test")


def _report(agreement_id: int, email: str | None) -> int:
    made = run(
        reports.submit(
            ReportIn(
                agreement_id,
                ("18",),
                date(2023, 3, 1) if email is None else date(2026, 11, 2),
                "Kallelsen till SIP-mötet kom aldrig fram.",
                "Personen fick vänta två dagar.",
                "Samordnad individuell plan (SIP)",
                email,
            ),
            actor=ACTOR,
        )
    )
    return made.report_id


async def _messages(report_id: int) -> list[dict]:
    return await CaseMessage.select(CaseMessage.id, CaseMessage.key, CaseMessage.status).where(
        CaseMessage.report == report_id
    )


def _wait(worker, done, results=()) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        worker.check()
        if all(r.ready() for r in results) and done():
            return
        time.sleep(0.3)


def test_a_real_worker_delivers_each_case_email_once_and_its_sweep_resends_and_clears(worker, mailbox):
    made = run(make_agreement(parties=("18", "1880")))
    tag = uuid.uuid4().hex[:8]
    try:
        # given a report whose acknowledgement is enqueued twice (a retried request)
        first = _report(made.agreement_id, f"anna-{tag}@vard.example")
        (ack,) = run(_messages(first))
        since = len(mailbox.messages)
        assert tasks.enqueue_case_messages([ack["id"], ack["id"]]) == 2
        _wait(worker, lambda: run(_messages(first))[0]["status"] == "sent")
        # then the worker sent it once
        assert [m["To"] for m in mailbox.received({ack["key"]}, since)] == [f"anna-{tag}@vard.example"]

        # given a report whose enqueue was lost, and one closed in 2023 (past the 24 months' gallring)
        lost = _report(made.agreement_id, f"bo-{tag}@vard.example")
        run(
            CaseMessage.raw(
                "UPDATE case_message SET created_at = now() - interval '10 minutes' WHERE report = {}", lost
            )
        )
        with freeze(date(2023, 3, 2)):
            old = _report(made.agreement_id, None)
            run(handling.close(made.agreement_id, old, "Rutinen förtydligas.", "routine", actor=ACTOR))
        (missed,) = run(_messages(lost))
        # when beat's case sweep runs through Redis, twice
        results = [tasks.sweep_cases.apply_async(kwargs={"as_of": "2026-11-23"}) for _ in range(2)]
        _wait(worker, lambda: run(_messages(lost))[0]["status"] == "sent", results)
        counts = [r.get(timeout=10) for r in results]
        # then the lost e-mail went out once, and the old report was cleared once
        assert [m["To"] for m in mailbox.received({missed["key"]}, since)] == [f"bo-{tag}@vard.example"]
        assert [m["To"] for m in mailbox.received({ack["key"]}, since)] == [f"anna-{tag}@vard.example"]
        assert sum(c["enqueued"] for c in counts) >= 1
        cleared = run(
            FailureReport.select(FailureReport.cleared_on, FailureReport.what_happened)
            .where(FailureReport.id == old)
            .first()
        )
        assert cleared == {"cleared_on": date(2026, 11, 23), "what_happened": ""}
        assert sum(c["cleared"] for c in counts) >= 1
    finally:
        run(made.cleanup())
