"""Agreements through the API: the process, the parties' decisions with their legal dates, the
adoption overview, the term and notices, versions, and every validation error."""

from __future__ import annotations

from datetime import date

import pytest

from core.clock import freeze
from tests.agreements import HARRYDA_ADOPTS, RECOMMENDED, VG_HEALTH_CARE, create_agreement, recommend, unique

TODAY = date(2026, 11, 23)

STEWARDS = [{"name": "Förvaltare VästKom", "email": "forvaltare@vastkom.example", "organisation": "VästKom"}]
VG_AGREEMENT = {**VG_HEALTH_CARE, "stewards": STEWARDS}


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


async def create(client, **changes) -> dict:
    return await create_agreement(client, **{"stewards": STEWARDS, **changes})


async def test_an_agreement_for_a_whole_structure_has_all_its_fifty_parties(client):
    agreement = await create(client)
    assert agreement["party_count"] == 50
    assert agreement["process"]["key"] is None
    assert agreement["process"]["allowed_next"] == ["uppdrag"]
    assert agreement["stewards"][0]["email"] == "forvaltare@vastkom.example"


async def test_vastra_gotalands_agreement_runs_to_2029_with_its_next_notice_deadline_in_2028(client):
    # given the seed 003 agreement, 2023-01-01 – 2026-12-31, 18 months' notice, 3-year renewals
    agreement = await create(client)
    # when its term is read on 2026-11-23 with no notice given
    term = (await client.get(f"/api/agreements/{agreement['id']}/term")).json()
    # then it has been extended to 2029-12-31 and the next notice deadline is 2028-06-30
    assert term["current_period"] == {"start": "2023-01-01", "end": "2026-12-31"}
    assert term["runs_until"] == "2029-12-31"
    assert term["next_notice_deadline"] == "2028-06-30"


async def test_the_process_follows_its_template_and_refuses_a_step_out_of_turn(client):
    agreement = await create(client)
    await client.post(
        f"/api/agreements/{agreement['id']}/steps", json={"step": "uppdrag", "taken_on": "2021-03-01"}
    )
    response = await client.post(
        f"/api/agreements/{agreement['id']}/steps",
        json={"step": "rekommendation_sro", "taken_on": "2021-04-01"},
    )
    assert response.status_code == 409
    assert "forslag" in response.json()["detail"] or "Förslag" in response.json()["detail"]
    timeline = (await client.get(f"/api/agreements/{agreement['id']}/timeline")).json()
    assert [t["step"] for t in timeline] == ["uppdrag"]


async def test_a_step_dated_before_the_previous_one_is_refused(client):
    agreement = await create(client)
    await client.post(
        f"/api/agreements/{agreement['id']}/steps", json={"step": "uppdrag", "taken_on": "2021-03-01"}
    )
    response = await client.post(
        f"/api/agreements/{agreement['id']}/steps", json={"step": "forslag", "taken_on": "2021-02-01"}
    )
    assert response.status_code == 422
    assert response.json()["invalid-params"][0]["name"] == "taken_on"


async def test_a_decision_before_the_recommendation_is_refused(client):
    agreement = await create(client)
    response = await client.post(
        f"/api/agreements/{agreement['id']}/parties/1401/decisions", json=HARRYDA_ADOPTS
    )
    assert response.status_code == 409
    assert "inte rekommenderad" in response.json()["detail"]


