"""The demo's one-year follow-up (Örebro's principles, in force 2025-03-15, seed 002) opens a
follow-up round four weeks ahead; closing the round records the follow-up as done, so its
deadline is met and nothing more is sent for it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest

from audit.trail import Actor
from core.clock import freeze
from lifecycle import store
from lifecycle.demo import demo_references, load_demo
from lifecycle.tables import Agreement, FollowUpDone, StoredDeadline, StoredWarning
from notifications.sweep import sweep
from notifications.tables import Delivery
from parties.tables import Contact
from rounds.services import closing, follow_up_rounds
from rounds.tables import Round
from rounds.views import CloseIn

DUE = date(2026, 3, 15)


@pytest.fixture(scope="module")
async def principles() -> AsyncIterator[int]:
    before = {r["id"] for r in await Contact.select(Contact.id)}
    with freeze(date(2026, 11, 23)):  # the demo's own day (tests/integration/test_demo.py)
        await load_demo()
    yield (await demo_references(["OR-PRINCIPER-2025"]))["OR-PRINCIPER-2025"]
    added = [r["id"] for r in await Contact.select(Contact.id) if r["id"] not in before]
    if added:
        await Contact.delete().where(Contact.id.is_in(added))


OVERDUE = "follow_up_overdue:follow_up_implementation"


async def _open_warnings(agreement_id: int, as_of: date) -> set[str]:
    """The agreement's open warnings once refreshed as of `as_of`."""
    async with Agreement._meta.db.transaction():
        await store.refresh([agreement_id], as_of)
    rows = await StoredWarning.select(StoredWarning.key).where(
        (StoredWarning.agreement == agreement_id) & StoredWarning.closed_at.is_null()
    )
    return {r["key"] for r in rows}


async def _sent_kinds(agreement_id: int, ids: list[int]) -> set[str]:
    rows = await Delivery.select(Delivery.kind).where(
        (Delivery.agreement == agreement_id) & Delivery.id.is_in(ids or [0])
    )
    return {r["kind"] for r in rows}


async def test_the_one_year_follow_up_opens_its_round_and_closing_it_stops_its_reminders(principles):
    agreement_id = principles
    with freeze(date(2026, 2, 10)):
        async with Agreement._meta.db.transaction():
            await store.refresh([agreement_id], date(2026, 2, 10))
        # five weeks ahead: not yet
        assert agreement_id not in {
            r["agreement"]
            for r in await Round.select(Round.agreement).where(
                Round.id.is_in(await follow_up_rounds.open_due(date(2026, 2, 10)) or [0])
            )
        }
    with freeze(date(2026, 2, 20)):
        opened = await follow_up_rounds.open_due(date(2026, 2, 20))
        mine = (
            await Round.select()
            .where(Round.id.is_in(opened or [0]) & (Round.agreement == agreement_id))
            .first()
        )
        assert mine is not None
        assert (mine["kind"], mine["follow_up_key"], mine["reply_by"]) == (
            "uppfoljning",
            "follow_up_implementation",
            DUE,
        )
        assert await follow_up_rounds.open_due(date(2026, 2, 20)) == []  # once
        asked = await Round.raw("SELECT count(*) AS n FROM round_answer WHERE round = {}", mine["id"])
        assert asked[0]["n"] == 13
        # the follow-up's month-ahead reminder is due (sent 2026-02-15, caught up)
        first = await sweep(date(2026, 2, 20))
        assert "follow_up_implementation" in await _sent_kinds(agreement_id, first.deadline_deliveries)
        # not done by its date, it is a validity warning the day after
        assert OVERDUE in await _open_warnings(agreement_id, DUE + timedelta(days=1))
        assert OVERDUE not in await _open_warnings(agreement_id, DUE)
        await closing.close_round(
            mine["id"], CloseIn(compilation="Uppföljningen är gjord."), actor=Actor.system("tests")
        )
    done = await FollowUpDone.select().where(FollowUpDone.agreement == agreement_id).first()
    assert (done["key"], done["done_on"]) == ("follow_up_implementation", date(2026, 2, 20))
    deadline = (
        await StoredDeadline.select(StoredDeadline.cancelled)
        .where(
            (StoredDeadline.agreement == agreement_id) & (StoredDeadline.key == "follow_up_implementation")
        )
        .first()
    )
    assert deadline["cancelled"] is True
    # and done, it is no warning after its date either
    assert OVERDUE not in await _open_warnings(agreement_id, DUE + timedelta(days=1))
    # a week before the date, nothing more for the follow-up or its round
    with freeze(date(2026, 3, 8)):
        later = await sweep(date(2026, 3, 8))
    kinds = await _sent_kinds(agreement_id, later.deadline_deliveries)
    assert not kinds & {"follow_up_implementation", "round_reply", "round_late"}
