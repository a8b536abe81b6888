"""How many SQL statements, on how many connections, each main read sends: exact counts, so a
read that starts loading per agreement, per party or per cell (or evaluating twice) fails here.
The data version behind the ETag (api/conditional.py) comes from memory while the process
listens for its raises (core.db.VersionWatch), so no count includes a statement for it; a test
first lets the process learn the version (`_version_known`), as it has in its steady state.
Not a timed test: a count is the same on every machine."""

from __future__ import annotations

import uuid

import httpx
import msgspec
import pytest
from piccolo.querystring import QueryString

from tests.agreements import HARRYDA_ADOPTS, create_agreement, decide, recommend


@pytest.fixture
async def agreement(client) -> dict:
    made = await create_agreement(client)
    await recommend(client, made["id"])
    await decide(client, made["id"], "1401", HARRYDA_ADOPTS)
    return made


async def _matrix_stored_for_today(structure: str) -> list[int]:
    """What the daily run does for the matrix: every agreement of the structure derived for today
    (tests that freeze the clock leave rows stored for another day)."""
    from core.clock import today
    from lifecycle import store
    from lifecycle.tables import Agreement

    rows = await Agreement.raw(
        "SELECT a.id FROM agreement a JOIN structure s ON s.id = a.structure WHERE s.slug = {}", structure
    )
    ids = [r["id"] for r in rows]
    async with Agreement._meta.db.transaction():
        await store.refresh(ids, today())
    return ids


async def _version_known() -> None:
    """The process knows the data version, as it does once the listener has heard the last change
    (a commit here forgets it until the next read: core.db.VersionWatch)."""
    from core import db
    from piccolo_conf import DB

    await db.data_version(DB)
    assert db.versions.known is not None


async def _count(anonymous_client, statements, path: str) -> tuple[int, int]:
    """The statements of an answer worked out afresh (not given again from the answer cache)."""
    from api.conditional import answers

    await anonymous_client.get(path)  # a first view makes the published feed token once
    answers.clear()
    await _version_known()
    with statements.counting():
        response = await anonymous_client.get(path)
    assert response.status_code == 200, response.text
    return len(statements), statements.connections


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/agreements/{id}", 5),
        ("/api/agreements/{id}", 1),
        ("/api/agreements/{id}/adoption", 1),
        ("/api/agreements/{id}/term", 1),
        ("/api/agreements/{id}/timeline", 1),
        ("/api/agreements", 2),
        ("/", 3),
        ("/structures/vastra-gotaland", 8),  # its kommunalförbund, its rounds, its follow-up rounds' lead
        ("/parties/1401", 5),
        ("/api/parties/1401/agreements", 3),
    ],
)
async def test_each_read_sends_a_fixed_number_of_statements_on_one_connection(
    anonymous_client, statements, agreement, path, expected
):
    if path.startswith("/structures/"):
        await _matrix_stored_for_today("vastra-gotaland")
    sent = await _count(anonymous_client, statements, path.format(id=agreement["id"]))
    assert sent == (expected, 1), "\n".join(q[:90] for q in statements.sql)


async def test_a_pooled_connection_goes_back_without_a_reset_and_a_transaction_never_holds_a_second(
    statements,
):
    # given a pool of one connection, as the API opens it
    from core import db

    engine = db.make_engine()
    await db.open_pool(engine, max_size=1)
    try:
        with statements.counting():
            async with db.one_connection(engine):
                await engine.run_querystring(QueryString("SELECT 1"))
                # a transaction inside: with the read's connection still held, a pool of one
                # would wait for ever; it is given back first
                async with engine.transaction():
                    await engine.run_querystring(QueryString("SELECT 2"))
                await engine.run_querystring(QueryString("SELECT 3"))
            async with db.one_connection(engine):
                await engine.run_querystring(QueryString("SELECT 4"))
    finally:
        await db.close_pool(engine)
    # then: the statements and BEGIN/COMMIT, and not one reset on release
    assert [s.strip().rstrip(";").upper() for s in statements.sql] == [
        "SELECT 1",
        "BEGIN",
        "SELECT 2",
        "COMMIT",
        "SELECT 3",
        "SELECT 4",
    ]