async def test_a_logged_decision_gets_its_appeal_period_and_legally_final_date(client):
    agreement = await create(client)
    await recommend(client, agreement["id"])
    response = await client.post(
        f"/api/agreements/{agreement['id']}/parties/1401/decisions", json=HARRYDA_ADOPTS
    )
    assert response.status_code == 201, response.text
    decision = response.json()
    # anslag 2022-05-30 + three weeks = 2022-06-20, a Monday: final the day after
    assert decision["last_appeal_day"] == "2022-06-20"
    assert decision["legally_final_on"] == "2022-06-21"
    assert decision["legal_state"] == "final"
    assert decision["paragraph"] == "§ 77"

    overview = (await client.get(f"/api/agreements/{agreement['id']}/adoption")).json()
    harryda = next(p for p in overview["parties"] if p["party_code"] == "1401")
    assert harryda["status"] == "adopted"
    assert harryda["legally_final_on"] == "2022-06-21"
    assert harryda["decision"]["case_number"] == "KS 2022/123"
    assert overview["counts"]["adopted"] == 1
    assert (overview["parties_decide"], overview["decided_by"]) == (True, None)
    assert overview["counts"]["pending"] == 49
    assert overview["recommended_on"] == "2022-02-24"
    assert overview["entry"]["agreement_from"] is None
    assert "1401" not in overview["entry"]["waiting_for"]


async def test_a_referral_back_then_an_adoption_leaves_the_party_adopted(client):
    agreement = await create(client)
    await recommend(client, agreement["id"])
    url = f"/api/agreements/{agreement['id']}/parties/1440/decisions"
    first = await client.post(
        url,
        json={
            "body": "Kommunfullmäktige",
            "meeting_date": "2022-04-20",
            "outcome": "referred_back",
            "paragraph": "44",
        },
    )
    assert first.status_code == 201
    row = lambda o: next(p for p in o["parties"] if p["party_code"] == "1440")  # noqa: E731
    assert (
        row((await client.get(f"/api/agreements/{agreement['id']}/adoption")).json())["status"]
        == "referred_back"
    )
    second = await client.post(
        url,
        json={
            **HARRYDA_ADOPTS,
            "meeting_date": "2022-06-15",
            "justering_date": "2022-06-17",
            "anslag_date": "2022-06-20",
        },
    )
    assert second.status_code == 201
    assert (
        row((await client.get(f"/api/agreements/{agreement['id']}/adoption")).json())["status"] == "adopted"
    )
    assert len((await client.get(f"/api/agreements/{agreement['id']}/decisions?party=1440")).json()) == 2


async def test_a_decision_at_a_planned_meeting_replaces_the_plan(client):
    agreement = await create(client)
    await recommend(client, agreement["id"])
    url = f"/api/agreements/{agreement['id']}/parties/1402/decisions"
    planned = await client.post(
        url, json={"body": "Kommunfullmäktige", "meeting_date": "2022-05-23", "outcome": "planned"}
    )
    assert planned.status_code == 201
    adopted = await client.post(url, json=HARRYDA_ADOPTS)
    assert adopted.status_code == 201
    assert adopted.json()["id"] == planned.json()["id"]
    decisions = (await client.get(f"/api/agreements/{agreement['id']}/decisions?party=1402")).json()
    assert [d["outcome"] for d in decisions] == ["adopted"]


async def test_a_second_decision_at_the_same_meeting_is_a_conflict(client):
    agreement = await create(client)
    await recommend(client, agreement["id"])
    url = f"/api/agreements/{agreement['id']}/parties/1401/decisions"
    assert (await client.post(url, json=HARRYDA_ADOPTS)).status_code == 201
    again = await client.post(url, json=HARRYDA_ADOPTS)
    assert again.status_code == 409
    assert "Rätta" in again.json()["detail"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"anslag_date": "2022-05-26"}, "anslag_date"),
        ({"justering_date": "2022-05-20"}, "justering_date"),
        (
            {"meeting_date": "2022-02-01", "justering_date": "2022-02-03", "anslag_date": "2022-02-04"},
            "meeting_date",
        ),
        ({"meeting_date": "2027-01-10", "justering_date": None, "anslag_date": None}, "meeting_date"),
        ({"outcome": "approved"}, "outcome"),
        ({"body": "  "}, "body"),
        ({"paragraph": "paragraf tolv"}, "paragraph"),
    ],
)
async def test_a_decision_with_impossible_dates_or_values_is_refused_with_the_field_named(
    client, changes, field
):
    agreement = await create(client)
    await recommend(client, agreement["id"])
    response = await client.post(
        f"/api/agreements/{agreement['id']}/parties/1401/decisions", json={**HARRYDA_ADOPTS, **changes}
    )
    assert response.status_code == 422, response.text
    assert response.json()["invalid-params"][0]["name"] == field
    assert (await client.get(f"/api/agreements/{agreement['id']}/decisions")).json() == []


