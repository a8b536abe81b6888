"""A round of a whole structure (a survey across its agreements, no single agreement): Örebro's
secretariat asks the structure's 13 parties for the yearly report; each clerk answers for its
own party; the API, the lists, the deadlines list, the feeds and the pages all know it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.clock import freeze
from lifecycle.tables import StoredDeadline
from parties.tables import Party
from rounds.tables import Round
from tests.agreements import create_agreement
from tests.integration.conftest import bearer

TODAY = date(2026, 11, 23)
REPLY_BY = TODAY + timedelta(days=14)
ROUND = {
    "kind": "arlig_redovisning",
    "title": "Årlig redovisning 2026 till Örebro läns samverkan",
    "reply_by": REPLY_BY.isoformat(),
    "instructions": "Redovisa årets arbete enligt överenskommelserna.",
    "questions": [
        {"kind": "number", "text": "Hur många samordnade planer upprättades?"},
        {"kind": "scale", "text": "Hur väl fungerar samverkan (1–5)?"},
    ],
}


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


@pytest.fixture
async def orebro_codes():
    rows = await Party.raw(
        "SELECT p.code FROM party p JOIN structure s ON s.id = p.structure WHERE s.slug = 'orebro' "
        "ORDER BY p.code"
    )
    opened: list[int] = []
    yield [r["code"] for r in rows], opened
    # the round's rows go with it, so no later sweep reminds another test's clerks of it
    await StoredDeadline.raw(
        "DELETE FROM deadline WHERE structure IS NOT NULL AND split_part(key, ':', 2) = ANY({}::text[])",
        [str(i) for i in opened],
    )
    await Round.delete().where(Round.id.is_in(opened or [0]))


async def test_the_secretariat_opens_a_round_of_the_whole_structure_and_clerks_answer(
    client, make_user, orebro_codes
):
    codes, opened = orebro_codes
    assert len(codes) == 13
    secretariat = await make_user("secretariat", structure="orebro")
    # given: the secretariat opens the round on the structure, no agreement
    made = await client.post("/api/structures/orebro/rounds", headers=bearer(secretariat), json=ROUND)
    assert made.status_code == 201, made.text
    round_ = made.json()
    opened.append(round_["id"])
    assert (round_["agreement_id"], round_["agreement_title"]) == (None, None)
    assert (round_["structure"], round_["asked"]) == ("orebro", 13)
    assert sorted(p["party_code"] for p in round_["parties"]) == codes

    # when: one clerk submits, another declines, a third saves a draft
    # clerks follow their party's reminders: parties the other reminder tests do not use
    first, second, third = "1881", "1882", "1883"
    clerks = {c: await make_user("clerk", party=c) for c in (first, second, third)}
    url = f"/api/rounds/{round_['id']}/answers"
    r = await client.put(
        f"{url}/{first}",
        headers=bearer(clerks[first]),
        json={"state": "submitted", "answers": {"q1": 4, "q2": 3}},
    )
    assert r.status_code == 200, r.text
    r = await client.put(f"{url}/{second}", headers=bearer(clerks[second]), json={"state": "declined"})
    assert r.status_code == 200, r.text
    r = await client.put(
        f"{url}/{third}", headers=bearer(clerks[third]), json={"state": "draft", "answers": {"q1": "2"}}
    )
    assert r.status_code == 200, r.text
    # a clerk answers for its own party only, the secretariat for none
    refused = await client.put(f"{url}/{third}", headers=bearer(clerks[first]), json={"state": "declined"})
    assert refused.status_code == 403
    refused = await client.put(f"{url}/{third}", headers=bearer(secretariat), json={"state": "declined"})
    assert refused.status_code == 403

    # then: the overview counts 2 of 13; a viewer reads the submitted answer, not the draft
    viewer = await make_user("viewer")
    view = (await client.get(f"/api/rounds/{round_['id']}", headers=bearer(viewer))).json()
    assert (view["asked"], view["answered"]) == (13, 2)
    shown = {p["party_code"]: p for p in view["parties"]}
    assert shown[first]["answers"] == {"q1": "4", "q2": 3}
    assert (shown[third]["state"], shown[third]["answers"]) == ("draft", {})
    assert view["samverkansbrister"] is None

    # the structure's own rounds, and the party's
    listed = (await client.get("/api/structures/orebro/rounds")).json()
    assert [x["id"] for x in listed] == [round_["id"]]
    assert (listed[0]["agreement_id"], listed[0]["structure_name"]) == (None, round_["structure_name"])
    mine = (await client.get(f"/api/rounds?party={third}&open=true")).json()
    assert round_["id"] in [x["id"] for x in mine]
    assert (await client.get("/api/structures/ingen-struktur/rounds")).status_code == 404

    # the deadlines list has the structure's deadlines, without an agreement
    found = (
        await client.get(
            "/api/deadlines", params={"structure": "orebro", "kind": "round_reply", "limit": 500}
        )
    ).json()
    ours = [d for d in found["items"] if d["key"].startswith(f"round:{round_['id']}:")]
    assert sorted(d["party_code"] for d in ours) == sorted(set(codes) - {first, second})
    assert {(d["agreement_id"], d["agreement_title"], d["structure"]) for d in ours} == {
        (None, None, "orebro")
    }
    own = (await client.get("/api/deadlines", params={"party": third, "kind": "round_reply"})).json()
    assert f"round:{round_['id']}:{third}" in [d["key"] for d in own["items"]]
    # as of a day, the same rows: a structure's deadlines are stored, not derived by the rules
    as_of = (
        await client.get(
            "/api/deadlines",
            params={"structure": "orebro", "kind": "round_reply", "limit": 500, "as_of": TODAY.isoformat()},
        )
    ).json()
    assert [d for d in as_of["items"] if d["key"].startswith(f"round:{round_['id']}:")] == ours

    # the edits and the close are the structure secretariat's: a steward's or another's are refused
    steward = await make_user("steward", agreement_id=(await create_agreement(client))["id"])
    other = await make_user("secretariat", structure="vastmanland")
    for who in (steward, other, clerks[first]):
        r = await client.patch(f"/api/rounds/{round_['id']}", headers=bearer(who), json={"title": "Nej"})
        assert r.status_code == 403, r.text
    r = await client.patch(
        f"/api/rounds/{round_['id']}",
        headers=bearer(secretariat),
        json={"reply_by": (REPLY_BY + timedelta(days=1)).isoformat()},
    )
    assert r.status_code == 200, r.text
    moved = await StoredDeadline.select(StoredDeadline.due).where(
        StoredDeadline.key == f"round:{round_['id']}:{codes[0]}"
    )
    assert [m["due"] for m in moved] == [REPLY_BY + timedelta(days=1)]
    closed = await client.post(
        f"/api/rounds/{round_['id']}/close", headers=bearer(secretariat), json={"compilation": "Två svar."}
    )
    assert closed.status_code == 200, closed.text
    live = await StoredDeadline.count().where(
        (StoredDeadline.key.like(f"round%:{round_['id']}:%")) & (StoredDeadline.cancelled == False)  # noqa: E712
    )
    assert live == 0


async def test_who_may_open_a_round_of_the_whole_structure_and_what_it_refuses(
    client, make_user, orebro_codes
):
    codes, opened = orebro_codes
    path = "/api/structures/orebro/rounds"
    for who in (
        await make_user("secretariat", structure="vastmanland"),
        await make_user("clerk", party="1885"),
        await make_user("viewer"),
    ):
        r = await client.post(path, headers=bearer(who), json=ROUND)
        assert r.status_code == 403, r.text
    r = await client.post(path, json={**ROUND, "kind": "remiss"})
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "En remiss gäller ett förslag till en överenskommelse: öppna den på överenskommelsens sida."
    )
    r = await client.post(path, json={**ROUND, "parties": [codes[0], "1401"]})
    assert r.status_code == 422
    assert r.json()["detail"] == "Parterna 1401 är inte parter i samverkansstrukturen."
    r = await client.post("/api/structures/ingen-struktur/rounds", json=ROUND)
    assert r.status_code == 404
    # a chosen set of the structure's parties
    r = await client.post(path, json={**ROUND, "parties": codes[:2]})
    assert r.status_code == 201, r.text
    opened.append(r.json()["id"])
    assert r.json()["asked"] == 2


async def test_the_pages_show_a_round_of_the_whole_structure(client, make_user, orebro_codes):
    codes, opened = orebro_codes
    secretariat = await make_user("secretariat", structure="orebro")
    structure_page = await client.get("/structures/orebro", headers=bearer(secretariat))
    assert 'href="/structures/orebro/rounds/new"' in structure_page.text
    form = await client.get("/structures/orebro/rounds/new", headers=bearer(secretariat))
    assert form.status_code == 200 and "Öppna en runda för hela strukturen" in form.text
    assert 'value="remiss"' not in form.text
    sent = {
        "kind": "enkat",
        "title": "Enkät om samordnad individuell plan",
        "reply_by": "i morgon",
        "parties": codes,
        "question_text1": "Används SIP i er kommun?",
        "question_kind1": "yes_no",
    }
    bad = await client.post("/structures/orebro/rounds", headers=bearer(secretariat), data=sent)
    assert bad.status_code == 422
    assert 'id="round-reply_by-error"' in bad.text and "Enkät om samordnad individuell plan" in bad.text
    done = await client.post(
        "/structures/orebro/rounds",
        headers=bearer(secretariat),
        data={**sent, "reply_by": REPLY_BY.isoformat()},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    round_path = done.headers["location"].split("?")[0]
    opened.append(int(round_path.rsplit("/", 1)[1]))
    page = await client.get(round_path)
    assert page.status_code == 200
    assert "<strong>0 av 13</strong> parter har svarat" in page.text
    assert 'href="/structures/orebro"' in page.text

    # not a party the reminder tests use (18, 1880): a clerk follows its party's reminders
    clerk_code = "1884"
    clerk = await make_user("clerk", party=clerk_code)
    # the clerk's start page and the party's page: what we must answer
    for path in ("/", f"/parties/{clerk_code}"):
        shown = await client.get(path, headers=bearer(clerk))
        assert shown.status_code == 200
        assert "Enkät om samordnad individuell plan" in shown.text and "(hela strukturen)" in shown.text
    own = await client.get(round_path, headers=bearer(clerk))
    assert f'href="{round_path}/answers/{clerk_code}"' in own.text
    answered = await client.post(
        f"{round_path}/answers/{clerk_code}",
        headers=bearer(clerk),
        data={"q1": "ja", "state": "submitted"},
        follow_redirects=False,
    )
    assert answered.status_code == 303, answered.text
    assert "<strong>1 av 13</strong> parter har svarat" in (await client.get(round_path)).text
    listed = await client.get("/structures/orebro")
    assert "Enkät om samordnad individuell plan" in listed.text and "1 av 13" in listed.text


async def test_the_demo_has_orebros_yearly_report_to_the_structure_once(orebro_codes):
    from rounds import demo

    _, opened = orebro_codes
    assert await demo.yearly_report(TODAY) is True
    (row,) = await Round.select(Round.id, Round.agreement, Round.kind).where(Round.title == demo.YEARLY)
    opened.append(row["id"])
    assert (row["agreement"], row["kind"]) == (None, "arlig_redovisning")
    answers = await Round.raw("SELECT state FROM round_answer WHERE round = {}", row["id"])
    assert len(answers) == 13 and sorted(a["state"] for a in answers).count("submitted") == 1
    # loading the demo again opens no second one
    assert await demo.yearly_report(TODAY) is False
    assert await Round.count().where(Round.title == demo.YEARLY) == 1
