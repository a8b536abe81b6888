"""A real `samverkan worker` process runs the sweep and the deliveries through Redis."""

from __future__ import annotations

import time
from datetime import date, datetime

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
        # each call is a CloudEvents 1.0 event: its id the outbox row's key, its source the
        # agreement's page, its time when the row was written
        assert {c.headers["Content-Type"] for c in calls} == {"application/cloudevents+json; charset=utf-8"}
        assert sorted(c.json["type"] for c in calls) == [
            "se.samverkan.deadline.reminder",
            "se.samverkan.deadline.reminder",
            "se.samverkan.validity_warning.opened",
        ]
        hooks = {r["key"]: r for r in rows if r["channel"] == "webhook"}
        for call in calls:
            event = call.json
            assert event["specversion"] == "1.0"
            row = hooks[event["id"]]
            assert call.headers["X-Samverkan-Delivery"] == event["id"]
            assert event["source"] == f"http://testserver.local/agreements/{made.agreement_id}"
            assert datetime.fromisoformat(event["time"].replace("Z", "+00:00")) == row["created_at"].replace(
                microsecond=0
            )
            assert event["subject"] == row["kind"]
            assert event["data"]["agreement"]["id"] == made.agreement_id
        counts = [r.get(timeout=5) for r in results]
        assert sum(c["deadline_deliveries"] + c["warning_deliveries"] for c in counts) >= 16
    finally:
        run(made.cleanup())