async def test_a_party_outside_the_agreement_is_named_in_the_error(client):
    agreement = await create(client, party_codes=["14", "1401", "1440"])
    await recommend(client, agreement["id"])
    response = await client.post(
        f"/api/agreements/{agreement['id']}/parties/1489/decisions", json=HARRYDA_ADOPTS
    )
    assert response.status_code == 422
    assert "Alingsås (1489)" in response.json()["detail"]


async def test_a_party_code_that_does_not_exist_is_named(client):
    agreement = await create(client)
    response = await client.post(
        f"/api/agreements/{agreement['id']}/parties/1999/decisions", json=HARRYDA_ADOPTS
    )
    assert response.status_code == 404
    assert "1999" in response.json()["detail"]


async def test_chosen_parties_outside_the_structure_are_named(client):
    response = await client.post(
        "/api/agreements",
        json={**VG_AGREEMENT, "title": unique("Valbar"), "party_codes": ["1401", "0180", "9999"]},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Dessa koder är inte parter i strukturen: 0180, 9999."


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"structure": "gotland"}, "structure"),
        ({"kind": "avtal"}, "kind"),
        ({"title": " "}, "title"),
        ({"term": {"kind": "fixed", "start": "2023-01-01", "end": "2022-12-31", "notice_months": 18}}, "end"),
        ({"term": {"kind": "fixed", "start": "2023-01-01"}}, "term"),
        ({"annual_follow_up": "11-31"}, "annual_follow_up"),
        ({"kind": "bilaga"}, "parent_id"),
        ({"entry_rule": "sometime"}, "entry_rule"),
        ({"stewards": [{"name": "X", "email": "inte-en-adress"}]}, "stewards"),
    ],
)
async def test_an_agreement_with_bad_facts_is_refused_and_nothing_is_stored(client, changes, field):
    name = unique("Felaktig")
    response = await client.post("/api/agreements", json={**VG_AGREEMENT, "title": name, **changes})
    assert response.status_code == 422, response.text
    assert response.json()["invalid-params"][0]["name"] == field
    assert (await client.get("/api/agreements", params={"q": name})).json()["total"] == 0


async def test_an_unknown_field_is_a_400(client):
    response = await client.post("/api/agreements", json={**VG_AGREEMENT, "title": "x", "colour": "blue"})
    assert response.status_code == 400


async def test_a_notice_ends_the_agreement_for_that_party_only(client):
    agreement = await create(client)
    url = f"/api/agreements/{agreement['id']}/parties/1401/notice"
    response = await client.post(url, json={"given_on": "2025-03-01"})
    assert response.status_code == 201, response.text
    assert response.json()["ends_for_party_on"] == "2026-12-31"
    term = (await client.get(f"/api/agreements/{agreement['id']}/term")).json()
    assert term["runs_until"] == "2029-12-31"  # the others go on
    assert [n["party_code"] for n in term["notices"]] == ["1401"]
    again = await client.post(url, json={"given_on": "2025-04-01"})
    assert again.status_code == 409


async def test_a_late_notice_ends_at_the_following_period(client):
    agreement = await create(client)
    response = await client.post(
        f"/api/agreements/{agreement['id']}/parties/1402/notice", json={"given_on": "2025-07-01"}
    )
    assert response.status_code == 201
    assert response.json()["ends_for_party_on"] == "2029-12-31"


