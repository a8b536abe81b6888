"""The sweep honours each address's preferences: unsubscribed gets nothing, kinds filter, weekly
and immediately change how rows are put in digests, and a final-week notice reminder goes at once
on its own whatever the preference."""

from __future__ import annotations

from datetime import date

import pytest

from audit.trail import Actor
from notifications import preferences
from notifications.sweep import sweep
from notifications.tables import Preference
from tests.integration.reminders.helpers import decide, deliveries, digests_of, make_agreement, send_all
from workers import runtime

run = runtime.run
AS_OF = date(2024, 12, 31)  # a Tuesday; the notice deadline 2025-06-30 is six months away
ACTOR = Actor.system("test")


@pytest.fixture
def made(mailbox):
    made = run(make_agreement(parties=("18", "1880")))
    run(decide(made, "18", outcome="adopted", meeting=date(2022, 9, 1), anslag=date(2022, 9, 8)))
    run(decide(made, "1880", outcome="planned", meeting=date(2025, 1, 7)))
    run(made.refresh(AS_OF))
    yield made
    run(made.cleanup())
    people = [*made.stewards, *(a for c in made.contacts.values() for a in c)]
    run(Preference.delete().where(Preference.email.is_in(people)).run())


def rows_of(made, recipient: str) -> list[dict]:
    return [r for r in run(deliveries(made.agreement_id)) if r["recipient"] == recipient]


def test_an_unsubscribed_address_gets_nothing_and_one_with_kinds_only_those(made, mailbox):
    gone, picky = made.stewards
    run(preferences.unsubscribe(gone, actor=ACTOR))
    run(preferences.set_preference(picky, frequency="daily", kinds=["warning"], actor=ACTOR))
    run(sweep(AS_OF))
    assert rows_of(made, gone) == []
    assert {r["kind"] for r in rows_of(made, picky)} == {"in_force_not_adopted"}
    # and the others still get everything
    assert {r["kind"] for r in rows_of(made, made.secretariat)} == {
        "notice",
        "planned_meeting",
        "in_force_not_adopted",
    }


def test_immediately_sends_each_reminder_in_a_message_of_its_own(made, mailbox):
    eager = made.contacts["1880"][0]
    run(preferences.set_preference(eager, frequency="immediately", kinds=[], actor=ACTOR))
    # even an hourly sweep before the morning digests sends these
    run(sweep(AS_OF, with_digests=False))
    mine = [g for g in run(digests_of(made.agreement_id)) if g["recipient"] == eager]
    assert sorted(len(g["rows"]) for g in mine) == [1, 1, 1]
    assert all(g["frequency"] == "immediately" for g in mine)
    # while the daily readers wait for the digests
    assert [g for g in run(digests_of(made.agreement_id)) if g["recipient"] != eager] == []
    since = len(mailbox.messages)
    send_all(made.agreement_id)
    assert len(mailbox.received({g["key"] for g in mine}, since)) == 3


def test_weekly_readers_get_one_digest_a_week(made, mailbox):
    weekly = made.stewards[0]
    run(preferences.set_preference(weekly, frequency="weekly", kinds=[], actor=ACTOR))
    run(sweep(AS_OF))
    (digest,) = [g for g in run(digests_of(made.agreement_id)) if g["recipient"] == weekly]
    assert (digest["frequency"], digest["period"]) == ("weekly", "2025-W01")  # ISO week of 2024-12-31
    # a new row two days later, the same ISO week, waits for next week's digest
    run(made.refresh(date(2025, 1, 2)))
    run(decide(made, "1880", outcome="planned", meeting=date(2025, 1, 9)))
    run(made.refresh(date(2025, 1, 2)))
    run(sweep(date(2025, 1, 2)))
    waiting = [r for r in rows_of(made, weekly) if r["digest"] is None and r["status"] == "pending"]
    assert waiting, "the new planned meeting's reminder"
    assert [g["period"] for g in run(digests_of(made.agreement_id)) if g["recipient"] == weekly] == [
        "2025-W01"
    ]
    run(sweep(date(2025, 1, 6)))  # Monday of the next week
    periods = [g["period"] for g in run(digests_of(made.agreement_id)) if g["recipient"] == weekly]
    assert periods == ["2025-W01", "2025-W02"]


