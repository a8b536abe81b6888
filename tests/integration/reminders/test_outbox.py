"""Each reminder reaches each person once: sweeps and deliveries against real PostgreSQL, Redis,
an SMTP server and a webhook receiver, calling the task functions directly."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import date

import pytest

from audit.trail import Actor
from core.settings import get_settings
from lifecycle.tables import Agreement
from notifications import delivery
from notifications.email import message_id
from notifications.errors import TransientDeliveryError
from notifications.subscriptions import create_subscription
from notifications.sweep import sweep
from tests.integration.reminders.helpers import decide, deliveries, make_agreement, set_row
from workers import runtime, tasks

run = runtime.run
# Six months before the notice deadline 2025-06-30 of a term ending 2026-12-31 (18 months' notice):
# the first notice reminder, 24 months before the end (DOMAIN.md).
AS_OF = date(2024, 12, 31)
SECRET = "hemlig-nyckel-för-webhooken-0123456789"


@pytest.fixture
def made(mailbox, webhooks):
    """Region 18 adopted in 2022; Örebro kommun (1880) plans to decide on 2025-01-07."""
    made = run(make_agreement(parties=("18", "1880")))
    run(decide(made, "18", outcome="adopted", meeting=date(2022, 9, 1), anslag=date(2022, 9, 8)))
    run(decide(made, "1880", outcome="planned", meeting=date(2025, 1, 7)))
    run(made.refresh(AS_OF))
    yield made
    run(made.cleanup())


def subscribe_webhook(made, webhooks, *, kinds=("notice",), status=204) -> str:
    url = webhooks.endpoint(f"/hooks/{made.domain}", SECRET, status)
    run(
        create_subscription(
            channel="webhook",
            target=url,
            agreement=made.agreement_id,
            kinds=list(kinds),
            secret=SECRET,
            actor=Actor.system("test"),
        )
    )
    return url


def sweep_ids(as_of: date = AS_OF) -> list[int]:
    return run(sweep(as_of)).delivery_ids


def deliver_all(made) -> dict[int, str]:
    return {row["id"]: tasks.deliver.run(row["id"]) for row in run(deliveries(made.agreement_id))}


def test_every_reminder_reaches_each_person_once_by_email_and_webhook(made, mailbox, webhooks):
    # given a webhook subscribed to the agreement's notice deadlines
    url = subscribe_webhook(made, webhooks)
    # when the sweep runs and every delivery is handed to the deliver task
    sweep_ids()
    outcomes = deliver_all(made)
    # then one row per reminder, recipient and channel: the notice deadline (the whole agreement)
    # to both parties' registrators, the stewards, the secretariat and the webhook; Örebro's
    # planned meeting to Örebro's registrator, the stewards and the secretariat; Örebro's missing
    # adoption (a validity warning) to the stewards and the secretariat
    rows = run(deliveries(made.agreement_id))
    people = [*made.stewards, made.secretariat]
    assert sorted((r["kind"], r["lead"], r["recipient"], r["channel"]) for r in rows) == sorted(
        [("notice", "6m", a, "email") for a in [*made.contacts["18"], *made.contacts["1880"], *people]]
        + [("notice", "6m", url, "webhook")]
        + [("planned_meeting", "7d", a, "email") for a in [*made.contacts["1880"], *people]]
        + [("in_force_not_adopted", None, a, "email") for a in people]
    )
    assert set(outcomes.values()) == {"sent"}
    assert {r["status"] for r in run(deliveries(made.agreement_id))} == {"sent"}
    # and the SMTP server got exactly one e-mail per e-mail row, to that row's recipient
    email_rows = {r["key"]: r for r in rows if r["channel"] == "email"}
    received = mailbox.received(set(email_rows))
    assert sorted(m["X-Test-Key"] for m in received) == sorted(email_rows)
    assert all(m["X-Test-Rcpt"] == email_rows[m["X-Test-Key"]]["recipient"] for m in received)
    # and the webhook receiver one call, correctly signed
    calls = webhooks.received(f"/hooks/{made.domain}")
    assert len(calls) == 1
    assert calls[0].valid_signature
    body = calls[0].json
    assert (body["kind"], body["deadline"], body["agreement"]["id"]) == (
        "deadline.reminder",
        {"kind": "notice", "date": "2025-06-30"},
        made.agreement_id,
    )

    # when the sweep runs again, and the deliver task is called again for every row
    assert [i for i in sweep_ids() if i in email_rows or i in {r["id"] for r in rows}] == []
    again = deliver_all(made)
    # then nothing more is sent
    assert set(again.values()) == {"skipped"}
    assert len(mailbox.received(set(email_rows))) == len(email_rows)
    assert len(webhooks.received(f"/hooks/{made.domain}")) == 1


def test_the_email_is_swedish_plain_and_html_with_links_to_the_agreement_and_its_feed(made, mailbox):
    sweep_ids()
    row = next(
        r
        for r in run(deliveries(made.agreement_id))
        if r["kind"] == "notice" and r["recipient"] == made.stewards[0]
    )
    assert tasks.deliver.run(row["id"]) == "sent"
    (message,) = mailbox.received({row["key"]})
    base = "http://testserver.local"  # BASE_URL in tests/conftest.py
    agreement_url = f"{base}/agreements/{made.agreement_id}"
    feed_url = f"{base}/feeds/agreements/{made.agreement_id}.ics"
    assert message["Subject"].startswith("Påminnelse: Sista dag för uppsägning 2025-06-30")
    assert message["To"].addresses[0].addr_spec == made.stewards[0]
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Sista dag att skriftligen säga upp överenskommelsen till 31 december 2026" in plain
    assert "Tidsfrist: 2025-06-30 (om 6 månader)." in plain
    assert "förvaltare av överenskommelsen" in plain
    for text in (plain, html):
        assert agreement_url in text
        assert feed_url in text
    assert message["Message-ID"] == message_id(row["key"], get_settings().mail_from)


def test_two_sweeps_racing_write_and_enqueue_each_reminder_once(made):
    # given two sweeps started at the same moment on their own connections
    barrier = threading.Barrier(2)
    results: list[list[int]] = []

    def one_sweep() -> None:
        async def go() -> list[int]:
            barrier.wait()
            return (await sweep(AS_OF)).delivery_ids

        results.append(asyncio.run(go()))

    threads = [threading.Thread(target=one_sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # then every row of the agreement was returned (to be enqueued) by exactly one of them
    mine = {r["id"] for r in run(deliveries(made.agreement_id))}
    assert len(mine) == 12
    first, second = ({i for i in ids if i in mine} for ids in results)
    assert first | second == mine
    assert first & second == set()


def test_the_deliver_task_called_twice_for_a_row_sends_once(made, mailbox):
    sweep_ids()
    row = run(deliveries(made.agreement_id))[0]
    # one after the other
    assert [tasks.deliver.run(row["id"]), tasks.deliver.run(row["id"])] == ["sent", "skipped"]
    # and two workers at the same moment
    other = run(deliveries(made.agreement_id))[1]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def one_worker() -> None:
        async def go() -> str:
            barrier.wait()
            return (await delivery.deliver(other["id"])).value

        outcomes.append(asyncio.run(go()))

    threads = [threading.Thread(target=one_worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(mailbox.received({row["key"]})) == 1
    assert len(mailbox.received({other["key"]})) == 1
    sent = run(deliveries(made.agreement_id, status="sent"))
    assert {r["id"] for r in sent} == {row["id"], other["id"]}
    assert all(r["attempts"] == 1 and r["sent_at"] is not None for r in sent)


def test_a_row_left_sending_by_a_dead_worker_is_sent_again_once_after_the_stale_timeout(made, mailbox):
    # given a worker that handed the e-mail to the SMTP server and died before recording it
    sweep_ids()
    row = next(r for r in run(deliveries(made.agreement_id)) if r["channel"] == "email")
    claimed = run(delivery.Delivery.raw(delivery.CLAIM_SQL, 600, row["id"], 600).run())[0]
    delivery.send(claimed, get_settings())
    assert len(mailbox.received({row["key"]})) == 1
    # while the claim is fresh, neither another worker nor the sweep touches the row
    assert tasks.deliver.run(row["id"]) == "skipped"
    assert row["id"] not in sweep_ids()
    # when the claim has gone stale (as if 11 minutes had passed)
    run(set_row(row["id"], "claimed_at = now() - interval '11 minutes', next_attempt_at = now()"))
    # then the sweep enqueues it again, and it is sent once more, with the same Message-ID and
    # delivery key so that the receiver can drop the duplicate (docs/reminders.md)
    assert row["id"] in sweep_ids()
    assert [tasks.deliver.run(row["id"]), tasks.deliver.run(row["id"])] == ["sent", "skipped"]
    first, second = mailbox.received({row["key"]})
    assert first["Message-ID"] == second["Message-ID"]
    assert first["X-Test-Key"] == second["X-Test-Key"] == row["key"]
    (after,) = [r for r in run(deliveries(made.agreement_id)) if r["id"] == row["id"]]
    assert (after["status"], after["attempts"]) == ("sent", 2)
    assert row["id"] not in sweep_ids()


def test_flushing_redis_between_sweep_and_delivery_loses_nothing(made, mailbox, redis_client):
    # given a sweep that enqueued its rows through the broker
    counts = tasks.sweep.run(as_of=AS_OF.isoformat())
    mine = {r["id"]: r["key"] for r in run(deliveries(made.agreement_id))}
    assert counts["enqueued"] >= len(mine) == 12
    assert redis_client.llen("celery") == counts["enqueued"]
    # when Redis loses everything
    redis_client.flushdb()
    # then the next sweep, while the rows are still fresh, leaves them alone...
    assert tasks.sweep.run(as_of=AS_OF.isoformat())["requeued"] == 0
    # ...and once they are overdue (REENQUEUE_AFTER later), enqueues every one of them again
    for delivery_id in mine:
        run(set_row(delivery_id, "next_attempt_at = now() - interval '1 second'"))
    tasks.sweep.run(as_of=AS_OF.isoformat())
    queued = [json.loads(m)["headers"]["argsrepr"] for m in redis_client.lrange("celery", 0, -1)]
    assert {f"({i},)" for i in mine} <= set(queued)
    # and delivering what the broker holds sends each exactly once
    for delivery_id in mine:
        tasks.deliver.run(delivery_id)
    assert {r["status"] for r in run(deliveries(made.agreement_id))} == {"sent"}
    assert sorted(m["X-Test-Key"] for m in mailbox.received(set(mine.values()))) == sorted(mine.values())


def test_a_broken_address_fails_with_its_reason_and_the_others_are_still_delivered(made, mailbox):
    # given one contact whose address cannot be valid and one the SMTP server refuses
    broken = run(made.add_contact("1880", "kalle..nilsson"))
    refused = run(made.add_contact("1880", "finns-inte"))
    mailbox.rejects[refused] = "550 5.1.1 Mailbox unavailable"
    sweep_ids()
    outcomes = deliver_all(made)
    rows = {r["recipient"]: r for r in run(deliveries(made.agreement_id)) if r["kind"] == "notice"}
    # then both failed, permanently, saying why
    assert rows[broken]["status"] == "failed"
    assert rows[broken]["last_error"].startswith(f"Ogiltig e-postadress '{broken}'")
    assert rows[refused]["status"] == "failed"
    assert "550 5.1.1 Mailbox unavailable" in rows[refused]["last_error"]
    assert rows[refused]["attempts"] == 1  # a permanent failure is not retried
    # and everyone else got theirs
    others = [r for a, r in rows.items() if a not in (broken, refused)]
    assert {r["status"] for r in others} == {"sent"}
    assert len(mailbox.received({r["key"] for r in others})) == len(others)
    assert list(outcomes.values()).count("failed") == 4  # the notice and the meeting, each twice


def test_a_transient_failure_is_retried_and_gives_up_after_the_last_attempt(made, mailbox):
    sweep_ids()
    rows = [r for r in run(deliveries(made.agreement_id)) if r["kind"] == "notice"]
    once, always = rows[0], rows[1]
    mailbox.defers[once["recipient"]] = 1
    mailbox.defers[always["recipient"]] = 100
    # a server that says "try again later" once: the row goes back to pending with the reason...
    with pytest.raises(TransientDeliveryError):
        tasks.deliver.run(once["id"])
    (row,) = [r for r in run(deliveries(made.agreement_id)) if r["id"] == once["id"]]
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert "451" in row["last_error"]
    # ...and the retry sends it
    assert tasks.deliver.run(once["id"]) == "sent"
    # a server that never accepts: failed after the last attempt, with the count and the reason
    for _ in range(delivery.MAX_ATTEMPTS - 1):
        with pytest.raises(TransientDeliveryError):
            tasks.deliver.run(always["id"])
    assert tasks.deliver.run(always["id"]) == "failed"
    (row,) = [r for r in run(deliveries(made.agreement_id)) if r["id"] == always["id"]]
    assert (row["status"], row["attempts"]) == ("failed", delivery.MAX_ATTEMPTS)
    assert row["last_error"].startswith(f"Gav upp efter {delivery.MAX_ATTEMPTS} försök: ")
    assert tasks.deliver.run(always["id"]) == "skipped"
    mailbox.defers.pop(always["recipient"])


def test_webhook_failures_are_sorted_into_permanent_and_transient(made, webhooks):
    url = subscribe_webhook(made, webhooks, status=410)
    sweep_ids()
    (row,) = [r for r in run(deliveries(made.agreement_id)) if r["channel"] == "webhook"]
    assert row["recipient"] == url
    assert tasks.deliver.run(row["id"]) == "failed"
    (row,) = [r for r in run(deliveries(made.agreement_id)) if r["channel"] == "webhook"]
    assert row["last_error"].startswith("Webhookmottagaren svarade 410")


def test_a_reminder_whose_deadline_went_away_before_delivery_is_cancelled(made, mailbox):
    # given reminders written by the sweep
    sweep_ids()
    # when the agreement ends before they are delivered (its deadlines are cancelled)
    run(Agreement.update({Agreement.status: "ended"}).where(Agreement.id == made.agreement_id).run())
    run(made.refresh(AS_OF))
    outcomes = deliver_all(made)
    # then nothing is sent, and the rows say why
    assert set(outcomes.values()) == {"cancelled"}
    rows = run(deliveries(made.agreement_id))
    assert {r["last_error"] for r in rows} == {
        "Tidsfristen ändrades eller försvann innan det skickades.",
        "Varningen ändrades eller försvann innan det skickades.",
    }
    assert mailbox.received({r["key"] for r in rows}) == []


@pytest.mark.parametrize(
    ("text", "in_key"),
    [
        ("anna.berg@harryda.se", "anna.berg@harryda.se"),  # as it is: existing keys keep matching
        ("anna@härryda.se", "anna@h%C3%A4rryda.se"),
        ("https://hook.example/å ö", "https://hook.example/%C3%A5%20%C3%B6"),
    ],
)
def test_an_address_is_printable_ascii_in_a_delivery_key(text, in_key):
    (row,) = run(Agreement.raw("SELECT delivery_key_text({}) AS key", text).run())
    assert row["key"] == in_key
