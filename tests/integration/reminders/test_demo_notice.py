"""On the demo data, with the clock at a notice deadline's first reminder (2027-12-31): each person
gets at most one e-mail that day, a digest; the digests hold exactly the reminders and warnings
that would have gone out, each once per intended recipient (the undecided parties' own contacts
among them); the webhook gets its one signed call; and running everything again sends nothing
more. A real worker process does the refreshing, sweeping and sending, through Redis, to a real
SMTP server (aiosmtpd)."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from datetime import date

import pytest

from accounts.tables import RoleGrant
from audit.trail import Actor
from core.clock import freeze
from lifecycle.demo import demo_references, load_demo
from lifecycle.rules.deadlines import Deadline, DeadlineKind
from lifecycle.rules.reminders import reminder_dates
from lifecycle.tables import Agreement, AgreementParty, Steward, StoredDeadline, StoredWarning
from notifications.subscriptions import create_subscription, delete_subscription
from notifications.tables import Delivery, Digest, Subscription
from parties.tables import Contact
from workers import runtime, tasks

run = runtime.run
# The day test_demo.py loads the demo on: the open remiss's reply date counts from it, and the
# first load decides it for the whole session.
DEMO_DAY = date(2026, 11, 23)
FINAL = ("sent", "failed", "cancelled")
SECRET = "demo-webhookens-hemliga-nyckel-0123456789"
WAIT_SECONDS = 240  # an upper bound for a few hundred deliveries on two busy cores, not a timing


@pytest.fixture
def demo():
    """The demo register, loaded as test_demo.py loads it. Loading also gives every party a
    registrator address; those it added go again afterwards, because the other reminder tests
    expect their parties to have only the contacts they made."""
    before = {r["id"] for r in run(Contact.select(Contact.id).run())}
    with freeze(DEMO_DAY):
        run(load_demo())
    yield run(demo_references())
    added = [r["id"] for r in run(Contact.select(Contact.id).run()) if r["id"] not in before]
    if added:
        run(Contact.delete().where(Contact.id.is_in(added)).run())


async def intended_recipients(agreement_id: int, kind: str) -> set[str]:
    """Who a reminder of a deadline for the whole agreement is meant for, read from the tables as
    notifications/recipients.py describes it: every party's registrators and clerks (contacts, and
    users with the clerk role), the
    agreement's stewards, the structure's secretariat, and the e-mail subscriptions to the
    structure, the agreement or one of its parties that take this kind; not a clerk account that
    unfollowed its party."""
    structure = (await Agreement.select(Agreement.structure).where(Agreement.id == agreement_id).first())[
        "structure"
    ]
    parties = [
        r["party"]
        for r in await AgreementParty.select(AgreementParty.party).where(
            AgreementParty.agreement == agreement_id
        )
    ]
    contacts = await Contact.select(Contact.email).where(
        Contact.party.is_in(parties) & Contact.role.is_in(["registrator", "clerk"])
    )
    secretariat = await Contact.select(Contact.email).where(
        (Contact.structure == structure) & (Contact.role == "secretariat")
    )
    stewards = await Steward.select(Steward.email).where(Steward.agreement == agreement_id)
    subscribers = [
        r
        for r in await Subscription.select(Subscription.target, Subscription.kinds).where(
            (Subscription.channel == "email")
            & (
                (Subscription.structure == structure)
                | (Subscription.agreement == agreement_id)
                | Subscription.party.is_in(parties)
            )
        )
        if not r["kinds"] or kind in r["kinds"]
    ]
    # (a clerk account that stopped following its own party hears nothing of it)
    clerks = await RoleGrant.raw(
        'SELECT u.email FROM role_grant g JOIN app_user u ON u.id = g."user" '
        "WHERE g.role = 'clerk' AND g.party = ANY({}::int[]) AND NOT EXISTS "
        "(SELECT 1 FROM party_unfollow uf WHERE uf.email = lower(u.email) AND uf.party = g.party)",
        parties,
    )
    rows = [*contacts, *clerks, *secretariat, *stewards]
    return {r["email"].lower() for r in rows} | {r["target"].lower() for r in subscribers}


def subject_of(message) -> str:
    return " ".join(str(message["Subject"]).split())


def wait_until_delivered(worker, sweep_result, after_id: int) -> None:
    """Until the sweep task has run and every outbox row written since `after_id` is settled."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        worker.check()
        open_rows = run(
            Delivery.count().where((Delivery.id > after_id) & Delivery.status.not_in(FINAL)).run()
        )
        if sweep_result.ready() and open_rows == 0:
            return
        time.sleep(0.5)
    pytest.fail(
        f"the worker did not settle the outbox in {WAIT_SECONDS} s:\n{worker.log.read_text()[-3000:]}"
    )


