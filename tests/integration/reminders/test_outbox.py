"""Each reminder reaches each person once, in one digest a day: sweeps and deliveries against real
PostgreSQL, Redis, an SMTP server and a webhook receiver, calling the task functions directly."""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from datetime import date

import pytest

from audit.trail import Actor
from core.settings import get_settings
from lifecycle.tables import Agreement
from notifications import delivery, digest_delivery
from notifications.email import message_id
from notifications.errors import TransientDeliveryError
from notifications.subscriptions import create_subscription
from notifications.sweep import sweep
from notifications.tables import Digest
from tests.integration.reminders.helpers import (
    decide,
    deliveries,
    digests_of,
    make_agreement,
    send_all,
)
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


def digest_of(made, recipient: str) -> dict:
    (digest,) = [g for g in run(digests_of(made.agreement_id)) if g["recipient"] == recipient]
    return digest


def test_every_reminder_reaches_each_person_once_in_one_digest_and_by_webhook(made, mailbox, webhooks):
    # given a webhook subscribed to the agreement's notice deadlines
    url = subscribe_webhook(made, webhooks)
    # when the sweep runs and every digest and webhook row is handed to its task
    since = len(mailbox.messages)
    result = run(sweep(AS_OF))
    outcomes = send_all(made.agreement_id)
    # then one row per reminder, recipient and channel: the notice deadline (the whole agreement)
    # to both parties' registrators, the stewards, the secretariat and the webhook; Örebro's
    # planned meeting to Örebro's registrator, the stewards and the secretariat; Örebro's missing
    # adoption (a validity warning about the party) to Örebro's registrator too, who must act
    rows = run(deliveries(made.agreement_id))
    people = [*made.stewards, made.secretariat]
    orebro = made.contacts["1880"]
    assert sorted((r["kind"], r["lead"], r["recipient"], r["channel"]) for r in rows) == sorted(
        [("notice", "6m", a, "email") for a in [*made.contacts["18"], *orebro, *people]]
        + [("notice", "6m", url, "webhook")]
        + [("planned_meeting", "7d", a, "email") for a in [*orebro, *people]]
        + [("in_force_not_adopted", None, a, "email") for a in [*orebro, *people]]
    )
    assert set(outcomes.values()) == {"sent"}
    assert {r["status"] for r in run(deliveries(made.agreement_id))} == {"sent"}
    # and each person's e-mail rows are in exactly one digest, to that person
    digests = run(digests_of(made.agreement_id))
    email_rows = {r["id"]: r for r in rows if r["channel"] == "email"}
    held = [i for g in digests for i in g["rows"]]
    assert sorted(held) == sorted(email_rows)
    assert all(email_rows[i]["recipient"] == g["recipient"] for g in digests for i in g["rows"])
    assert Counter(g["recipient"] for g in digests) == Counter({r["recipient"] for r in email_rows.values()})
    assert {g["id"] for g in digests} <= set(result.digest_ids)
    # and the SMTP server got one e-mail per person, keyed by the digest
    received = mailbox.received({g["key"] for g in digests}, since)
    assert sorted(m["X-Test-Key"] for m in received) == sorted(g["key"] for g in digests)
    assert Counter(m["X-Test-Rcpt"] for m in received) == Counter(g["recipient"] for g in digests)
    # and the webhook receiver one call, correctly signed
    calls = webhooks.received(f"/hooks/{made.domain}")
    assert len(calls) == 1
    assert calls[0].valid_signature

    # when the sweep runs again, and every task is called again
    again = run(sweep(AS_OF))
    assert (again.deadline_deliveries, again.warning_deliveries, again.digests) == ([], [], [])
    # then nothing more is sent
    assert set(send_all(made.agreement_id).values()) == {"skipped"}
    assert len(mailbox.received({g["key"] for g in digests}, since)) == len(digests)
    assert len(webhooks.received(f"/hooks/{made.domain}")) == 1