async def test_an_annex_follows_its_parents_term(client):
    parent = await create(client)
    annex = await client.post(
        "/api/agreements",
        json={
            "structure": "vastra-gotaland",
            "kind": "bilaga",
            "title": unique("Bilaga 1"),
            "parent_id": parent["id"],
        },
    )
    assert annex.status_code == 201, annex.text
    term = (await client.get(f"/api/agreements/{annex.json()['id']}/term")).json()
    assert term["inherited_from"] == parent["id"]
    assert term["runs_until"] == "2029-12-31"
    assert [a["id"] for a in (await client.get(f"/api/agreements/{parent['id']}")).json()["annexes"]] == [
        annex.json()["id"]
    ]


async def test_a_guideline_takes_no_party_decisions(client):
    guideline = await create(client, kind="riktlinje", term={"kind": "none"})
    for step, taken_on in [
        ("behov_identifierat", "2024-01-10"),
        ("forslag", "2024-03-01"),
        ("beslut_vvg", "2024-04-12"),
    ]:
        assert (
            await client.post(
                f"/api/agreements/{guideline['id']}/steps", json={"step": step, "taken_on": taken_on}
            )
        ).status_code == 201
    detail = (await client.get(f"/api/agreements/{guideline['id']}")).json()
    assert detail["status"] == "active"
    assert detail["in_force_from"] == "2024-04-12"
    response = await client.post(
        f"/api/agreements/{guideline['id']}/parties/1401/decisions", json=HARRYDA_ADOPTS
    )
    assert response.status_code == 409
    assert "fattar inga egna beslut" in response.json()["detail"]
    overview = (await client.get(f"/api/agreements/{guideline['id']}/adoption")).json()
    assert (overview["parties_decide"], overview["decided_by"]) == (
        False,
        "Vårdsamverkan Västra Götaland (VVG)",
    )


