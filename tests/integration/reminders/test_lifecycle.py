"""An agreement's whole life with the clock moved forward (core.clock.freeze, no sleeping):
recommended → decisions → in force → follow-up → notice reminders 24, 19 and 18 months before the
end → renewal, and what one steward receives on which day."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from audit.trail import Actor
from core.clock import freeze
from lifecycle.services.agreements import create_agreement, update_agreement
from lifecycle.services.decisions import log_decision
from lifecycle.services.steps import record_step
from lifecycle.views import AgreementCreate, AgreementPatch, DecisionIn, StepIn, StewardIn, TermIn
from parties.tables import Party
from tests.integration.reminders.helpers import Made, deliveries, digests_of, send_all
from workers import runtime, tasks

run = runtime.run
CLERK = Actor.system("test: nämndsekreterare")


def months_starts(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        days.append(day)
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return days


def test_an_agreements_whole_life_sends_each_reminder_on_its_day(mailbox):
    tag = uuid.uuid4().hex[:10]
    domain = f"t{tag}.example.se"
    steward = f"forvaltare@{domain}"
    state: dict = {}

    async def create() -> None:
        detail = await create_agreement(
            AgreementCreate(
                structure="orebro",
                kind="overenskommelse",
                title=f"Överenskommelse om ett helt liv {tag}",
                party_codes=["18", "1880"],
                stewards=[StewardIn(name="Förvaltaren", email=steward)],
                # seed 003: 2023-01-01 – 2026-12-31, 18 months' notice, 3 years at a time
                term=TermIn(
                    kind="fixed",
                    start=date(2023, 1, 1),
                    end=date(2026, 12, 31),
                    notice_months=18,
                    renewal_years=3,
                ),
            ),
            actor=CLERK,
        )
        state["id"] = detail.id
        parties = await Party.select(Party.id, Party.code).where(Party.code.is_in(["18", "1880"]))
        state["made"] = Made(detail.id, domain, "orebro", {r["code"]: r["id"] for r in parties})
        await state["made"].add_contact("1880", "registrator")
        await record_step(
            detail.id, StepIn(step="behov_identifierat", taken_on=date(2022, 3, 1)), actor=CLERK
        )

    def step(key: str, on: date):
        return lambda: record_step(state["id"], StepIn(step=key, taken_on=on), actor=CLERK)

    def decision(code: str, outcome: str, meeting: date, anslag: date | None = None):
        data = DecisionIn(
            body="Kommunfullmäktige" if len(code) == 4 else "Regionfullmäktige",
            meeting_date=meeting,
            outcome=outcome,
            justering_date=anslag,
            anslag_date=anslag,
        )
        return lambda: log_decision(state["id"], code, data, actor=CLERK)

    actions = {
        date(2022, 3, 1): create,
        date(2022, 3, 15): step("forslag", date(2022, 3, 15)),
        date(2022, 4, 1): step("beredning", date(2022, 4, 1)),
        date(2022, 5, 2): step("rekommendation_samverkansrad", date(2022, 5, 2)),
        date(2022, 6, 1): decision("1880", "planned", date(2022, 9, 5)),
        date(2022, 6, 20): decision("18", "adopted", date(2022, 6, 15), date(2022, 6, 20)),
        date(2022, 9, 12): decision("1880", "adopted", date(2022, 9, 5), date(2022, 9, 12)),
        date(2022, 11, 1): lambda: update_agreement(
            state["id"], AgreementPatch(status="active"), actor=CLERK
        ),
    }
    reminder_days = [
        date(2022, 7, 12), date(2022, 8, 29), date(2022, 10, 4), date(2023, 9, 4),
        date(2024, 12, 31), date(2025, 5, 31), date(2025, 6, 23), date(2025, 6, 30),
        date(2026, 11, 30), date(2027, 12, 31),
    ]  # fmt: skip
    days = sorted(
        set(actions)
        | set(months_starts(date(2022, 3, 1), date(2028, 1, 1)))
        | set(reminder_days)
        | {d - timedelta(days=1) for d in reminder_days}
        | {d + timedelta(days=1) for d in reminder_days}
    )
    received: list[tuple[date, str, str | None, date | None]] = []
    try:
        for day in days:
            with freeze(day):
                if day in actions:
                    run(actions[day]())
                # the nightly refresh of this agreement, then the sweep as beat runs it (as_of: today)
                run(state["made"].refresh(day))
                tasks.sweep.run()
                pending = run(deliveries(state["id"], status="pending"))
                assert set(send_all(state["id"]).values()) <= {"sent", "skipped"}
                # (a shared secretariat may have had that day's digest in another test: its row
                # waits for tomorrow's, as the steward's never does here)
                assert [
                    r for r in run(deliveries(state["id"], status="pending")) if r["recipient"] == steward
                ] == []
                received += [
                    (day, row["kind"], row["lead"], row["due"])
                    for row in pending
                    if row["recipient"] == steward
                ]
    finally:
        if "made" in state:
            run(state["made"].cleanup())

    assert received == [
        # region 18's decision becomes legally final (anslag 2022-06-20 + three weeks, DOMAIN.md rule 2)
        (date(2022, 7, 12), "legally_final", "0d", date(2022, 7, 12)),
        # Örebro's planned meeting, a week ahead
        (date(2022, 8, 29), "planned_meeting", "7d", date(2022, 9, 5)),
        (date(2022, 10, 4), "legally_final", "0d", date(2022, 10, 4)),
        # in force when the last decision is final (2022-10-04): the follow-up a year on, a month ahead
        (date(2023, 9, 4), "follow_up_implementation", "1m", date(2023, 10, 4)),
        # and, with no follow-up recorded as done by then (no round closed), a warning once its
        # day has passed (the first run after it here: 2023-11-01)
        (date(2023, 11, 1), "follow_up_overdue", None, None),
        # notice by 2025-06-30 ends the term 2026-12-31: 24, 19 and 18 months before, and a week before
        (date(2024, 12, 31), "notice", "6m", date(2025, 6, 30)),
        (date(2025, 5, 31), "notice", "1m", date(2025, 6, 30)),
        (date(2025, 6, 23), "notice", "7d", date(2025, 6, 30)),
        (date(2025, 6, 30), "notice", "0d", date(2025, 6, 30)),
        # nobody gave notice: the term renews on 2027-01-01
        (date(2026, 11, 30), "term_end", "1m", date(2026, 12, 31)),
        # and the renewed term's notice deadline 2028-06-30 gets its reminders in turn
        (date(2027, 12, 31), "notice", "6m", date(2028, 6, 30)),
    ]
    # Örebro's registrator heard of what concerns Örebro and the whole agreement, not of region 18
    clerk = {
        (r["kind"], r["due"])
        for r in run(deliveries(state["id"]))
        if r["recipient"] == f"registrator@{domain}"
    }
    assert (("legally_final", date(2022, 7, 12)) in clerk, ("legally_final", date(2022, 10, 4)) in clerk) == (
        False,
        True,
    )
    assert ("notice", date(2025, 6, 30)) in clerk
    # and nothing was sent twice: one e-mail per digest, at most one a day per person
    keys = {g["key"] for g in run(digests_of(state["id"]))}
    assert len(mailbox.received(keys)) == len(keys)