def test_a_final_week_notice_reminder_goes_at_once_even_after_the_days_digest(made, mailbox):
    weekly = made.stewards[0]
    run(preferences.set_preference(weekly, frequency="weekly", kinds=[], actor=ACTOR))
    # given the day's digests already made (the warning and the meeting long since, say)
    day = date(2025, 6, 23)  # a week before the notice deadline 2025-06-30: the "7d" reminder
    run(made.refresh(day))
    run(sweep(day, with_digests=False))  # an hourly sweep at night: only what goes at once
    notice = [r for r in run(deliveries(made.agreement_id)) if r["kind"] == "notice" and r["lead"] == "7d"]
    assert notice and all(r["digest"] is not None for r in notice)
    at_once = {g["id"]: g for g in run(digests_of(made.agreement_id)) if g["frequency"] == "at_once"}
    assert {r["digest"] for r in notice} == set(at_once)
    assert all(len(g["rows"]) == 1 for g in at_once.values())
    since = len(mailbox.messages)
    send_all(made.agreement_id)
    received = mailbox.received({g["key"] for g in at_once.values()}, since)
    assert sorted(m["X-Test-Rcpt"] for m in received) == sorted(r["recipient"] for r in notice)
    assert weekly in {m["X-Test-Rcpt"] for m in received}
    assert all(
        str(m["Subject"]).startswith("Påminnelse: Sista dag för uppsägning 30 juni 2025") for m in received
    )


def test_a_clerk_follows_its_party_by_default_at_its_accounts_address(made, mailbox):
    from accounts import roles, users
    from accounts.tables import RoleGrant

    # given a user with the clerk role for Örebro (1880), not among the party's contacts
    address = f"namndsekreterare@{made.domain}"
    user = run(users.create_user(address, name="Nämndsekreteraren", password=None, actor=ACTOR))
    run(roles.grant_role(user.id, "clerk", party="1880", actor=ACTOR))
    try:
        run(sweep(AS_OF))
        # then the clerk gets what concerns Örebro and the whole agreement, as the party's contacts do
        assert sorted(r["kind"] for r in rows_of(made, address)) == [
            "in_force_not_adopted",
            "notice",
            "planned_meeting",
        ]
        assert {r["reason"] for r in rows_of(made, address)} == {"clerk"}
        since = len(mailbox.messages)
        send_all(made.agreement_id)
        (message,) = [m for m in mailbox.received(None, since) if m["X-Test-Rcpt"] == address]
        assert (
            "Du får meddelandet som nämndsekreterare för Örebro (1880)."
            in message.get_body(("plain",)).get_content()
        )
    finally:
        run(RoleGrant.delete().where(RoleGrant.user == user.id).run())


def test_a_clerk_who_unfollows_its_party_gets_nothing_of_it_until_it_follows_again(made, mailbox):
    from accounts import roles, users
    from accounts.tables import RoleGrant
    from notifications import follows

    address = f"namndsekreterare@{made.domain}"
    user = run(users.create_user(address, name="Nämndsekreteraren", password=None, actor=ACTOR))
    run(roles.grant_role(user.id, "clerk", party="1880", actor=ACTOR))
    try:
        # given the clerk stopped following Örebro, and was given the role again after
        run(follows.unfollow_party(address, "1880", actor=ACTOR))
        run(RoleGrant.delete().where(RoleGrant.user == user.id).run())
        run(roles.grant_role(user.id, "clerk", party="1880", actor=ACTOR))
        # when the sweep runs, then nothing is written for the clerk; the party's contact still gets it
        run(sweep(AS_OF))
        assert rows_of(made, address) == []
        assert rows_of(made, made.contacts["1880"][0])
        # when it follows Örebro again, the next day's sweep brings its reminders back
        run(follows.follow(address, "Nämndsekreteraren", party="1880", actor=ACTOR))
        run(made.refresh(date(2025, 1, 2)))
        run(sweep(date(2025, 1, 2)))
        assert {r["reason"] for r in rows_of(made, address)} == {"clerk"}
        assert "in_force_not_adopted" in {r["kind"] for r in rows_of(made, address)}
    finally:
        run(RoleGrant.delete().where(RoleGrant.user == user.id).run())
