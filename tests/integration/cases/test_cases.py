"""Samverkansbrister end to end through the API: report, the status link, handling, e-mails
through the outbox to a real SMTP server (each once), analysis, gallring, and who may do what."""

from __future__ import annotations

from datetime import date

import pytest

from api.security import CSRF_COOKIE, CSRF_HEADER
from tests.integration.conftest import bearer

REPORT = {
    "party_codes": ["1401", "14"],
    "occurred_on": "2026-11-02",
    "what_happened": "Kallelsen till SIP-mötet kom aldrig fram till hemsjukvården.",
    "consequence": "Personen fick vänta två dagar på insatser efter utskrivningen.",
    "category": "Samordnad individuell plan (SIP)",
}


async def _report(anonymous_client, agreement: int, **changes):
    await anonymous_client.get("/health")  # the CSRF cookie a browser would have
    headers = {CSRF_HEADER: anonymous_client.cookies[CSRF_COOKIE]}
    body = {**REPORT, "agreement_id": agreement, **changes}
    return await anonymous_client.post("/api/cases", json=body, headers=headers)


async def _deliver_all(ids: list[int]) -> list[str]:
    from cases.delivery import deliver

    return [(await deliver(i)).value for i in ids]


async def _pending(report_id: int) -> list[int]:
    from cases.tables import CaseMessage

    rows = (
        await CaseMessage.select(CaseMessage.id)
        .where(CaseMessage.status == "pending", CaseMessage.report == report_id)
        .order_by(CaseMessage.id)
    )
    return [r["id"] for r in rows]


async def test_an_identity_number_is_refused_with_the_part_to_remove(anonymous_client, vg_agreement):
    answer = await _report(
        anonymous_client, vg_agreement["id"], what_happened="Patienten 19121212-1212 fick ingen kallelse."
    )
    assert answer.status_code == 422
    assert "”19121212-1212”" in answer.json()["detail"] and "Ta bort det" in answer.json()["detail"]


async def test_a_report_is_followed_by_its_status_link_and_the_reporter_hears_of_each_change(
    client, anonymous_client, vg_agreement, case_mailbox, make_user
):
    agreement_id = vg_agreement["id"]
    # given a party contact for Härryda, who is asked for the party's account
    contact = f"registrator-{agreement_id}@harryda.example"
    added = await client.post("/api/parties/1401/contacts", json={"email": contact, "role": "registrator"})
    assert added.status_code == 201, added.text
    try:
        await _report_followed(client, anonymous_client, agreement_id, case_mailbox, make_user, contact)
    finally:  # Härryda's contacts are shared by every test: leave them as they were
        removed = await client.delete(f"/api/parties/1401/contacts/{added.json()['id']}")
        assert removed.status_code == 204, removed.text