async def test_the_matrix_reads_stored_rows_and_evaluates_afresh_only_a_row_stored_for_another_day(
    client, anonymous_client, statements
):
    from datetime import timedelta

    from core.clock import today
    from lifecycle.tables import AdoptionCell, AdoptionSummary

    # given Härryda's adoption of an agreement first in the matrix by title, and every row of the
    # matrix stored for today
    agreement = await create_agreement(client, title=f"0 matris {uuid.uuid4().hex[:6]}")
    await recommend(client, agreement["id"])
    await decide(client, agreement["id"], "1401", HARRYDA_ADOPTS)
    await _matrix_stored_for_today("vastra-gotaland")
    path = "/structures/vastra-gotaland?sort=title"
    stored, _ = await _count(anonymous_client, statements, path)
    # when that agreement's row is stored as of yesterday, not known to hold later, with Härryda's
    # cell wrong
    await AdoptionSummary.update(
        {AdoptionSummary.as_of: today() - timedelta(days=1), AdoptionSummary.settled: False}
    ).where(AdoptionSummary.agreement == agreement["id"])
    await AdoptionCell.update({AdoptionCell.status: "rejected"}).where(
        (AdoptionCell.agreement == agreement["id"]) & (AdoptionCell.party_code == "1401")
    )
    from api.conditional import answers

    answers.clear()  # the rows changed behind the product's back: no new data version
    await _version_known()
    with statements.counting():
        response = await anonymous_client.get(path)
    # then the page evaluates that row afresh (one load more) and shows the adoption the rules give
    assert len(statements) > stored
    row = response.text.split(f'href="/agreements/{agreement["id"]}"')[1].split("</tr>")[0]
    assert '<span class="visually-hidden">Antagen</span>' in row
    assert "Avslagen" not in row
    # and once stored for today again, the fixed count is back
    await _matrix_stored_for_today("vastra-gotaland")
    again, _ = await _count(anonymous_client, statements, path)
    assert again == stored


async def test_an_ended_agreements_matrix_row_stored_on_an_earlier_day_is_not_evaluated_again(
    client, anonymous_client, statements
):
    from datetime import date

    from core.clock import freeze
    from lifecycle.tables import AdoptionSummary
    from notifications.daily import refresh_all

    # given an agreement Härryda adopted (23 May 2022, final 21 June 2022) that has since ended,
    # first in the matrix by title, on 23 November 2026
    with freeze(date(2026, 11, 23)):
        agreement = await create_agreement(client, title=f"0 avslutad {uuid.uuid4().hex[:6]}")
        await recommend(client, agreement["id"])
        await decide(client, agreement["id"], "1401", HARRYDA_ADOPTS)
        ended = await client.patch(f"/api/agreements/{agreement['id']}", json={"status": "ended"})
        assert ended.status_code == 200, ended.text
    # when the daily runs of the next days have run, up to 10 January 2027
    with freeze(date(2027, 1, 10)):
        await refresh_all(date(2027, 1, 9))
        await refresh_all(date(2027, 1, 10))
        # then its row is still the one stored on 23 November 2026 (the runs left it alone)
        (stored,) = await AdoptionSummary.select(AdoptionSummary.as_of, AdoptionSummary.settled).where(
            AdoptionSummary.agreement == agreement["id"]
        )
        assert stored == {"as_of": date(2026, 11, 23), "settled": True}
        # and the matrix reads it as stored: the fixed count, with Härryda's adoption
        path = "/structures/vastra-gotaland?sort=title"
        sent = await _count(anonymous_client, statements, path)
        assert sent == (8, 1), "\n".join(q[:90] for q in statements.sql)
        response = await anonymous_client.get(path)
    row = response.text.split(f'href="/agreements/{agreement["id"]}"')[1].split("</tr>")[0]
    assert '<span class="visually-hidden">Antagen</span>' in row


async def test_an_anonymous_read_given_again_costs_no_statement_until_anything_changes(
    client, anonymous_client, statements, agreement
):
    path = f"/api/agreements/{agreement['id']}/adoption"
    first = await anonymous_client.get(path)
    await _version_known()
    # given again from the answer cache: no statement, no connection, the same bytes and ETag
    with statements.counting():
        again = await anonymous_client.get(path)
    assert (len(statements), statements.connections, again.content, again.headers["etag"]) == (
        0,
        0,
        first.content,
        first.headers["etag"],
    )
    assert again.headers["content-type"] == first.headers["content-type"]
    # a change anywhere moves the data version: the next answer is worked out afresh and shows it
    await decide(client, agreement["id"], "1402", HARRYDA_ADOPTS)
    with statements.counting():
        changed = await anonymous_client.get(path)
    # (the load, and the version unless the listener has heard the change by then)
    assert len(statements) >= 1 and changed.headers["etag"] != first.headers["etag"]
    parties = {p["party_code"]: p["status"] for p in changed.json()["parties"]}
    assert parties["1402"] == "adopted"
    # a signed-in reader's answers are never given from it (its token's lookup, and the load)
    await client.get(path)
    with statements.counting():
        await client.get(path)
    assert len(statements) > 1


