"""Lead times (default, per structure, per agreement) and who is asked: the sweep's SQL against
the rules in lifecycle.rules.reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from audit.trail import Actor
from lifecycle.rules.reminders import Lead
from notifications.policy import set_structure_policy
from notifications.subscriptions import create_subscription, delete_subscription
from notifications.sweep import sweep
from notifications.tables import Delivery
from tests.integration.reminders.helpers import decide, deliveries, make_agreement
from workers import runtime

run = runtime.run
SYSTEM = Actor.system("test")


def test_the_sql_send_date_is_the_rules_send_date_for_every_day_of_seven_years():
    days = [date(2023, 1, 1) + timedelta(days=n) for n in range((date(2030, 1, 1) - date(2023, 1, 1)).days)]
    leads = [Lead(6), Lead(1), Lead(0, 7), Lead(), Lead(18), Lead(1, 7), Lead(3), Lead(24, 1)]
    pairs = [(d, lead) for d in days for lead in leads]
    rows = run(
        Delivery.raw(
            "SELECT reminder_send_on(d, m, n) AS send_on FROM unnest({}::date[], {}::int[], {}::int[]) "
            "WITH ORDINALITY AS x(d, m, n, i) ORDER BY i",
            [d for d, _ in pairs],
            [lead.months for _, lead in pairs],
            [lead.days for _, lead in pairs],
        ).run()
    )
    assert [r["send_on"] for r in rows] == [lead.send_on(d) for d, lead in pairs]


def kinds_and_leads(agreement_id: int) -> set[tuple[str, str | None]]:
    return {(r["kind"], r["lead"]) for r in run(deliveries(agreement_id))}


@pytest.fixture
def vastmanland_policy():
    """Västmanland's own lead times for the test; back to the defaults after it."""
    policy = {"notice": ["2m"], "planned_meeting": []}
    run(set_structure_policy("vastmanland", policy, actor=SYSTEM))
    yield policy
    run(set_structure_policy("vastmanland", {}, actor=SYSTEM))


def test_a_structure_and_an_agreement_override_the_default_lead_times(vastmanland_policy):
    # given two agreements in Västmanland, which reminds of notice 2 months ahead and never of
    # planned meetings; the second agreement wants its notice reminder 1 month and 7 days ahead
    plain = run(make_agreement(structure="vastmanland", parties=("19", "1980")))
    own = run(
        make_agreement(structure="vastmanland", parties=("19", "1980"), reminder_policy={"notice": ["1m7d"]})
    )
    try:
        for made in (plain, own):
            run(decide(made, "19", outcome="adopted", meeting=date(2022, 9, 1), anslag=date(2022, 9, 8)))
            run(decide(made, "1980", outcome="planned", meeting=date(2025, 5, 1)))
        # when the sweep runs on the default's first notice reminder day (6 months before
        # 2025-06-30) and a week before the planned meeting: neither agreement reminds
        for day in (date(2024, 12, 31), date(2025, 4, 24)):
            for made in (plain, own):
                run(made.refresh(day))
            run(sweep(day))
        assert {k for k in kinds_and_leads(plain.agreement_id) if k[0] != "in_force_not_adopted"} == set()
        assert {k for k in kinds_and_leads(own.agreement_id) if k[0] != "in_force_not_adopted"} == set()
        # then the structure's 2 months (2025-04-30) and the agreement's 1 month 7 days (the month's
        # end convention: 2025-05-31 less a week) are the days each one reminds
        for day in (date(2025, 4, 30), date(2025, 5, 24)):
            for made in (plain, own):
                run(made.refresh(day))
            run(sweep(day))
        assert {(r["kind"], r["lead"], r["send_on"]) for r in run(deliveries(plain.agreement_id))} >= {
            ("notice", "2m", date(2025, 4, 30))
        }
        assert ("notice", "2m") in kinds_and_leads(plain.agreement_id)
        assert ("notice", "1m7d") in kinds_and_leads(own.agreement_id)
        assert ("notice", "2m") not in kinds_and_leads(own.agreement_id)
        assert not any(k == "planned_meeting" for k, _ in kinds_and_leads(plain.agreement_id))
    finally:
        run(plain.cleanup())
        run(own.cleanup())


def test_a_missed_sweep_catches_up_with_the_latest_reminder_only():
    made = run(make_agreement(parties=("18", "1814")))
    try:
        run(decide(made, "18", outcome="adopted", meeting=date(2022, 9, 1), anslag=date(2022, 9, 8)))
        run(decide(made, "1814", outcome="adopted", meeting=date(2022, 9, 1), anslag=date(2022, 9, 8)))
        # given no sweep between the 1-month reminder (2025-05-31) and the 1-week one (2025-06-23)
        day = date(2025, 6, 25)
        run(made.refresh(day))
        run(sweep(day))
        # then only the latest reminder due goes out, late; the one it overtook never does
        assert kinds_and_leads(made.agreement_id) == {("notice", "7d")}
        # and it is sent on the sweep's day, so its message counts 5 days left, not its lead's 7
        assert {r["send_on"] for r in run(deliveries(made.agreement_id))} == {day}
        # and a deadline already passed gets none: the day after the notice deadline, nothing new
        run(made.refresh(date(2025, 7, 1)))
        run(sweep(date(2025, 7, 1)))
        assert kinds_and_leads(made.agreement_id) == {("notice", "7d")}
    finally:
        run(made.cleanup())


@pytest.fixture
def subscribed():
    made = run(make_agreement(parties=("18", "1861")))
    run(decide(made, "18", outcome="adopted", meeting=date(2022, 9, 1), anslag=date(2022, 9, 8)))
    run(decide(made, "1861", outcome="planned", meeting=date(2025, 1, 7)))
    subscriptions = {
        name: run(create_subscription(actor=SYSTEM, channel="email", target=made.address(name), **scope))
        for name, scope in {
            "hallsberg": {"party": "1861"},  # the party: its own and the agreement-wide ones
            "lekeberg": {"party": "1814"},  # not a party to this agreement: nothing
            "lanet": {"structure": "orebro", "kinds": ["warning"]},  # every warning in the county
            "avtalet": {"agreement": made.agreement_id, "kinds": ["planned_meeting"]},
        }.items()
    }
    yield made
    for sub in subscriptions.values():
        run(delete_subscription(sub.id, actor=SYSTEM))
    run(made.cleanup())


def test_subscriptions_get_what_their_scope_and_kinds_cover(subscribed):
    made = subscribed
    run(made.refresh(date(2024, 12, 31)))
    run(sweep(date(2024, 12, 31)))
    got = {
        (r["recipient"].partition("@")[0], r["kind"])
        for r in run(deliveries(made.agreement_id))
        if r["reason"] == "subscription"
    }
    assert got == {
        ("hallsberg", "notice"),
        ("hallsberg", "planned_meeting"),
        ("hallsberg", "in_force_not_adopted"),
        ("lanet", "in_force_not_adopted"),
        ("avtalet", "planned_meeting"),
    }
