"""What happened: followers who switched it on hear of each decision, step, notice, round and entry
into force once, in their digest (and webhooks by CloudEvents), derived from the audit trail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from accounts import roles, users
from accounts.tables import RoleGrant, User
from audit.tables import AuditEvent
from audit.trail import Actor
from core.clock import today
from lifecycle import store
from lifecycle.services.decisions import log_decision
from lifecycle.tables import ProcessStep
from lifecycle.views import DecisionIn
from notifications import follows, preferences
from notifications.subscriptions import create_subscription
from notifications.sweep import sweep
from notifications.tables import Preference
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
