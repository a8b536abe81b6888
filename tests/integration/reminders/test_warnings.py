"""Validity warnings through the daily run, one test per kind: a new warning is stored, shown on
the agreement and e-mailed once to the secretariat and the stewards (not to the parties'
contacts); once its cause is fixed, the next daily run closes it and tells no one. A party
undecided too long is test_daily.py; the rules' edges are tests/unit/lifecycle/test_validity.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from core.clock import today
from lifecycle.services.agreements import get_agreement
from lifecycle.tables import Agreement
from notifications.queries import list_warnings
from tests.integration.reminders.helpers import Made, decide, deliveries, digests_of, make_agreement, send_all
from workers import runtime, tasks

run = runtime.run
# seed 002: an agreement citing the old social services act; SoL (2001:453) was replaced by
# socialtjänstlagen (2025:400) on 2025-07-01 (lifecycle.rules.laws)
OLD_SOL = "Socialtjänstlag (2001:453), 2 kap. 7 §"
NEW_SOL = "Socialtjänstlag (2025:400), 2 kap."


async def _set(made: Made, sql: str, *args: object) -> None:
    """Change the agreement's row as a correction straight in the register would: without the
    services, so only the daily run recomputes its warnings."""
    await Agreement.raw(f"UPDATE agreement SET {sql} WHERE id = {{}}", *args, made.agreement_id)


async def _both_adopted(made: Made) -> None:
    for code in made.party_ids:
        await decide(made, code, outcome="adopted", meeting=date(2019, 9, 2), anslag=date(2019, 9, 9))


async def in_force_not_adopted() -> Made:
    # in force since 2023-01-01 (the helpers' term), adopted by region 18 but not by Örebro (1880)
    made = await make_agreement(parties=("18", "1880"))
    await decide(made, "18", outcome="adopted", meeting=date(2022, 9, 1), anslag=date(2022, 9, 8))
    return made


async def adopt_in_orebro(made: Made) -> None:
    await decide(made, "1880", outcome="adopted", meeting=date(2022, 9, 5), anslag=date(2022, 9, 12))


async def past_end() -> Made:
    # a fixed term 2020-2025 without renewals, still marked active
    term = {"term_kind": "fixed", "term_start": date(2020, 1, 1), "term_end": date(2025, 12, 31)}
    made = await make_agreement(parties=("18", "1880"), term={**term, "notice_months": 6})
    await _both_adopted(made)
    return made


async def extend_the_term(made: Made) -> None:
    # the parties agreed to extend it (the other cure, ending it, is a service call that
    # recomputes the warnings at once)
    await _set(made, "term_end = {}", date(2028, 12, 31))


async def cites_replaced_law() -> Made:
    made = await make_agreement(parties=("18", "1880"))
    await _both_adopted(made)
    await _set(made, "law_refs = {}", [OLD_SOL, "Hälso- och sjukvårdslag (2017:30)"])
    return made


async def cite_the_new_law(made: Made) -> None:
    await _set(made, "law_refs = {}", [NEW_SOL, "Hälso- och sjukvårdslag (2017:30)"])


@dataclass(frozen=True)
class Case:
    kind: str
    key: str
    party_code: str | None
    says: str  # a piece of the warning's Swedish text
    make: Callable[[], Awaitable[Made]]
    resolve: Callable[[Made], Awaitable[None]]


CASES = [
    Case(
        "in_force_not_adopted",
        "in_force_not_adopted:1880",
        "1880",
        "men Örebro (1880) har inte antagit den (inget beslut)",
        in_force_not_adopted,
        adopt_in_orebro,
    ),
    Case(
        "past_end",
        "past_end:2025-12-31",
        None,
        "markerad som gällande men upphörde 31 december 2025",
        past_end,
        extend_the_term,
    ),
    Case(
        "cites_replaced_law",
        "cites_replaced_law:2001:453",
        None,
        "som ersattes av socialtjänstlagen (2025:400) den 1 juli 2025",
        cites_replaced_law,
        cite_the_new_law,
    ),
]


def warning_deliveries(made: Made) -> list[dict]:
    """Its warnings' outbox rows (a deadline reminder may fall due too, depending on the day)."""
    return [r for r in run(deliveries(made.agreement_id)) if r["source"] == "warning"]