async def test_an_appeal_recorded_later_suspends_legal_finality(client):
    agreement = await create(client)
    await recommend(client, agreement["id"])
    decision = (
        await client.post(f"/api/agreements/{agreement['id']}/parties/1401/decisions", json=HARRYDA_ADOPTS)
    ).json()
    response = await client.patch(
        f"/api/decisions/{decision['id']}", json={"appeal_state": "lodged", "appeal_lodged_on": "2022-06-10"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["legal_state"] == "appealed"
    assert response.json()["legally_final_on"] is None
    dismissed = await client.patch(
        f"/api/decisions/{decision['id']}",
        json={"appeal_state": "dismissed", "appeal_resolved_on": "2022-11-02"},
    )
    assert dismissed.json()["legally_final_on"] == "2022-11-02"


async def test_a_correction_that_breaks_a_rule_changes_nothing(client):
    agreement = await create(client)
    await recommend(client, agreement["id"])
    decision = (
        await client.post(f"/api/agreements/{agreement['id']}/parties/1401/decisions", json=HARRYDA_ADOPTS)
    ).json()
    response = await client.patch(f"/api/decisions/{decision['id']}", json={"anslag_date": "2022-05-01"})
    assert response.status_code == 422
    assert (await client.get(f"/api/decisions/{decision['id']}")).json()["anslag_date"] == "2022-05-30"


async def test_a_corrected_decision_keeps_its_party_body_and_meeting_in_the_history(client):
    agreement = await create(client)
    await recommend(client, agreement["id"])
    decision = (
        await client.post(f"/api/agreements/{agreement['id']}/parties/1401/decisions", json=HARRYDA_ADOPTS)
    ).json()
    response = await client.patch(f"/api/decisions/{decision['id']}", json={"paragraph": "78"})
    assert response.status_code == 200, response.text
    (event,) = [
        e
        for e in (await client.get(f"/api/agreements/{agreement['id']}/history")).json()
        if e["entity"] == "party_decision" and e["action"] == "update"
    ]
    assert (event["before"]["paragraph"], event["after"]["paragraph"]) == ("§ 77", "§ 78")
    assert (event["after"]["party_code"], event["after"]["body"]) == ("1401", HARRYDA_ADOPTS["body"])
    assert "case_number" not in event["after"]  # unchanged
    page = (await client.get(f"/agreements/{agreement['id']}")).text
    history = page.split('id="historik"')[1].split("</section>")[0]
    row = next(r for r in history.split("<tr")[1:] if "Ändrade" in r or "Rättade" in r)
    assert "<td>Härryda (1401)</td>" in row, row


async def test_the_partys_view_says_what_it_must_decide_and_by_when(client):
    agreement = await create(client, decision_due="2022-10-31")
    await recommend(client, agreement["id"])
    view = (await client.get("/api/parties/1415/agreements")).json()
    row = next(r for r in view["items"] if r["agreement_id"] == agreement["id"])
    assert row["party_status"] == "pending"
    assert row["decide_by"] == "2022-10-31"
    assert row["to_do"] == "Besluta om överenskommelsen"


async def test_a_revision_is_a_new_version_and_the_old_keeps_its_history(client):
    agreement = await create(client)
    revised = await client.post(f"/api/agreements/{agreement['id']}/versions")
    assert revised.status_code == 201, revised.text
    assert revised.json()["version"] == 2
    assert revised.json()["supersedes_id"] == agreement["id"]
    assert revised.json()["party_count"] == 50
    versions = (await client.get(f"/api/agreements/{agreement['id']}")).json()["versions"]
    assert [(v["version"], v["id"]) for v in versions] == [(1, agreement["id"]), (2, revised.json()["id"])]
    assert (await client.post(f"/api/agreements/{agreement['id']}/versions")).status_code == 422


async def test_every_change_is_in_the_agreements_history(client):
    agreement = await create(client)
    await client.patch(f"/api/agreements/{agreement['id']}", json={"summary": "Ny sammanfattning"})
    await recommend(client, agreement["id"])
    await client.post(f"/api/agreements/{agreement['id']}/parties/1401/decisions", json=HARRYDA_ADOPTS)
    events = (await client.get(f"/api/agreements/{agreement['id']}/history")).json()
    assert [(e["action"], e["entity"]) for e in reversed(events)] == [
        ("create", "agreement"),
        ("update", "agreement"),
        *[("create", "process_step")] * len(RECOMMENDED),
        ("create", "party_decision"),
    ]
    update = next(e for e in events if e["action"] == "update")
    assert update["after"]["summary"] == "Ny sammanfattning"


async def test_the_register_filters_by_structure_party_and_text(client):
    name = unique("Sökbar")
    agreement = await create(client, title=name, party_codes=["14", "1401"])
    found = (await client.get("/api/agreements", params={"q": name, "party": "1401"})).json()
    assert [a["id"] for a in found["items"]] == [agreement["id"]]
    assert (await client.get("/api/agreements", params={"q": name, "party": "1440"})).json()["total"] == 0
    assert (await client.get("/api/agreements", params={"structure": "nowhere"})).status_code == 422


async def test_an_agreement_that_does_not_exist_is_404(client):
    for url in (
        "/api/agreements/999999",
        "/api/agreements/999999/adoption",
        "/api/agreements/999999/term",
        "/api/agreements/999999/history",
        "/api/decisions/999999",
    ):
        response = await client.get(url)
        assert response.status_code == 404, url
        assert "999999" in response.json()["detail"]


async def test_a_notice_on_a_term_without_a_notice_period_needs_the_agreed_end(client):
    # seed 002: Örebro's principles run from 2025-01-01 until further notice; changes by agreement
    response = await client.post(
        "/api/agreements",
        json={
            "structure": "orebro",
            "kind": "overenskommelse",
            "title": unique("Principer för samverkan"),
            "term": {"kind": "until_further_notice", "start": "2025-01-01"},
        },
    )
    agreement = response.json()
    url = f"/api/agreements/{agreement['id']}/parties/1880/notice"
    refused = await client.post(url, json={"given_on": "2026-03-01"})
    assert refused.status_code == 422, refused.text
    accepted = await client.post(url, json={"given_on": "2026-03-01", "agreed_end": "2026-12-31"})
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["ends_for_party_on"] == "2026-12-31"