@pytest.fixture
def only_this_agreement_due(made):
    """A digest holds everything due to its recipient, from every agreement; other tests' agreements
    with the same parties would join it. Their deadlines and warnings are set aside here (the next
    refresh of those agreements brings them back)."""
    run(
        Agreement.raw(
            "UPDATE deadline SET cancelled = true WHERE agreement <> {} AND NOT cancelled", made.agreement_id
        ).run()
    )
    run(
        Agreement.raw(
            "UPDATE validity_warning SET closed_at = now() WHERE agreement <> {} AND closed_at IS NULL",
            made.agreement_id,
        ).run()
    )
    return made


def test_the_digest_is_swedish_grouped_urgent_first_with_links_and_one_click_unsubscribe(
    made, mailbox, only_this_agreement_due
):
    run(sweep(AS_OF))
    send_all(made.agreement_id)
    registrator = made.contacts["1880"][0]
    digest = digest_of(made, registrator)
    (message,) = mailbox.received({digest["key"]})
    base = "http://testserver.local"  # BASE_URL in tests/conftest.py
    # the subject counts, and names the most urgent first: the warning, then the deadlines by date
    title = run(Agreement.select(Agreement.title).where(Agreement.id == made.agreement_id).first().run())[
        "title"
    ]
    assert " ".join(str(message["Subject"]).split()) == (
        f"2 påminnelser och 1 varning. Först: Varning om giltighet: {title}"
    )
    assert message["To"].addresses[0].addr_spec == registrator
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    warning = plain.index("- Varning om giltighet:")
    meeting = plain.index("- Planerat sammanträde 7 januari 2025 (om 7 dagar)")
    notice = plain.index("- Sista dag för uppsägning 30 juni 2025 (om 6 månader)")
    assert warning < meeting < notice
    assert "Gäller Örebro (1880)." in plain
    assert "Du får meddelandet som registrator för Örebro (1880)." in plain
    assert "2025-06-30" not in plain
    assert "Sista dag att skriftligen säga upp överenskommelsen till 31 december 2026" in plain
    for text in (plain, html):
        assert f"{base}/agreements/{made.agreement_id}" in text
        assert f"{base}/feeds/agreements/{made.agreement_id}.ics" in text
        assert f"{base}/me/notifications" in text
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{base}/unsubscribe/") and unsubscribe.endswith(">")
    assert unsubscribe[1:-1] in plain
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"] == message_id(digest["key"], get_settings().mail_from)
    (stored,) = run(Digest.select(Digest.subject, Digest.status).where(Digest.id == digest["id"]).run())
    assert stored == {
        "subject": f"2 påminnelser och 1 varning. Först: Varning om giltighet: {title}",
        "status": "sent",
    }