async def _report_followed(client, anonymous_client, agreement_id, case_mailbox, make_user, contact):
    answer = await _report(anonymous_client, agreement_id, reporter_email=f"anna-{agreement_id}@vard.example")
    assert answer.status_code == 201, answer.text
    case_id, status_url = answer.json()["id"], answer.json()["status_url"]
    token = status_url.rsplit("/", 1)[1]

    # the acknowledgement, once, however often the task runs
    ids = await _pending(case_id)
    assert await _deliver_all(ids) == ["sent"]
    assert await _deliver_all(ids) == ["skipped"]
    (ack,) = case_mailbox.received({f"report:{case_id}:reporter:received"})
    assert ack["To"] == f"anna-{agreement_id}@vard.example"
    assert status_url in ack.get_body(("plain",)).get_content()
    assert "Kallelsen" not in ack.get_body(("plain",)).get_content()  # no free text by e-mail

    status = await anonymous_client.get(f"/api/cases/status/{token}")
    assert status.status_code == 200 and status.json()["state_sv"] == "Mottagen"
    assert "reporter_email" not in status.json()
    assert (await anonymous_client.get("/api/cases/status/fel-token")).status_code == 404

    # the secretariat takes it, sends it to Härryda and the region; Härryda's clerk answers
    secretariat = await make_user("secretariat", structure="vastra-gotaland")
    base = f"/api/agreements/{agreement_id}/cases/{case_id}"
    took = await client.post(f"{base}/take", headers=bearer(secretariat))
    assert took.status_code == 200 and took.json()["state"] == "under_review"
    sent = await client.post(
        f"{base}/send", json={"party_codes": ["1401", "14"]}, headers=bearer(secretariat)
    )
    assert sent.status_code == 200, sent.text
    clerk = await make_user("clerk", party="1401")
    other = await make_user("clerk", party="1402")
    refused = await client.post(
        f"{base}/parties/1401/answer", json={"answer": "Vi svarar"}, headers=bearer(other)
    )
    assert refused.status_code == 403
    answered = await client.post(
        f"{base}/parties/1401/answer",
        json={"answer": "Kallelsen gick till fel enhet."},
        headers=bearer(clerk),
    )
    assert answered.status_code == 200 and answered.json()["state"] == "sent_to_parties"  # 1 of 2
    assert "reporter_email" not in answered.json()  # the party's clerk never reads the address
    closed = await client.post(
        f"{base}/close",
        json={"conclusion": "Rutinen för kallelser förtydligas.", "measure": "clarification"},
        headers=bearer(secretariat),
    )
    assert closed.status_code == 200 and closed.json()["closed_on"] is not None

    assert set(await _deliver_all(await _pending(case_id))) == {"sent"}
    keys = {m["X-Test-Key"] for m in case_mailbox.received()}
    assert {
        f"report:{case_id}:reporter:under_review",
        f"report:{case_id}:reporter:sent_to_parties",
        f"report:{case_id}:reporter:closed",
        f"report:{case_id}:ask:1401:{contact}",
    } <= keys
    (closing,) = case_mailbox.received({f"report:{case_id}:reporter:closed"})
    assert "Förtydligande i överenskommelsen" in closing.get_body(("plain",)).get_content()

    final = (await anonymous_client.get(f"/api/cases/status/{token}")).json()
    assert final["state_sv"] == "Avslutad" and final["conclusion"] == "Rutinen för kallelser förtydligas."
    assert [h["state"] for h in final["history"]] == [
        "received",
        "under_review",
        "sent_to_parties",
        "closed",
    ]

    # the public sees the counts
    counts = (await anonymous_client.get(f"/api/agreements/{agreement_id}/cases/analysis")).json()
    assert counts["total"]["closed"] == 1 and counts["total"]["open"] == 0
    assert counts["by_category"][0]["label"] == REPORT["category"]
    assert {g["label"] for g in counts["by_party"]} == {"Härryda", "Västra Götalandsregionen"}

    # and only those handling it see the reporter's address and the texts
    assert (await anonymous_client.get(base)).status_code == 401
    assert (await client.get(base, headers=bearer(clerk))).status_code == 403
    full = (await client.get(base, headers=bearer(secretariat))).json()
    assert full["reporter_email"] == f"anna-{agreement_id}@vard.example"


async def test_gallring_clears_text_and_address_and_keeps_the_counts(client, anonymous_client, vg_agreement):
    from cases.services.load import load_report
    from cases.services.retention import clear_expired

    agreement_id = vg_agreement["id"]
    made = (await _report(anonymous_client, agreement_id, reporter_email="b@vard.example")).json()
    base = f"/api/agreements/{agreement_id}/cases/{made['id']}"
    assert (await client.post(f"{base}/take")).status_code == 200
    assert (
        await client.post(f"{base}/close", json={"conclusion": "Klart.", "measure": "none"})
    ).status_code == 200
    report = await load_report(made["id"])
    analysis_url = f"/api/agreements/{agreement_id}/cases/analysis"
    before = (await anonymous_client.get(analysis_url)).json()
    # when: the retention time has passed since closing
    assert await clear_expired(date(report.closed_on.year + 3, 1, 1), months=24) >= 1
    cleared = await load_report(made["id"])
    assert (cleared.what_happened, cleared.consequence, cleared.conclusion, cleared.reporter_email) == (
        "",
        "",
        "",
        None,
    )
    assert cleared.category == REPORT["category"] and cleared.measure == "none"
    token = made["status_url"].rsplit("/", 1)[1]
    assert (await anonymous_client.get(f"/api/cases/status/{token}")).status_code == 404
    assert (await anonymous_client.get(analysis_url)).json() == before


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"party_codes": ["0180"]}, 422),
        ({"category": "Finns inte"}, 422),
        ({"occurred_on": "inte ett datum"}, 400),
        ({"reporter_email": "inte en adress"}, 422),
        ({"agreement_id": 999999}, 404),
    ],
)
async def test_bad_reports_get_a_swedish_4xx(anonymous_client, vg_agreement, changes, status):
    answer = await _report(anonymous_client, vg_agreement["id"], **changes)
    assert answer.status_code == status, answer.text
    assert answer.json()["detail"]


