"""A round of a whole structure reminds as an agreement's round does: a real sweep on the reminder
day writes reminders to exactly the clerks and registrators of the parties that have not answered,
the digest e-mail and the webhook call name the structure and link to its page, and the
structure's, the party's and the personal calendars hold its dates."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest

from audit.trail import Actor
from core.clock import freeze
from lifecycle.tables import StoredDeadline
from notifications import delivery
from notifications.delivery import Outcome
from notifications.digest_delivery import deliver_digest
from notifications.feeds import queries
from notifications.feeds.links import subscribe_links
from notifications.feeds.scopes import Scope, ScopeKind
from notifications.subscriptions import create_subscription
from notifications.sweep import sweep
from notifications.tables import Delivery, Digest, Subscription
from parties.tables import Contact, Party
from rounds.tables import Round
from tests.integration.conftest import bearer

TODAY = date(2026, 11, 23)
REPLY_BY = TODAY + timedelta(days=14)
BASE = "http://testserver.local"
SECRET = "strukturrundans-hemliga-nyckel-0123456789"


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


@pytest.fixture
async def orebro(mailbox, webhooks):
    """Örebro's 13 parties, each with a registrator of this test's own domain."""
    rows = await Party.raw(
        "SELECT p.id, p.code FROM party p JOIN structure s ON s.id = p.structure WHERE s.slug = 'orebro' "
        "ORDER BY p.code"
    )
    domain = f"s{uuid.uuid4().hex[:10]}.example.se"
    contacts = await Contact.insert(
        *[
            Contact(
                party=r["id"],
                role="registrator",
                name=f"Registrator {r['code']}",
                email=f"reg{r['code']}@{domain}",
            )
            for r in rows
        ]
    ).returning(Contact.id)
    state: dict = {"rounds": [], "people": []}
    yield [r["code"] for r in rows], domain, state
    await Contact.delete().where(Contact.id.is_in([c["id"] for c in contacts]))
    await Subscription.delete().where(Subscription.target.like(f"%{domain}%"))
    await Digest.raw(
        "DELETE FROM digest WHERE recipient LIKE {} OR recipient = ANY({}::text[])",
        f"%@{domain}",
        state["people"],
    )
    await StoredDeadline.raw(
        "DELETE FROM deadline WHERE structure IS NOT NULL AND split_part(key, ':', 2) = ANY({}::text[])",
        [str(i) for i in state["rounds"]],
    )
    await Round.delete().where(Round.id.is_in(state["rounds"] or [0]))


async def test_a_sweep_reminds_only_the_parties_that_have_not_answered_a_round_of_the_structure(
    client, make_user, orebro, mailbox, webhooks
):
    codes, domain, state = orebro
    hook = f"/hooks/structure-round/{domain}"
    await create_subscription(
        channel="webhook",
        target=webhooks.endpoint(hook, SECRET),
        structure="orebro",
        kinds=["round_reply"],
        secret=SECRET,
        actor=Actor.system("test"),
    )
    secretariat = await make_user("secretariat", structure="orebro")
    opened = await client.post(
        "/api/structures/orebro/rounds",
        headers=bearer(secretariat),
        json={
            "kind": "arlig_redovisning",
            "title": "Årlig redovisning 2026",
            "reply_by": REPLY_BY.isoformat(),
        },
    )
    assert opened.status_code == 201, opened.text
    round_id = opened.json()["id"]
    state["rounds"].append(round_id)
    # clerks follow their party's reminders: parties the other reminder tests do not use
    first, second, third = "1881", "1882", "1883"
    clerks = {c: await make_user("clerk", party=c) for c in (first, second, third)}
    state["people"] += [u.email for u in clerks.values()] + [secretariat.email]
    url = f"/api/rounds/{round_id}/answers"
    for code, body in (
        (first, {"state": "submitted"}),
        (second, {"state": "declined"}),
        (third, {"state": "draft"}),
    ):
        r = await client.put(f"{url}/{code}", headers=bearer(clerks[code]), json=body)
        assert r.status_code == 200, r.text

    # when: the sweep runs a week before the reply-by date
    result = await sweep(REPLY_BY - timedelta(days=7))

    # then: one reminder per party that has not answered, to its registrator, the clerk who only
    # saved a draft, and the structure's webhook; none to the secretariat, none for an agreement
    ours = [
        r["id"]
        for r in await StoredDeadline.raw(
            "SELECT id FROM deadline WHERE key LIKE {} AND structure IS NOT NULL", f"round:{round_id}:%"
        )
    ]
    rows = await Delivery.select(
        Delivery.id,
        Delivery.recipient,
        Delivery.kind,
        Delivery.party_code,
        Delivery.agreement,
        Delivery.channel,
    ).where(Delivery.deadline.is_in(ours))
    assert {r["id"] for r in rows} <= set(result.deadline_deliveries)
    not_answered = set(codes) - {first, second}
    assert len(not_answered) == 11
    emailed = {r["recipient"] for r in rows if r["channel"] == "email"}
    # the clerks follow their party: this test's who saved a draft, and any other test's clerk
    # account of a party that has not answered (the session's database is shared)
    clerk_accounts = {
        r["email"]
        for r in await Party.raw(
            'SELECT lower(u.email) AS email FROM role_grant g JOIN app_user u ON u.id = g."user" '
            "JOIN party p ON p.id = g.party WHERE g.role = 'clerk' AND p.code = ANY({}::text[])",
            sorted(not_answered),
        )
    }
    assert clerks[third].email in clerk_accounts
    assert emailed == {f"reg{c}@{domain}" for c in not_answered} | clerk_accounts
    assert not emailed & {clerks[first].email, clerks[second].email, secretariat.email}
    assert {r["party_code"] for r in rows} == not_answered
    assert {(r["kind"], r["agreement"]) for r in rows} == {("round_reply", None)}
    assert len([r for r in rows if r["channel"] == "webhook"]) == 11

    # the digest names the structure and links to its page; the webhook has no agreement
    (digest,) = await Digest.raw(
        "SELECT g.id, g.key FROM digest g JOIN delivery d ON d.digest = g.id WHERE d.id = ANY({}::int[]) "
        "AND g.recipient = {}",
        [r["id"] for r in rows],
        f"reg{codes[0]}@{domain}",
    )
    assert await deliver_digest(digest["id"]) is Outcome.SENT
    (message,) = mailbox.received({digest["key"]})
    plain = message.get_body(("plain",)).get_content()
    # (the region's registrator may be told of other tests' agreements in the same digest)
    section = plain[plain.index(": hela strukturen") :]
    assert "Sista dag att svara 7 december 2026" in section and "Årlig redovisning 2026" in section
    assert re.search(rf"^Samverkansstrukturen: {BASE}/structures/orebro\r?$", plain, re.M)
    webhook_row = next(r for r in rows if r["channel"] == "webhook" and r["party_code"] == codes[0])
    assert await delivery.deliver(webhook_row["id"]) is Outcome.SENT
    (call,) = webhooks.received(hook)
    assert call.json["data"]["agreement"] is None
    assert call.json["data"]["structure"]["slug"] == "orebro"
    assert call.json["source"] == f"{BASE}/structures/orebro"

    # the secretariat's rows list shows them (GET /api/deliveries of its structure)
    listed = await client.get("/api/deliveries", headers=bearer(secretariat), params={"limit": 500})
    assert listed.status_code == 200, listed.text
    assert webhook_row["id"] in [d["id"] for d in listed.json()["items"]]

    # the calendars: the structure's feed, the party's, and the secretariat's and the clerk's own
    feed = await client.get((await subscribe_links("structure", "orebro")).https)
    assert feed.status_code == 200, feed.text
    assert f"UID:structure-{await _structure_id()}-round-{round_id}-{codes[0]}@" in feed.text
    assert "Sista dag att svara: Årlig redovisning 2026" in feed.text
    party_feed = await client.get((await subscribe_links("party", third)).https)
    assert f"-round-{round_id}-{third}@" in party_feed.text
    own = {
        r["key"]
        for r in await queries.feed_rows(Scope(ScopeKind.USER, str(secretariat.id)), since=_long_ago())
    }
    assert f"round:{round_id}:{codes[0]}" in own
    clerk_own = {
        r["key"]
        for r in await queries.feed_rows(Scope(ScopeKind.USER, str(clerks[third].id)), since=_long_ago())
    }
    assert f"round:{round_id}:{third}" in clerk_own and f"round:{round_id}:{codes[0]}" not in clerk_own
    # once answered, the party's reminder stops and its calendar event says so
    done = await client.put(f"{url}/{third}", headers=bearer(clerks[third]), json={"state": "submitted"})
    assert done.status_code == 200
    (answered,) = await StoredDeadline.select(StoredDeadline.kind, StoredDeadline.title).where(
        StoredDeadline.key == f"round:{round_id}:{third}"
    )
    assert answered == {"kind": "round_answered", "title": "Besvarad: Årlig redovisning 2026"}


async def _structure_id() -> int:
    return (await Party.raw("SELECT id FROM structure WHERE slug = 'orebro'"))[0]["id"]


def _long_ago():
    from datetime import UTC, datetime

    return datetime(2000, 1, 1, tzinfo=UTC)
