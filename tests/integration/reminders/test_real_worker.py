"""A real `samverkan worker` process runs the sweep and the deliveries through Redis."""

from __future__ import annotations

import time
from datetime import date

from audit.trail import Actor
from notifications.subscriptions import create_subscription
from tests.integration.reminders.helpers import decide, deliveries, digests_of, make_agreement
from workers import runtime, tasks

run = runtime.run


def test_a_real_worker_sweeps_and_delivers_each_reminder_once(worker, mailbox, webhooks):
    # given an agreement with reminders due on 2024-12-31 and a webhook subscription
    made = run(make_agreement(parties=("18", "1862")))
    try:
        run(decide(made, "18", outcome="adopted", meeting=date(2022, 9, 1), anslag=date(2022, 9, 8)))
        run(decide(made, "1862", outcome="planned", meeting=date(2025, 1, 7)))
        run(made.refresh(date(2024, 12, 31)))
        secret = "worker-test-secret-0123456789abcdef"
        url = webhooks.endpoint(f"/hooks/worker/{made.domain}", secret)
        run(
            create_subscription(
                channel="webhook",
                target=url,
                agreement=made.agreement_id,
                secret=secret,
                actor=Actor.system("test"),
            )
        )
        # when beat's sweep task is sent through Redis, twice (as if beat fired twice)
        since = len(mailbox.messages)
        results = [tasks.sweep.apply_async(kwargs={"as_of": "2024-12-31"}) for _ in range(2)]
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            worker.check()
            rows = run(deliveries(made.agreement_id))
            if all(r.ready() for r in results) and rows and all(r["status"] == "sent" for r in rows):
                break
            time.sleep(0.3)
        # then the worker wrote and delivered every reminder, each once, the e-mails in one digest
        # per person
        rows = run(deliveries(made.agreement_id))
        assert {r["status"] for r in rows} == {"sent"}, [(r["recipient"], r["last_error"]) for r in rows]
        assert len(rows) == 16  # 13 e-mails as in test_outbox, plus the webhook for 3 reminders
        digests = run(digests_of(made.agreement_id))
        assert sorted(g["recipient"] for g in digests) == sorted(
            {r["recipient"] for r in rows if r["channel"] == "email"}
        )
        keys = {g["key"] for g in digests}
        assert sorted(m["X-Test-Key"] for m in mailbox.received(keys, since)) == sorted(keys)
        calls = webhooks.received(f"/hooks/worker/{made.domain}")
        assert len(calls) == 3
        assert all(c.valid_signature for c in calls)
        assert sorted(c.json["kind"] for c in calls) == [
            "deadline.reminder",
            "deadline.reminder",
            "validity_warning.opened",
        ]
        counts = [r.get(timeout=5) for r in results]
        assert sum(c["deadline_deliveries"] + c["warning_deliveries"] for c in counts) >= 16
    finally:
        run(made.cleanup())
