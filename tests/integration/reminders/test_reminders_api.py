"""The reminders API: deadlines, warnings, deliveries, subscriptions, policies, a sweep on demand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.clock import today
from notifications import digest_delivery
from notifications.sweep import sweep
from tests.integration.reminders.helpers import decide, digests_of, make_agreement

PROBLEM = "application/problem+json"


@pytest.fixture
async def made(mailbox):
    """A draft adopted by region 18; Degerfors (1862) meets in a week, so its reminder is due today."""
    made = await make_agreement(parties=("18", "1862"), status="draft", term={"term_kind": "none"})
    await decide(made, "18", outcome="adopted", meeting=date(2022, 9, 1), anslag=date(2022, 9, 8))
    await decide(made, "1862", outcome="planned", meeting=today() + timedelta(days=7))
    await made.refresh(today())
    yield made
    await made.cleanup()


async def test_deadlines_are_listed_by_agreement_party_kind_and_dates(client, made):
    response = await client.get("/api/deadlines", params={"agreement": made.agreement_id})
    assert response.status_code == 200
    body = response.json()
    assert [(d["kind"], d["party_code"]) for d in body["items"]] == [
        ("legally_final", "18"),
        ("planned_meeting", "1862"),
    ]
    assert body["total"] == 2
    meeting = body["items"][1]
    assert meeting["due"] == (today() + timedelta(days=7)).isoformat()
    assert meeting["structure"] == "orebro"
    # a party's deadlines; another party's are not among them
    mine = await client.get("/api/deadlines", params={"agreement": made.agreement_id, "party": "1862"})
    assert [d["kind"] for d in mine.json()["items"]] == ["planned_meeting"]
    # by kind and by dates
    by_kind = await client.get(
        "/api/deadlines", params={"agreement": made.agreement_id, "kind": "legally_final"}
    )
    assert [d["party_code"] for d in by_kind.json()["items"]] == ["18"]
    later = await client.get(
        "/api/deadlines", params={"agreement": made.agreement_id, "from": today().isoformat()}
    )
    assert [d["kind"] for d in later.json()["items"]] == ["planned_meeting"]
    paged = await client.get(
        "/api/deadlines", params={"agreement": made.agreement_id, "limit": 1, "offset": 1}
    )
    assert (paged.json()["total"], len(paged.json()["items"])) == (2, 1)


async def test_a_bad_deadline_filter_is_a_problem_in_swedish(client):
    response = await client.get("/api/deadlines", params={"kind": "uppsägning"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["detail"].startswith("Okänt slag av tidsfrist 'uppsägning'.")
    response = await client.get("/api/deadlines", params={"from": "2025-02-01", "to": "2025-01-01"})
    assert response.status_code == 422
    assert response.json()["invalid-params"][0]["name"] == "to"


async def test_warnings_are_open_ones_unless_asked(client, made):
    response = await client.get("/api/warnings", params={"agreement": made.agreement_id})
    assert response.status_code == 200
    assert response.json()["items"] == []  # no term, not active: nothing doubtful yet
    response = await client.get("/api/warnings", params={"state": "sometimes"})
    assert response.status_code == 422


async def test_the_admin_sweep_writes_and_enqueues_what_is_due_today(client, made):
    response = await client.post("/api/admin/sweep", json={})
    assert response.status_code == 200
    report = response.json()
    assert report["as_of"] == today().isoformat()
    assert report["refreshed"] >= 1
    assert report["deadline_deliveries"] >= 4  # 1862's registrator, two stewards, the secretariat
    # no webhook here: what is enqueued is the e-mail digests, one per person
    assert report["enqueued"] == report["digests"] + report["requeued"] + report["requeued_digests"]
    assert report["digests"] >= 4
    listed = await client.get("/api/deliveries", params={"agreement": made.agreement_id})
    assert sorted(d["recipient"] for d in listed.json()["items"]) == sorted(
        [*made.contacts["1862"], *made.stewards, made.secretariat]
    )
    assert {(d["kind"], d["lead"], d["status"]) for d in listed.json()["items"]} == {
        ("planned_meeting", "7d", "pending")
    }
    # again: nothing new
    again = (await client.post("/api/admin/sweep", json={"as_of": today().isoformat()})).json()
    listed_again = await client.get("/api/deliveries", params={"agreement": made.agreement_id})
    assert listed_again.json()["total"] == listed.json()["total"]
    assert again["as_of"] == today().isoformat()


async def test_a_failed_delivery_shows_its_reason(client, made, mailbox):
    broken = await made.add_contact("1862", "ingen")
    mailbox.rejects[broken] = "550 5.1.1 Okänd mottagare"
    await sweep(today())
    for digest in await digests_of(made.agreement_id):
        await digest_delivery.deliver_digest(digest["id"])
    response = await client.get(
        "/api/deliveries", params={"status": "failed", "agreement": made.agreement_id}
    )
    (failed,) = response.json()["items"]
    assert failed["recipient"] == broken
    assert (
        failed["last_error"] == f"Mottagaren avvisades av SMTP-servern – {broken}: 550 5.1.1 Okänd mottagare"
    )
    sent = await client.get("/api/deliveries", params={"status": "sent", "agreement": made.agreement_id})
    assert sent.json()["total"] == 4
    bad = await client.get("/api/deliveries", params={"status": "lost"})
    assert bad.status_code == 422


async def test_subscriptions_are_created_listed_and_removed(client, made):
    # a webhook without a secret gets one, shown once
    response = await client.post(
        "/api/subscriptions",
        json={
            "channel": "webhook",
            "target": f"https://hooks.{made.domain}/samverkan?token=abc",
            "agreement": made.agreement_id,
            "kinds": ["notice", "warning"],
        },
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert len(created["secret"]) >= 32
    assert created["kinds"] == ["notice", "warning"]
    listed = (await client.get("/api/subscriptions", params={"agreement": made.agreement_id})).json()
    assert [s["id"] for s in listed] == [created["id"]]
    assert "secret" not in listed[0]
    # the same again is a conflict
    again = await client.post(
        "/api/subscriptions",
        json={"channel": "webhook", "target": created["target"], "agreement": made.agreement_id},
    )
    assert again.status_code == 409
    # removed, and then gone
    assert (await client.delete(f"/api/subscriptions/{created['id']}")).status_code == 204
    assert (await client.delete(f"/api/subscriptions/{created['id']}")).status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "start"),
    [
        ({"channel": "email", "target": "a@b.se"}, "structure", "Ange precis en av"),
        (
            {"channel": "email", "target": "a@b.se", "party": "1862", "structure": "orebro"},
            "structure",
            "Ange",
        ),
        ({"channel": "sms", "target": "070", "party": "1862"}, "channel", "Okänd kanal 'sms'"),
        ({"channel": "email", "target": "inte en adress", "party": "1862"}, "target", "Ogiltig e-postadress"),
        (
            {"channel": "webhook", "target": "ftp://x.se/", "party": "1862"},
            "target",
            "'ftp://x.se/' är ingen",
        ),
        (
            {"channel": "webhook", "target": "https://x.se/", "party": "1862", "secret": "kort"},
            "secret",
            "Hemlig",
        ),
        (
            {"channel": "email", "target": "a@b.se", "party": "1862", "secret": "x" * 20},
            "secret",
            "En prenum",
        ),
        (
            {"channel": "email", "target": "a@b.se", "party": "1862", "kinds": ["allt"]},
            "kinds",
            "Okända slag",
        ),
        ({"channel": "email", "target": "a@b.se", "party": "9999"}, "party", "Det finns ingen part"),
    ],
)
async def test_a_bad_subscription_is_refused_with_the_field_named(client, body, field, start):
    response = await client.post("/api/subscriptions", json=body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["invalid-params"][0]["name"] == field
    assert problem["detail"].startswith(start)


async def test_a_structures_lead_times_can_be_read_and_replaced(client):
    before = (await client.get("/api/reminder-policies/vastmanland")).json()
    assert before["overrides"] == {}
    assert before["effective"]["notice"] == ["6m", "1m", "7d", "0d"]
    assert before["effective"]["notice:6"] == ["3m", "1m", "7d", "0d"]
    try:
        response = await client.put(
            "/api/reminder-policies/vastmanland", json={"policy": {"follow_up_annual": ["2m", "1m"]}}
        )
        assert response.status_code == 200
        assert response.json()["effective"]["follow_up_annual"] == ["2m", "1m"]
        bad = await client.put("/api/reminder-policies/vastmanland", json={"policy": {"notice": ["sex"]}})
        assert bad.status_code == 422
        assert bad.json()["detail"].startswith("Ogiltig ledtid 'sex'")
        unknown = await client.put("/api/reminder-policies/vastmanland", json={"policy": {"fika": ["1m"]}})
        assert unknown.status_code == 422
    finally:
        await client.put("/api/reminder-policies/vastmanland", json={"policy": {}})
    assert (await client.get("/api/reminder-policies/gotland")).status_code == 404


async def test_an_agreements_lead_times_override_its_structures_and_are_audited(client):
    created = await client.post(
        "/api/agreements",
        json={"structure": "vastmanland", "kind": "overenskommelse", "title": "Ledtidsprov"},
    )
    agreement_id = created.json()["id"]
    url = f"/api/agreements/{agreement_id}/reminder-policy"
    try:
        await client.put("/api/reminder-policies/vastmanland", json={"policy": {"term_end": ["2m"]}})
        response = await client.put(url, json={"policy": {"notice": ["12m", "6m"], "planned_meeting": []}})
        assert response.status_code == 200, response.text
        view = response.json()
        assert view["overrides"] == {"notice": ["12m", "6m"], "planned_meeting": []}
        # the agreement's own, over the structure's, over the defaults
        assert view["effective"]["notice"] == ["12m", "6m"]
        assert view["effective"]["planned_meeting"] == []
        assert view["effective"]["term_end"] == ["2m"]
        assert view["effective"]["decision_due"] == ["1m", "7d"]
        assert (await client.get(url)).json() == view
        history = (await client.get("/api/audit", params={"agreement_id": agreement_id})).json()
        assert history[0]["entity"] == "reminder_policy"
        assert history[0]["after"] == {"policy": {"notice": ["12m", "6m"], "planned_meeting": []}}
        bad = await client.put(url, json={"policy": {"notice": ["tolv"]}})
        assert bad.status_code == 422
        assert bad.json()["detail"].startswith("Ogiltig ledtid 'tolv'")
        assert (await client.get(url)).json()["overrides"]["notice"] == ["12m", "6m"]  # nothing half-written
    finally:
        await client.put("/api/reminder-policies/vastmanland", json={"policy": {}})
    assert (await client.get("/api/agreements/987654321/reminder-policy")).status_code == 404


SWEEP_DAYS = "välj en dag från 2000-01-01 till 2100-12-31."


@pytest.mark.parametrize(
    ("as_of", "detail"),
    [
        ("0001-01-01", f"Dagen 0001-01-01 går inte att köra som: {SWEEP_DAYS}"),
        ("1999-12-31", f"Dagen 1999-12-31 går inte att köra som: {SWEEP_DAYS}"),
        ("2101-01-01", f"Dagen 2101-01-01 går inte att köra som: {SWEEP_DAYS}"),
        ("9999-12-31", f"Dagen 9999-12-31 går inte att köra som: {SWEEP_DAYS}"),
    ],
)
async def test_a_sweep_as_of_a_day_outside_the_century_is_refused_and_changes_nothing(
    client, made, as_of, detail
):
    from audit.tables import AuditEvent

    async def state() -> tuple:
        params = {"agreement": made.agreement_id}
        deadlines = (await client.get("/api/deadlines", params=params)).json()
        warnings = (await client.get("/api/warnings", params={**params, "state": "all"})).json()
        deliveries = (await client.get("/api/deliveries", params=params)).json()
        return deadlines, warnings, deliveries, await AuditEvent.count()

    before = await state()
    response = await client.post("/api/admin/sweep", json={"as_of": as_of})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["detail"] == detail
    assert response.json()["invalid-params"][0]["name"] == "as_of"
    assert await state() == before


async def test_a_sweep_that_fails_leaves_the_refresh_uncommitted(client, made, monkeypatch):
    from audit.tables import AuditEvent
    from lifecycle.tables import StoredDeadline
    from notifications import daily

    async def stored() -> list[dict]:
        return await StoredDeadline.select(
            StoredDeadline.key, StoredDeadline.due, StoredDeadline.cancelled, StoredDeadline.sequence
        ).where(StoredDeadline.agreement == made.agreement_id)

    async def broken_sweep(day: date):
        raise RuntimeError("the sweep broke after the refresh")

    # given the stored deadlines as of today, and a sweep that breaks
    before = await stored()
    events = await AuditEvent.count()
    monkeypatch.setattr(daily, "sweep", broken_sweep)
    # when a run as of a day two years ahead (when the meeting has passed) refreshes, then fails
    response = await client.post("/api/admin/sweep", json={"as_of": "2090-01-01"})
    # then it answers 500, and neither the refresh nor an audit event was committed
    assert response.status_code == 500
    assert await stored() == before
    assert await AuditEvent.count() == events


async def test_the_admin_sweep_is_in_the_audit_trail(client, admin, made):
    from audit.tables import AuditEvent

    response = await client.post("/api/admin/sweep", json={"as_of": today().isoformat()})
    assert response.status_code == 200
    (event,) = (
        await AuditEvent.select()
        .where(AuditEvent.entity == "daily_run")
        .order_by(AuditEvent.id, ascending=False)
        .limit(1)
    )
    assert (event["actor_user_id"], event["action"], event["entity_id"]) == (
        admin.id,
        "run",
        today().isoformat(),
    )
    assert '"refreshed"' in event["after"]