async def test_readers_asking_at_once_for_an_answer_not_yet_kept_cost_it_once(
    anonymous_client, statements, agreement
):
    import asyncio

    from api.conditional import answers

    path = f"/api/agreements/{agreement['id']}/adoption"
    await anonymous_client.get(path)
    answers.clear()
    await _version_known()
    with statements.counting():
        await anonymous_client.get(path)
    once = len(statements)
    # when five readers ask at once for it, nobody having it kept (httpx's ASGI transport runs the
    # five requests concurrently on this loop; the test client would run them one by one)
    answers.clear()
    transport = httpx.ASGITransport(app=anonymous_client.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as readers:
        with statements.counting():
            given = await asyncio.gather(*(readers.get(path) for _ in range(5)))
    # then one of them works it out and the four others wait for it, costing nothing
    assert len(statements) == once, statements.sql
    assert len({g.content for g in given}) == 1 and {g.status_code for g in given} == {200}


def _kinds(sql: list[str]) -> list[str]:
    """Each statement by its first word, and the table a write writes."""
    out = []
    for q in sql:
        words = q.replace('"', "").split()
        verb = words[0].rstrip(";").upper()
        out.append(f"{verb} {words[2]}" if verb == "INSERT" else verb)
    return out


async def test_logging_a_decision_loads_once_saves_with_returning_and_reads_nothing_back(client, statements):
    # given an agreement recommended to its parties
    from audit.trail import Actor
    from lifecycle.services import decisions
    from lifecycle.views import DecisionIn

    made = await create_agreement(client)
    await recommend(client, made["id"])
    data = msgspec.convert(HARRYDA_ADOPTS, DecisionIn)
    # when Härryda's decision is logged through the service
    with statements.counting():
        view = await decisions.log_decision(made["id"], "1401", data, actor=Actor.system("test"))
    # then: the agreements locked, the party with the steps and its earlier decisions, the insert
    # returning the row, one load and one statement storing what the rules derive, the event
    assert _kinds(statements.sql) == [
        "BEGIN",
        "SELECT",  # the agreement (and what the decision covers), locked
        "SELECT",  # the party, whether it is party, the agreement's steps, its earlier decisions
        "INSERT party_decision",  # RETURNING the row the answer shows
        "WITH",  # store.load of the agreement (and those it replaces)
        "WITH",  # deadlines, warnings and the matrix's rows, in one statement
        "INSERT audit_event",
        "COMMIT",
    ], "\n".join(q[:90] for q in statements.sql)
    assert statements.connections == 1
    # and the answer built from what the insert returned is what a read of it gives
    assert view == await decisions.get_decision(view.id)


async def test_correcting_a_decision_sends_a_fixed_number_of_statements(client, statements):
    # given Härryda's decision logged
    from audit.trail import Actor
    from lifecycle.services import decisions
    from lifecycle.views import DecisionPatch

    made = await create_agreement(client)
    await recommend(client, made["id"])
    logged = await decide(client, made["id"], "1401", HARRYDA_ADOPTS)
    # when its paragraph is corrected through the service
    with statements.counting():
        view = await decisions.correct_decision(
            logged["id"], DecisionPatch(paragraph="§ 78"), actor=Actor.system("test")
        )
    # then: the decision locked, the agreement locked, the party with the steps, the update
    # returning the row, one load, one statement storing what the rules derive, the event
    assert _kinds(statements.sql) == [
        "BEGIN",
        "SELECT",
        "SELECT",
        "SELECT",
        "UPDATE",
        "WITH",
        "WITH",
        "INSERT audit_event",
        "COMMIT",
    ], "\n".join(q[:90] for q in statements.sql)
    assert view.paragraph == "§ 78"
    assert view == await decisions.get_decision(view.id)