async def test_past_twenty_reports_an_hour_from_one_address_the_form_answers_429(
    anonymous_client, vg_agreement
):
    import redis.asyncio as aioredis

    from api.security import redis_namespace
    from api.throttle import REPORTS_PER_HOUR, TOO_MANY_REPORTS, report_key
    from core.settings import get_settings

    redis = aioredis.from_url(get_settings().redis_url)
    key = report_key(redis_namespace(get_settings()), "testclient")
    # given: the test client's address has sent the hour's reports (the other tests' count too)
    await redis.set(key, REPORTS_PER_HOUR, ex=3600)
    try:
        refused = await _report(anonymous_client, vg_agreement["id"])
        assert refused.status_code == 429
        assert refused.json()["detail"] == TOO_MANY_REPORTS
        assert refused.headers["retry-after"] == "3600"
    finally:  # the other tests report from the same address
        await redis.delete(key)
        await redis.aclose()


async def test_the_analysis_of_an_agreement_or_structure_that_does_not_exist_is_404(anonymous_client):
    for path in ("/api/agreements/999999/cases/analysis", "/api/structures/ingen-struktur/cases/analysis"):
        answer = await anonymous_client.get(path)
        assert answer.status_code == 404, answer.text
        assert "finns inte" in answer.json()["detail"]


async def test_an_admin_asking_for_the_reports_of_an_agreement_that_does_not_exist_gets_404(client):
    answer = await client.get("/api/agreements/999999/cases")
    assert answer.status_code == 404, answer.text
    assert answer.json()["detail"] == "Överenskommelse 999999 finns inte."


async def test_sending_to_parties_names_those_with_no_contact_to_e_mail(
    client, anonymous_client, vg_agreement
):
    from audit.trail import Actor
    from cases.services.handling import send
    from parties.tables import Contact

    agreement_id = vg_agreement["id"]
    made = (await _report(anonymous_client, agreement_id)).json()
    assert (await client.post(f"/api/agreements/{agreement_id}/cases/{made['id']}/take")).status_code == 200
    # given a party of the agreement with no contact at all (other tests add contacts to some)
    (silent,) = await Contact.raw(
        "SELECT min(p.code) AS code FROM agreement_party ap JOIN party p ON p.id = ap.party "
        "WHERE ap.agreement = {} AND p.code <> '1401' "
        "AND NOT EXISTS (SELECT 1 FROM contact c WHERE c.party = p.id)",
        agreement_id,
    )
    assert silent["code"] is not None
    # and Härryda with a contact of its own
    contact = f"namnd-{made['id']}@harryda.example"
    added = await client.post("/api/parties/1401/contacts", json={"email": contact, "role": "clerk"})
    assert added.status_code == 201, added.text
    try:
        harryda = {c["email"] for c in (await client.get("/api/parties/1401")).json()["contacts"]}
        # when: Härryda and the party without contacts are asked
        done = await send(agreement_id, made["id"], ["1401", silent["code"]], actor=Actor.system("tests"))
    finally:  # Härryda's contacts are shared by every test: leave them as they were
        assert (await client.delete(f"/api/parties/1401/contacts/{added.json()['id']}")).status_code == 204
    # then: one request to each of Härryda's contacts, and the other party named as not reached
    assert done.uncontacted == (silent["code"],)
    assert [m for m in await _pending(made["id"]) if m in done.message_ids] == done.message_ids
    assert contact in harryda
    assert len(done.message_ids) == len(harryda)
