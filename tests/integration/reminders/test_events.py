"""What happened: followers who switched it on hear of each decision, step, notice, round and entry
into force once, in their digest (and webhooks by CloudEvents), derived from the audit trail."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from accounts import roles, users
from accounts.tables import RoleGrant, User
from audit.tables import AuditEvent
from audit.trail import Actor
from core.clock import today
from lifecycle import store
from lifecycle.rules.swedish import sv_date
from lifecycle.services.decisions import log_decision
from lifecycle.tables import ProcessStep, StoredDeadline
from lifecycle.views import DecisionIn
from notifications import delivery, follows, preferences
from notifications.delivery import Outcome
from notifications.digest_delivery import deliver_digest
from notifications.subscriptions import create_subscription
from notifications.sweep import sweep
from notifications.tables import Delivery, Digest, Preference, Subscription
from parties.tables import Party
from rounds.tables import Round
from tests.integration.conftest import bearer
from tests.integration.reminders.helpers import decide, deliveries, make_agreement, send_all
from workers import runtime

run = runtime.run
ACTOR = Actor.system("test")
SECRET = "hemlig-nyckel-för-händelserna-0123456789"


@pytest.fixture
def made(mailbox, webhooks):
    made = run(make_agreement(parties=("18", "1880")))
    step = ProcessStep(
        agreement=made.agreement_id, step="rekommendation_samverkansrad", taken_on=date(2022, 6, 1)
    )
    run(ProcessStep.insert(step).run())
    run(decide(made, "18", outcome="adopted", meeting=date(2022, 9, 1), anslag=date(2022, 9, 8)))
    made.people = []
    yield made
    run(made.cleanup())
    run(Preference.delete().where(Preference.email.is_in(made.people)).run())
    run(User.delete().where(User.email.is_in(made.people)).run())


def events_of(made) -> list[tuple[str, str, str]]:
    rows = run(deliveries(made.agreement_id))
    return sorted((r["kind"], r["recipient"], r["channel"]) for r in rows if r["source"] == "event")


def test_a_decision_logged_reaches_each_follower_who_wants_it_once_by_digest_and_webhook(
    made, mailbox, webhooks
):
    # given a follower of the agreement who wants to hear what happened, one who does not, a clerk
    # of Örebro (following its party by default) who does, and a webhook for decisions
    eager, quiet, clerk = (made.address(n) for n in ("foljare", "tyst", "namndsekreterare"))
    made.people += [eager, quiet, clerk]
    for address in (eager, quiet):
        run(follows.follow(address, address, agreement=made.agreement_id, actor=ACTOR))
    user = run(users.create_user(clerk, name="Nämndsekreteraren", password=None, actor=ACTOR))
    run(roles.grant_role(user.id, "clerk", party="1880", actor=ACTOR))
    for address in (eager, clerk):
        run(preferences.set_preference(address, frequency="daily", kinds=[], events=True, actor=ACTOR))
    url = webhooks.endpoint(f"/hooks/{made.domain}", SECRET)
    run(
        create_subscription(
            channel="webhook",
            target=url,
            agreement=made.agreement_id,
            kinds=["decision_logged"],
            secret=SECRET,
            actor=ACTOR,
        )
    )
    # when Örebro's decision is logged and the sweep runs
    data = DecisionIn(
        body="Kommunfullmäktige", meeting_date=date(2024, 12, 10), outcome="adopted", paragraph="§ 77"
    )
    decision = run(log_decision(made.agreement_id, "1880", data, actor=ACTOR))
    since = len(mailbox.messages)
    run(sweep(today()))
    # then one row per follower who wants it and channel, to nobody else (not the registrators,
    # stewards or secretariat, who get reminders, not news)
    assert events_of(made) == sorted(
        [
            ("decision_logged", clerk, "email"),
            ("decision_logged", eager, "email"),
            ("decision_logged", url, "webhook"),
        ]
    )
    (row,) = [
        r for r in run(deliveries(made.agreement_id)) if r["recipient"] == eager and r["source"] == "event"
    ]
    audit = run(
        AuditEvent.select(AuditEvent.id)
        .where((AuditEvent.entity == "party_decision") & (AuditEvent.entity_id == str(decision.id)))
        .run()
    )
    assert row["key"] == f"event:{audit[0]['id']}:{eager}:email"
    assert row["party_code"] == "1880"
    # and the digests and the webhook call say what happened
    outcomes = send_all(made.agreement_id)
    assert {v for k, v in outcomes.items() if k.startswith("event:") or eager in k} == {"sent"}
    (message,) = [m for m in mailbox.received(None, since) if m["X-Test-Rcpt"] == eager]
    body = message.get_body(("plain",)).get_content()
    assert (
        "Beslut registrerat: Antagen, Kommunfullmäktige 10 december 2024, § 77. Gäller Örebro (1880)." in body
    )
    (call,) = webhooks.received(f"/hooks/{made.domain}")
    assert call.valid_signature
    event = call.json
    assert (event["specversion"], event["type"], event["id"]) == (
        "1.0",
        "se.samverkan.event.decision_logged",
        f"event:{audit[0]['id']}:{url}:webhook",
    )
    assert event["data"]["event"]["summary"].startswith("Beslut registrerat: Antagen")
    assert event["data"]["deadline"] is None
    assert event["data"]["party"] == {"code": "1880"}

    # when the sweep runs again, and every task is called again
    again = run(sweep(today()))
    assert again.event_deliveries == []
    assert {v for k, v in send_all(made.agreement_id).items() if k.startswith("event:")} == {"skipped"}
    assert len(webhooks.received(f"/hooks/{made.domain}")) == 1
    # and one who switches it on only now does not get what happened before
    run(preferences.set_preference(quiet, frequency="daily", kinds=[], events=True, actor=ACTOR))
    run(sweep(today()))
    assert quiet not in {r for _, r, _ in events_of(made)}
    run(RoleGrant.delete().where(RoleGrant.user == user.id).run())


def test_entering_into_force_is_recorded_once_by_the_refresh_and_told_to_followers(made, mailbox):
    # given Örebro's adoption, which puts the agreement in force on a day the rules compute
    run(decide(made, "1880", outcome="adopted", meeting=date(2024, 11, 5), anslag=date(2024, 11, 12)))
    loaded = run(store.load([made.agreement_id], date(2025, 6, 1)))
    in_force_from = loaded[made.agreement_id].evaluation.in_force_from
    assert in_force_from is not None
    follower = made.address("foljare")
    made.people.append(follower)
    run(follows.follow(follower, follower, agreement=made.agreement_id, actor=ACTOR))
    run(preferences.set_preference(follower, frequency="daily", kinds=[], events=True, actor=ACTOR))

    def recorded() -> list[dict]:
        return run(
            AuditEvent.select(AuditEvent.entity_id, AuditEvent.after)
            .where(
                (AuditEvent.agreement_id == made.agreement_id) & (AuditEvent.entity == "agreement_in_force")
            )
            .output(load_json=True)
            .run()
        )

    # when the refresh runs the day before, then two days after it and again
    run(made.refresh(in_force_from - timedelta(days=1)))
    assert recorded() == []
    run(made.refresh(in_force_from + timedelta(days=2)))
    run(made.refresh(in_force_from + timedelta(days=3)))
    # then the trail holds it once, and the follower hears of it once
    assert recorded() == [
        {
            "entity_id": f"{made.agreement_id}:{in_force_from.isoformat()}",
            "after": {"in_force_from": in_force_from.isoformat()},
        }
    ]
    run(sweep(in_force_from + timedelta(days=3)))
    run(sweep(in_force_from + timedelta(days=3)))
    assert events_of(made) == [("entered_into_force", follower, "email")]
    # but a refresh long after the entry records nothing for an agreement first seen then
    other = run(make_agreement(parties=("18", "1880"), contacts=False))
    try:
        run(decide(other, "18", outcome="adopted", meeting=date(2022, 9, 1), anslag=date(2022, 9, 8)))
        run(decide(other, "1880", outcome="adopted", meeting=date(2024, 11, 5), anslag=date(2024, 11, 12)))
        run(other.refresh(in_force_from + timedelta(days=30)))
        assert (
            run(
                AuditEvent.count()
                .where(
                    (AuditEvent.agreement_id == other.agreement_id)
                    & (AuditEvent.entity == "agreement_in_force")
                )
                .run()
            )
            == 0
        )
    finally:
        run(other.cleanup())


async def test_a_follower_of_a_structure_hears_of_its_round_opened_and_answered(
    client, make_user, mailbox, webhooks
):
    # given someone who follows Örebro's structure and wants to hear what happened
    domain = f"f{uuid.uuid4().hex[:10]}.example.se"
    follower = f"foljare@{domain}"
    await follows.follow(follower, "Följaren", structure="orebro", actor=ACTOR)
    await preferences.set_preference(follower, frequency="daily", kinds=[], events=True, actor=ACTOR)
    hook = webhooks.endpoint(f"/hooks/{domain}", SECRET)
    await create_subscription(
        channel="webhook", target=hook, structure="orebro", kinds=["round_opened"], secret=SECRET, actor=ACTOR
    )
    round_id = None
    try:
        # when the secretariat opens a round of the whole structure and a clerk submits its answer
        secretariat = await make_user("secretariat", structure="orebro")
        opened = await client.post(
            "/api/structures/orebro/rounds",
            headers=bearer(secretariat),
            json={
                "kind": "enkat",
                "title": "Enkät om samverkan 2026",
                "reply_by": (today() + timedelta(days=14)).isoformat(),
            },
        )
        assert opened.status_code == 201, opened.text
        round_id = opened.json()["id"]
        clerk = await make_user("clerk", party="1884")
        answered = await client.put(
            f"/api/rounds/{round_id}/answers/1884", headers=bearer(clerk), json={"state": "submitted"}
        )
        assert answered.status_code == 200, answered.text
        result = await sweep(today())
        # then the follower's two events, of no agreement, once each
        rows = await Delivery.select(
            Delivery.id, Delivery.kind, Delivery.agreement, Delivery.party_code
        ).where((Delivery.recipient == follower) & (Delivery.source == "event"))
        assert sorted((r["kind"], r["agreement"], r["party_code"]) for r in rows) == [
            ("round_answered", None, "1884"),
            ("round_opened", None, None),
        ]
        assert {r["id"] for r in rows} <= set(result.event_deliveries)
        assert not {r["id"] for r in rows} & set((await sweep(today())).event_deliveries)
        # and the follower's digest tells them under the structure
        (digest,) = await Digest.raw(
            "SELECT DISTINCT g.id, g.key FROM digest g JOIN delivery d ON d.digest = g.id "
            "WHERE d.id = ANY({}::int[])",
            [r["id"] for r in rows],
        )
        assert await deliver_digest(digest["id"]) is Outcome.SENT
        (message,) = mailbox.received({digest["key"]})
        plain = " ".join(message.get_body(("plain",)).get_content().split())
        reply_by = sv_date(today() + timedelta(days=14))
        assert f"Runda öppnad: Enkät om samverkan 2026, svar senast {reply_by}" in plain
        party = (await Party.select(Party.name).where(Party.code == "1884").first())["name"]
        assert f"Svar på runda: svar lämnat. Gäller {party} (1884)." in plain
        assert "/structures/orebro" in plain
        # and the structure's webhook hears of the round's opening, naming the structure
        (call_row,) = await Delivery.select(Delivery.id).where(
            (Delivery.recipient == hook) & (Delivery.source == "event")
        )
        assert await delivery.deliver(call_row["id"]) is Outcome.SENT
        (call,) = webhooks.received(f"/hooks/{domain}")
        assert call.valid_signature and call.json["type"] == "se.samverkan.event.round_opened"
        assert call.json["data"]["agreement"] is None
        assert call.json["data"]["structure"]["slug"] == "orebro"
        # and the secretariat's list of its structure's deliveries shows them
        listed = await client.get("/api/deliveries", headers=bearer(secretariat), params={"limit": 500})
        assert {r["id"] for r in rows} <= {d["id"] for d in listed.json()["items"]}
    finally:
        await Digest.delete().where(Digest.recipient == follower)
        await Subscription.delete().where(Subscription.target.is_in([follower, hook]))
        await Preference.delete().where(Preference.email == follower)
        if round_id is not None:
            await StoredDeadline.delete().where(StoredDeadline.key.like(f"round:{round_id}:%"))
            await Round.delete().where(Round.id == round_id)