def test_two_sweeps_racing_put_each_row_in_one_digest_and_enqueue_it_once(made):
    # given two sweeps started at the same moment on their own connections
    barrier = threading.Barrier(2)
    results = []

    def one_sweep() -> None:
        async def go():
            barrier.wait()
            return await sweep(AS_OF)

        results.append(asyncio.run(go()))

    threads = [threading.Thread(target=one_sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    # then every row was written by exactly one of them
    mine = {r["id"] for r in run(deliveries(made.agreement_id))}
    assert len(mine) == 13
    first, second = (
        {i for i in [*r.deadline_deliveries, *r.warning_deliveries] if i in mine} for r in results
    )
    assert first | second == mine
    assert first & second == set()
    # and each row is in one digest, each digest returned (to be enqueued) by one sweep
    digests = run(digests_of(made.agreement_id))
    assert sorted(i for g in digests for i in g["rows"]) == sorted(mine)
    ids = {g["id"] for g in digests}
    one, two = ({i for i in r.digest_ids if i in ids} for r in results)
    assert one | two == ids and one & two == set()


def test_the_digest_task_called_twice_sends_once(made, mailbox):
    run(sweep(AS_OF))
    one, other = (digest_of(made, a) for a in made.stewards)
    # one after the other
    assert [tasks.deliver_digest.run(one["id"]), tasks.deliver_digest.run(one["id"])] == ["sent", "skipped"]
    # and two workers at the same moment
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def one_worker() -> None:
        async def go() -> str:
            barrier.wait()
            return (await digest_delivery.deliver_digest(other["id"])).value

        outcomes.append(asyncio.run(go()))

    threads = [threading.Thread(target=one_worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(mailbox.received({one["key"]})) == 1
    assert len(mailbox.received({other["key"]})) == 1
    sent = run(deliveries(made.agreement_id, status="sent"))
    assert {r["id"] for r in sent} == {*one["rows"], *other["rows"]}
    assert all(r["sent_at"] is not None for r in sent)
    # an e-mail row never goes out on its own
    assert tasks.deliver.run(next(r["id"] for r in run(deliveries(made.agreement_id)))) == "skipped"


def test_a_digest_left_sending_by_a_dead_worker_is_sent_again_once_after_the_stale_timeout(made, mailbox):
    # given a worker that claimed a digest and died before recording anything
    run(sweep(AS_OF))
    digest = digest_of(made, made.stewards[0])
    claimed = run(Digest.raw(digest_delivery.CLAIM_SQL, 600, digest["id"], 600).run())
    assert claimed
    # while the claim is fresh, neither another worker nor the sweep touches it
    assert tasks.deliver_digest.run(digest["id"]) == "skipped"
    assert digest["id"] not in run(sweep(AS_OF)).digest_ids
    # when the claim has gone stale (as if 11 minutes had passed)
    run(
        Digest.raw(
            "UPDATE digest SET claimed_at = now() - interval '11 minutes', next_attempt_at = now() "
            "WHERE id = {}",
            digest["id"],
        ).run()
    )
    # then the sweep enqueues it again, and it is sent once
    assert digest["id"] in run(sweep(AS_OF)).digest_ids
    assert [tasks.deliver_digest.run(digest["id"]), tasks.deliver_digest.run(digest["id"])] == [
        "sent",
        "skipped",
    ]
    (message,) = mailbox.received({digest["key"]})
    assert message["Message-ID"] == message_id(digest["key"], get_settings().mail_from)
    (after,) = run(Digest.select().where(Digest.id == digest["id"]).run())
    assert (after["status"], after["attempts"]) == ("sent", 2)
    assert digest["id"] not in run(sweep(AS_OF)).digest_ids


def test_flushing_redis_between_sweep_and_delivery_loses_nothing(made, mailbox, redis_client):
    # given a sweep that enqueued its digests through the broker
    since = len(mailbox.messages)
    counts = tasks.sweep.run(as_of=AS_OF.isoformat())
    digests = {g["id"]: g["key"] for g in run(digests_of(made.agreement_id))}
    assert counts["enqueued"] >= len(digests) == 5
    assert redis_client.llen("celery") == counts["enqueued"]
    # when Redis loses everything
    redis_client.flushdb()
    # then the next sweep, while the digests are still fresh, leaves them alone...
    assert tasks.sweep.run(as_of=AS_OF.isoformat())["requeued_digests"] == 0
    # ...and once they are overdue (REENQUEUE_AFTER later), enqueues every one of them again
    run(
        Digest.raw(
            "UPDATE digest SET next_attempt_at = now() - interval '1 second' WHERE id = ANY({}::int[])",
            list(digests),
        ).run()
    )
    tasks.sweep.run(as_of=AS_OF.isoformat())
    queued = [
        (json.loads(m)["headers"]["task"], json.loads(m)["headers"]["argsrepr"])
        for m in redis_client.lrange("celery", 0, -1)
    ]
    assert {("samverkan.reminders.deliver_digest", f"({i},)") for i in digests} <= set(queued)
    # and delivering what the broker holds sends each exactly once
    for digest_id in digests:
        tasks.deliver_digest.run(digest_id)
    assert {r["status"] for r in run(deliveries(made.agreement_id))} == {"sent"}
    assert sorted(m["X-Test-Key"] for m in mailbox.received(set(digests.values()), since)) == sorted(
        digests.values()
    )


def test_a_broken_address_fails_with_its_reason_and_the_others_are_still_delivered(made, mailbox):
    # given one contact whose address cannot be valid and one the SMTP server refuses
    broken = run(made.add_contact("1880", "kalle..nilsson"))
    refused = run(made.add_contact("1880", "finns-inte"))
    mailbox.rejects[refused] = "550 5.1.1 Mailbox unavailable"
    run(sweep(AS_OF))
    outcomes = send_all(made.agreement_id)
    rows = {r["recipient"]: r for r in run(deliveries(made.agreement_id)) if r["kind"] == "notice"}
    # then both failed, permanently, saying why, with every row of their digests
    assert rows[broken]["status"] == "failed"
    assert rows[broken]["last_error"].startswith(f"Ogiltig e-postadress '{broken}'")
    assert rows[refused]["status"] == "failed"
    assert "550 5.1.1 Mailbox unavailable" in rows[refused]["last_error"]
    assert digest_of(made, refused)["attempts"] == 1  # a permanent failure is not retried
    # and everyone else got theirs
    others = [r for a, r in rows.items() if a not in (broken, refused)]
    assert {r["status"] for r in others} == {"sent"}
    assert list(outcomes.values()).count("failed") == 2


def test_a_transient_failure_is_retried_and_gives_up_after_the_last_attempt(made, mailbox):
    run(sweep(AS_OF))
    once, always = (digest_of(made, a) for a in made.stewards)
    mailbox.defers[once["recipient"]] = 1
    mailbox.defers[always["recipient"]] = 100
    # a server that says "try again later" once: the digest goes back to pending with the reason...
    with pytest.raises(TransientDeliveryError):
        tasks.deliver_digest.run(once["id"])
    (row,) = run(Digest.select().where(Digest.id == once["id"]).run())
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert "451" in row["last_error"]
    # ...and the retry sends it
    assert tasks.deliver_digest.run(once["id"]) == "sent"
    # a server that never accepts: failed after the last attempt, with the count and the reason,
    # and so are the rows it held
    for _ in range(delivery.MAX_ATTEMPTS - 1):
        with pytest.raises(TransientDeliveryError):
            tasks.deliver_digest.run(always["id"])
    assert tasks.deliver_digest.run(always["id"]) == "failed"
    (row,) = run(Digest.select().where(Digest.id == always["id"]).run())
    assert (row["status"], row["attempts"]) == ("failed", delivery.MAX_ATTEMPTS)
    assert row["last_error"].startswith(f"Gav upp efter {delivery.MAX_ATTEMPTS} försök: ")
    held = [r for r in run(deliveries(made.agreement_id)) if r["id"] in always["rows"]]
    assert {(r["status"], r["last_error"]) for r in held} == {("failed", row["last_error"])}
    assert tasks.deliver_digest.run(always["id"]) == "skipped"
    mailbox.defers.pop(always["recipient"])


def test_webhook_failures_are_sorted_into_permanent_and_transient(made, webhooks):
    url = subscribe_webhook(made, webhooks, status=410)
    run(sweep(AS_OF))
    (row,) = [r for r in run(deliveries(made.agreement_id)) if r["channel"] == "webhook"]
    assert row["recipient"] == url
    assert tasks.deliver.run(row["id"]) == "failed"
    (row,) = [r for r in run(deliveries(made.agreement_id)) if r["channel"] == "webhook"]
    assert row["last_error"].startswith("Webhookmottagaren svarade 410")


def test_a_reminder_whose_deadline_went_away_before_delivery_is_cancelled(
    made, mailbox, only_this_agreement_due
):
    # given reminders put in digests by the sweep
    since = len(mailbox.messages)
    run(sweep(AS_OF))
    # when the agreement ends before they are delivered (its deadlines are cancelled)
    run(Agreement.update({Agreement.status: "ended"}).where(Agreement.id == made.agreement_id).run())
    run(made.refresh(AS_OF))
    outcomes = send_all(made.agreement_id)
    # then nothing is sent, and the rows say why
    assert set(outcomes.values()) == {"cancelled"}
    rows = run(deliveries(made.agreement_id))
    assert {r["last_error"] for r in rows} == {"Påminnelsen ändrades eller försvann innan den skickades."}
    assert mailbox.received({g["key"] for g in run(digests_of(made.agreement_id))}, since) == []


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