def test_the_demo_as_of_the_first_notice_reminder_sends_each_person_one_digest(
    demo, worker, mailbox, webhooks
):
    # given Västra Götaland's health-care agreement (seed 003) as the demo stored it: renewed to
    # 2029-12-31, so its next notice deadline is 2028-06-30 (18 months' notice)
    agreement_id = demo["VG-HOS-2023"]
    notice = run(
        StoredDeadline.select()
        .where(
            (StoredDeadline.agreement == agreement_id)
            & (StoredDeadline.kind == "notice")
            & (StoredDeadline.due >= DEMO_DAY)
            & (StoredDeadline.cancelled == False)  # noqa: E712 (Piccolo builds SQL from ==)
        )
        .order_by(StoredDeadline.due)
        .first()
        .run()
    )
    assert (notice["due"], notice["notice_months"], notice["party_code"]) == (date(2028, 6, 30), 18, None)
    # and its first reminder by the default policy: 24 months before the end, 2027-12-31
    rule_view = Deadline(
        notice["key"], DeadlineKind.NOTICE, notice["due"], None, notice["title"], notice["notice_months"]
    )
    lead, first_day = reminder_dates(rule_view)[0]
    assert (lead, first_day) == ("6m", date(2027, 12, 31))
    # and the people it is meant for: the 50 parties' registrators, the two stewards, VästKom
    intended = run(intended_recipients(agreement_id, "notice"))
    assert {
        "registrator@harryda.example",
        "registrator@vastra-gotalandsregionen.example",
        "forvaltare@vgregion.example",
        "forvaltare@vastkom.example",
        "samverkan@vastkom.example",
    } <= intended
    assert len(intended) >= 53
    # and a webhook subscribed to the agreement's notice deadlines
    hook = f"/hooks/demo/{uuid.uuid4().hex[:10]}"
    subscription = run(
        create_subscription(
            channel="webhook",
            target=webhooks.endpoint(hook, SECRET),
            agreement=agreement_id,
            kinds=["notice"],
            secret=SECRET,
            actor=Actor.system("test"),
        )
    )
    try:
        last_id = run(Delivery.raw("SELECT coalesce(max(id), 0) AS id FROM delivery").run())[0]["id"]
        already = len(mailbox.messages)

        # when the daily run for 2027-12-31 (what POST /api/admin/sweep runs) goes to a real
        # worker, which refreshes, sweeps and sends
        daily = tasks.daily.apply_async(kwargs={"as_of": first_day.isoformat()})
        wait_until_delivered(worker, daily, last_id)

        # then every e-mail row written that day was sent, in a digest
        rows = run(Delivery.select().where((Delivery.id > last_id) & (Delivery.channel == "email")).run())
        assert {r["status"] for r in rows} == {"sent"}, [
            (r["recipient"], r["last_error"]) for r in rows if r["status"] != "sent"
        ]
        # and nobody got more than one e-mail that day
        arrived = mailbox.received(None, already)
        addressees = Counter(m["X-Test-Rcpt"] for m in arrived)
        assert addressees and max(addressees.values()) == 1, addressees.most_common(3)
        # and what would have gone out, (reminder or warning, recipient), is exactly what the
        # digests that arrived hold: each row in one digest, to its own recipient
        digests = {
            g["key"]: g
            for g in run(Digest.select().where(Digest.key.is_in([m["X-Test-Key"] for m in arrived])).run())
        }
        assert len(digests) == len(arrived)
        held = {r["id"]: r for r in rows if r["digest"] in {g["id"] for g in digests.values()}}
        would = {(r["source"], r["deadline"] or r["warning"], r["recipient"]) for r in rows}
        assert len(would) == len(rows)
        by_digest = {g["id"]: g["recipient"] for g in digests.values()}
        assert {
            (r["source"], r["deadline"] or r["warning"], by_digest[r["digest"]]) for r in held.values()
        } == would
        # and each message names every agreement it holds a row of
        titles = {r["id"]: r["title"] for r in run(Agreement.select(Agreement.id, Agreement.title).run())}
        for message in arrived:
            digest = digests[message["X-Test-Key"]]
            plain = message.get_body(("plain",)).get_content()
            for row in held.values():
                if row["digest"] == digest["id"]:
                    assert titles[row["agreement"]] in plain
        # and the notice reminder reached each intended person once
        notice_rows = [r for r in rows if r["deadline"] == notice["id"]]
        assert Counter(r["recipient"] for r in notice_rows) == Counter(intended)
        # and the demo's warnings about parties that have not decided reached those parties'
        # contacts, naming the party by name and code (other tests' agreements may hold warnings
        # opened and told before the demo added these contacts)
        undecided = run(
            StoredWarning.raw(
                "SELECT w.id, p.name, p.code, array_agg(lower(c.email)) AS contacts FROM validity_warning w "
                "JOIN party p ON p.code = w.party_code JOIN contact c ON c.party = p.id "
                "AND c.role IN ('registrator', 'clerk') "
                "WHERE w.kind = 'undecided_long' AND w.closed_at IS NULL AND w.agreement = ANY({}) "
                "GROUP BY w.id, p.name, p.code",
                list(demo.values()),
            ).run()
        )
        assert undecided, "the demo has parties undecided long after the recommendation"
        by_address = {m["X-Test-Rcpt"]: m.get_body(("plain",)).get_content() for m in arrived}
        # (a warning is told to each address once: an earlier test's sweep of the demo told some)
        told = {
            (r["warning"], r["recipient"])
            for r in run(
                Delivery.select(Delivery.warning, Delivery.recipient)
                .where((Delivery.id <= last_id) & (Delivery.source == "warning"))
                .run()
            )
        }
        for warning in undecided:
            for address in warning["contacts"]:
                if (warning["id"], address) in told:
                    continue
                assert ("warning", warning["id"], address) in would
                assert f"Gäller {warning['name']} ({warning['code']})." in by_address[address]
        # and the webhook receiver got its one signed call
        (call,) = webhooks.received(hook)
        assert call.valid_signature

        # when the daily run and the sweep run again that day
        again = tasks.daily.apply_async(kwargs={"as_of": first_day.isoformat()}).get(timeout=WAIT_SECONDS)
        sweep = tasks.sweep.apply_async(kwargs={"as_of": first_day.isoformat()}).get(timeout=WAIT_SECONDS)
        # then nothing new was written or sent
        for counts in (again, sweep):
            assert (counts["deadline_deliveries"], counts["warning_deliveries"], counts["digests"]) == (
                0,
                0,
                0,
            )
        time.sleep(2)  # a stray message would have had time to arrive
        assert len(mailbox.received(None, already)) == len(arrived)
        assert len(webhooks.received(hook)) == 1
    finally:
        run(delete_subscription(subscription.id, actor=Actor.system("test")))
