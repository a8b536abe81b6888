"""Issue 5's "done when", on the demo data: moving the clock to a notice deadline's first reminder
makes exactly one e-mail per intended recipient arrive at the SMTP server and one signed webhook
call, and running the sweep (and the deliveries) again sends nothing more. A real worker process
does the sweeping and sending, through Redis."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from datetime import date

import pytest

from audit.trail import Actor
from core.clock import freeze
from lifecycle.demo import demo_references, load_demo
from lifecycle.rules.deadlines import Deadline, DeadlineKind
from lifecycle.rules.reminders import reminder_dates
from lifecycle.tables import Agreement, AgreementParty, Steward, StoredDeadline
from notifications.subscriptions import create_subscription, delete_subscription
from notifications.tables import Delivery, Subscription
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
    notifications/recipients.py describes it: every party's registrators and clerks, the
    agreement's stewards, the structure's secretariat, and the e-mail subscriptions to the
    structure, the agreement or one of its parties that take this kind."""
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
    rows = [*contacts, *secretariat, *stewards]
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


def test_the_first_notice_reminder_on_the_demo_reaches_each_person_once(demo, worker, mailbox, webhooks):
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
        already = len(mailbox.received())

        # when the clock reads 2027-12-31 and beat's sweep runs on a real worker, which also sends
        sweep = tasks.sweep.apply_async(kwargs={"as_of": first_day.isoformat()})
        wait_until_delivered(worker, sweep, last_id)

        # then the reminder's outbox rows were all sent
        rows = run(Delivery.select().where(Delivery.deadline == notice["id"]).run())
        assert {(r["lead"], r["status"]) for r in rows} == {("6m", "sent")}, [
            (r["recipient"], r["last_error"]) for r in rows if r["status"] != "sent"
        ]
        # and the SMTP server received exactly one e-mail per intended recipient, to that recipient
        arrived = mailbox.received()[already:]
        subject = "Påminnelse: Sista dag för uppsägning 2028-06-30 – Hälso- och sjukvårdsavtal"
        reminders = [m for m in arrived if subject_of(m) == subject]
        assert Counter(m["To"].addresses[0].addr_spec.lower() for m in reminders) == Counter(intended)
        assert all(m["X-Test-Rcpt"] == m["To"].addresses[0].addr_spec.lower() for m in reminders)
        assert all(f"/agreements/{agreement_id}" in m.get_body(("plain",)).get_content() for m in reminders)
        # and no message of this sweep (the demo's other reminders and warnings) arrived twice
        keys = [m["X-Test-Key"] for m in arrived]
        assert len(keys) == len(set(keys))
        # and the webhook receiver got one call, and its signature verified
        (call,) = webhooks.received(hook)
        assert call.valid_signature
        assert (call.json["kind"], call.json["deadline"], call.json["agreement"]["id"]) == (
            "deadline.reminder",
            {"kind": "notice", "date": "2028-06-30"},
            agreement_id,
        )

        # when the sweep runs again that day, and every row it wrote for the agreement is delivered again
        again = tasks.sweep.apply_async(kwargs={"as_of": first_day.isoformat()}).get(timeout=WAIT_SECONDS)
        mine = run(
            Delivery.select(Delivery.id, Delivery.key, Delivery.channel, Delivery.status)
            .where((Delivery.agreement == agreement_id) & (Delivery.id > last_id))
            .run()
        )
        redelivered = [tasks.deliver.apply_async((r["id"],)) for r in mine]
        outcomes = [result.get(timeout=WAIT_SECONDS) for result in redelivered]

        # then the sweep wrote nothing new, anywhere, and no delivery sent anything again
        assert (again["deadline_deliveries"], again["warning_deliveries"]) == (0, 0)
        assert set(outcomes) == {"skipped"}
        emails = {r["key"] for r in mine if r["channel"] == "email" and r["status"] == "sent"}
        assert sorted(m["X-Test-Key"] for m in mailbox.received(emails)) == sorted(emails)
        assert [m for m in mailbox.received()[already:] if subject_of(m) == subject] == reminders
        assert len(webhooks.received(hook)) == 1
    finally:
        run(delete_subscription(subscription.id, actor=Actor.system("test")))