def open_warnings(made: Made) -> list[tuple[str, str, str | None]]:
    page = run(list_warnings(agreement=made.agreement_id))
    return [(w.kind, w.key, w.party_code) for w in page.items]


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_a_new_warning_is_notified_once_to_the_secretariat_stewards_and_the_party_and_closes_when_resolved(
    case, mailbox
):
    made = run(case.make())
    since = len(mailbox.messages)
    try:
        # when the daily run has refreshed every agreement and swept
        tasks.daily.run()
        # then the warning is stored, open, and shown on the agreement
        assert open_warnings(made) == [(case.kind, case.key, case.party_code)]
        shown = run(get_agreement(made.agreement_id)).warnings
        assert [(w.kind, w.key) for w in shown] == [(case.kind, case.key)]
        assert case.says in shown[0].message
        # and it went to the stewards and the secretariat, and to the contacts of the party it is
        # about (the one that must act), once each
        rows = warning_deliveries(made)
        party = made.contacts[case.party_code] if case.party_code else []
        people = sorted([*made.stewards, made.secretariat, *party])
        assert sorted((r["kind"], r["channel"], r["recipient"]) for r in rows) == [
            (case.kind, "email", a) for a in people
        ]
        assert set(send_all(made.agreement_id).values()) == {"sent"}
        warned = {r["id"] for r in rows}
        digests = {g["key"] for g in run(digests_of(made.agreement_id)) if warned & set(g["rows"])}
        received = mailbox.received(digests, since)
        assert sorted(m["X-Test-Rcpt"] for m in received) == people
        assert all(case.says in m.get_body(("plain",)).get_content() for m in received)

        # when the next runs, today and tomorrow, find it still open
        tasks.daily.run()
        tasks.daily.run(as_of=(today() + timedelta(days=1)).isoformat())
        # then nobody hears of it again
        assert len(warning_deliveries(made)) == len(rows)

        # when its cause is fixed, and the next daily run comes
        run(case.resolve(made))
        tasks.daily.run()
        # then the warning has closed by itself, is gone from the agreement, and no one was told
        assert open_warnings(made) == []
        (closed,) = run(list_warnings(agreement=made.agreement_id, state="closed")).items
        assert (closed.key, closed.closed_at is not None) == (case.key, True)
        assert run(get_agreement(made.agreement_id)).warnings == []
        assert len(warning_deliveries(made)) == len(rows)
        assert len(mailbox.received(digests, since)) == len(rows)
    finally:
        run(made.cleanup())


def test_citing_the_old_social_services_act_is_a_warning_from_the_day_the_new_one_applies():
    # given an agreement citing SoL (2001:453), refreshed as the nights of 30 June and 1 July 2025
    made = run(cites_replaced_law())
    try:
        run(made.refresh(date(2025, 6, 30)))
        before = open_warnings(made)
        run(made.refresh(date(2025, 7, 1)))
        # then the warning opens on 1 July, when socialtjänstlagen (2025:400) applies
        assert (before, open_warnings(made)) == (
            [],
            [("cites_replaced_law", "cites_replaced_law:2001:453", None)],
        )
    finally:
        run(made.cleanup())


def test_a_warning_that_closes_and_opens_again_is_not_sent_again_to_those_told(mailbox):
    # given an agreement past its end, warned of and told to its stewards and secretariat
    made = run(past_end())
    since = len(mailbox.messages)
    try:
        tasks.daily.run()
        rows = warning_deliveries(made)
        assert len(rows) == len(made.stewards) + 1
        assert set(send_all(made.agreement_id).values()) == {"sent"}
        digests = {g["key"] for g in run(digests_of(made.agreement_id))}
        # when the term is extended (the warning closes) and then cut back (it opens again)
        run(extend_the_term(made))
        tasks.daily.run()
        assert open_warnings(made) == []
        run(_set(made, "term_end = {}", date(2025, 12, 31)))
        tasks.daily.run()
        # then it is the same warning, open again, and nobody is told a second time
        assert open_warnings(made) == [("past_end", "past_end:2025-12-31", None)]
        assert [(r["id"], r["status"]) for r in warning_deliveries(made)] == [(r["id"], "sent") for r in rows]
        assert set(send_all(made.agreement_id).values()) == {"skipped"}
        assert len(mailbox.received(digests, since)) == len(rows)
    finally:
        run(made.cleanup())
