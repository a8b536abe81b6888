"""Storing what the rules derive: a deferred refresh stores once, on leaving, and not on failure."""

from __future__ import annotations

import pytest

from core.clock import today
from lifecycle import store
from lifecycle.tables import StoredDeadline
from tests.agreements import create_agreement, recommend


async def _stored(agreement_id: int) -> int:
    return await StoredDeadline.count().where(StoredDeadline.agreement == agreement_id)


async def test_a_deferred_refresh_stores_once_on_leaving_and_nothing_when_the_block_fails(client):
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    derived = await _stored(agreement["id"])
    assert derived > 50  # notice and term dates, and a decision deadline per party
    await StoredDeadline.delete().where(StoredDeadline.agreement == agreement["id"])

    with pytest.raises(RuntimeError):
        async with store.deferred(today()):
            await store.refresh([agreement["id"]], today())
            raise RuntimeError("the load failed")
    assert await _stored(agreement["id"]) == 0

    async with store.deferred(today()):
        await store.refresh([agreement["id"]], today())
        await store.refresh([agreement["id"]], today())
        assert await _stored(agreement["id"]) == 0  # noted, not yet stored
    assert await _stored(agreement["id"]) == derived


async def test_the_loads_run_without_jit_compilation():
    # the load's recursive CTEs are estimated past jit_optimize_above_cost: compiled, one load of
    # three agreements took 4.8 s, 4.7 of them JIT (core.db.make_engine)
    assert (await StoredDeadline.raw("SHOW jit"))[0]["jit"] == "off"
