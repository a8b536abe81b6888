"""Groups of parties through the API: Västra Götaland's kommunalförbund, GR's recommendation of
the health-care agreement (seed 003: förbundsstyrelsen 2022-03-18 § 356) and its members'
decide-by dates."""

from __future__ import annotations

import re
from datetime import date

import pytest

from core.clock import freeze
from tests.agreements import create_agreement, recommend

TODAY = date(2022, 4, 20)
GR_356 = {
    "group": "gr",
    "taken_on": "2022-03-18",
    "body": "Göteborgsregionens förbundsstyrelse",
    "paragraph": "§ 356",
    "case_number": "2021-00198",
}


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


async def test_the_groups_of_vastra_gotaland_list_with_their_source_and_members(client):
    groups = (await client.get("/api/groups", params={"structure": "vastra-gotaland"})).json()
    assert [(g["slug"], g["member_count"]) for g in groups] == [
        ("fyrbodal", 14),
        ("gr", 12),
        ("sjuharad", 8),
        ("skaraborg", 15),
    ]
    assert all(g["source"] for g in groups)
    gr = (await client.get("/api/groups/gr")).json()
    assert gr["name"] == "Göteborgsregionens kommunalförbund (GR)"
    assert {"1401", "1480", "1481"} <= {m["code"] for m in gr["members"]}
    missing = await client.get("/api/groups/ingen")
    assert missing.status_code == 404
    assert "Det finns ingen grupp av parter" in missing.json()["detail"]
    unknown = await client.get("/api/groups", params={"structure": "ingen"})
    assert unknown.status_code == 422


async def test_grs_recommendation_sets_its_members_decide_by_and_groups_the_overview(client):
    agreement = await create_agreement(client)
    url = f"/api/agreements/{agreement['id']}/group-recommendations"
    before = await client.post(url, json=GR_356)
    assert before.status_code == 422
    assert "inte rekommenderad till parterna" in before.json()["detail"]
    await recommend(client, agreement["id"])

    recorded = await client.post(url, json=GR_356)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json() | {"id": 0} == {
        **GR_356,
        "id": 0,
        "agreement_id": agreement["id"],
        "group_name": "Göteborgsregionens kommunalförbund (GR)",
        "short_name": "GR",
        "note": "",
    }
    again = await client.post(url, json={**GR_356, "taken_on": "2022-03-25"})
    assert again.status_code == 409
    assert again.json()["detail"] == (
        "GR har redan rekommenderat överenskommelsen "
        "(Göteborgsregionens förbundsstyrelse 18 mars 2022 § 356)."
    )

    overview = (await client.get(f"/api/agreements/{agreement['id']}/adoption")).json()
    rows = {r["party_code"]: r for r in overview["parties"]}
    assert rows["1401"]["groups"] == ["gr"]
    assert rows["1401"]["decide_by"] == "2022-12-18"  # GR 2022-03-18 + 9 months
    assert rows["1490"]["decide_by"] == "2022-11-24"  # Borås: SRO 2022-02-24 + 9 months
    assert rows["14"]["groups"] == []
    groups = {g["slug"]: g for g in overview["groups"]}
    assert set(groups) == {"gr", "fyrbodal", "skaraborg", "sjuharad"}
    assert len(groups["gr"]["party_codes"]) == 12
    assert groups["gr"]["recommendation"]["paragraph"] == "§ 356"
    assert groups["fyrbodal"]["recommendation"] is None

    deadlines = (await client.get("/api/deadlines", params={"party": "1401"})).json()
    due = [
        d for d in deadlines["items"] if d["kind"] == "decision_due" and d["agreement_id"] == agreement["id"]
    ]
    assert [(d["due"], d["title"]) for d in due] == [
        ("2022-12-18", "Beslut om överenskommelsen väntas, 9 månader efter GR:s rekommendation")
    ]
    mine = (await client.get("/api/parties/1401/agreements")).json()
    row = next(i for i in mine["items"] if i["agreement_id"] == agreement["id"])
    assert row["decide_by"] == "2022-12-18"

    history = (await client.get(f"/api/agreements/{agreement['id']}/history")).json()
    assert any(e["entity"] == "group_recommendation" and e["action"] == "create" for e in history)


async def test_a_members_decide_by_after_grs_recommendation_reaches_its_deadlines_and_its_party_feed(
    client, anonymous_client
):
    from tests.integration.feeds.conftest import fetch, icalendar_events, links, uid

    # given the agreement SRO recommended on 24 February 2022: every kommun decides by 24 November
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    key = "decision_due:1401"
    harryda_feed, boras_feed = (
        (await links(client, "party", "1401"))["https"],
        (await links(client, "party", "1490"))["https"],
    )
    before = icalendar_events((await fetch(anonymous_client, harryda_feed)).content)[
        uid(agreement["id"], key)
    ]
    assert before["DTSTART"].dt == date(2022, 11, 24)

    # when GR's förbundsstyrelse recommends it to its members on 18 March 2022 (§ 356)
    recorded = await client.post(f"/api/agreements/{agreement['id']}/group-recommendations", json=GR_356)
    assert recorded.status_code == 201, recorded.text

    # then Härryda (a GR member) decides by 18 December 2022: in its deadlines list ...
    listed = (await client.get("/api/deadlines", params={"party": "1401", "kind": "decision_due"})).json()
    (due,) = [d for d in listed["items"] if d["agreement_id"] == agreement["id"]]
    assert (due["key"], due["party_code"], due["due"]) == (key, "1401", "2022-12-18")
    assert due["title"] == "Beslut om överenskommelsen väntas, 9 månader efter GR:s rekommendation"
    # ... and in its party feed, the same event moved (same UID, a higher SEQUENCE)
    after = icalendar_events((await fetch(anonymous_client, harryda_feed)).content)[uid(agreement["id"], key)]
    assert after["DTSTART"].dt == date(2022, 12, 18)
    assert str(after["DESCRIPTION"]).startswith(
        "Beslut om överenskommelsen väntas, 9 månader efter GR:s rekommendation\nGäller: Härryda (1401)"
    )
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    # and Borås (Sjuhärad, which has not recommended) still decides by 24 November 2022
    boras = icalendar_events((await fetch(anonymous_client, boras_feed)).content)
    assert boras[uid(agreement["id"], "decision_due:1490")]["DTSTART"].dt == date(2022, 11, 24)
    assert uid(agreement["id"], key) not in boras  # Härryda's date is Härryda's own


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"group": "ingen"}, 422, "group"),
        ({"taken_on": "2022-02-23"}, 422, "taken_on"),  # before SRO's 2022-02-24
        ({"taken_on": "2022-04-21"}, 422, "taken_on"),  # after today
        ({"body": "  "}, 422, "body"),
    ],
)
async def test_a_wrong_group_recommendation_is_refused_with_a_swedish_message(client, change, status, field):
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    refused = await client.post(
        f"/api/agreements/{agreement['id']}/group-recommendations", json={**GR_356, **change}
    )
    assert refused.status_code == status, refused.text
    assert [p["name"] for p in refused.json()["invalid-params"]] == [field]


async def test_a_group_with_no_member_among_the_parties_cannot_recommend(client):
    agreement = await create_agreement(client, party_codes=["14", "1490", "1491"])
    await recommend(client, agreement["id"])
    refused = await client.post(f"/api/agreements/{agreement['id']}/group-recommendations", json=GR_356)
    assert refused.status_code == 422
    assert refused.json()["detail"] == "Ingen av GR:s medlemmar är part i överenskommelsen."


async def test_the_agreement_page_groups_the_parties_by_kommunalforbund_with_grs_recommendation(client):
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    recorded = await client.post(f"/api/agreements/{agreement['id']}/group-recommendations", json=GR_356)
    assert recorded.status_code == 201, recorded.text
    html = (await client.get(f"/agreements/{agreement['id']}")).text
    groups = " ".join(html.split('id="grupper"')[1].split("</ul>")[0].split())
    assert (
        "Göteborgsregionens kommunalförbund (GR)</a>: rekommenderade 18 mars 2022 "
        "(Göteborgsregionens förbundsstyrelse § 356, dnr 2021-00198). "
        "0 av 12 medlemmar har antagit." in groups
    )
    assert "Fyrbodals kommunalförbund</a>: ingen egen rekommendation registrerad. 0 av 14" in groups
    gr_rows = html.split('<tbody id="grupp-gr">')[1].split("</tbody>")[0]
    assert 'data-party="1401"' in gr_rows and 'data-party="1490"' not in gr_rows
    assert "18 december 2022" in gr_rows.split('data-party="1401"')[1].split("</tr>")[0]
    others = html.split('<tbody id="grupp-ovriga">')[1].split("</tbody>")[0]
    assert 'data-party="14"' in others
    history = html.split('id="historik"')[1].split("</section>")[0]
    assert (
        "<td>Medlemmarna i GR</td><td>Registrerade rekommendation till medlemmarna: GR, "
        "Göteborgsregionens förbundsstyrelse 18 mars 2022, § 356</td>" in history
    )


async def test_the_structures_matrix_bands_the_party_columns_by_kommunalforbund(client):
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    html = (await client.get("/structures/vastra-gotaland")).text
    head = html.split('<table class="matrix">')[1].split("</thead>")[0]
    bands = re.findall(r'<th scope="colgroup" colspan="(\d+)" data-group="([a-z]+)">', head)
    assert bands == [("14", "fyrbodal"), ("12", "gr"), ("8", "sjuharad"), ("15", "skaraborg")]
    columns = re.findall(r'<a href="/parties/(\d+)">', head)
    assert columns[0] == "14"  # Västra Götalandsregionen, in no group, first
    gr = {m["code"] for m in (await client.get("/api/groups/gr")).json()["members"]}
    assert set(columns[15:27]) == gr  # after Fyrbodal's 14, GR's 12


async def test_the_structure_page_lists_its_kommunalforbund_with_their_sources(client):
    html = (await client.get("/structures/vastra-gotaland")).text
    section = html.split('<h2 id="kommunalforbund">Kommunalförbund</h2>')[1].split("</section>")[0]
    assert "<strong>Göteborgsregionens kommunalförbund (GR)</strong>, 12 medlemmar." in section
    assert "Källa: Skaraborgs kommunalförbund, Om oss (skaraborg.se)" in section
    stockholm = (await client.get("/structures/stockholm")).text
    assert 'id="kommunalforbund"' not in stockholm


async def test_a_secretariat_records_grs_recommendation_in_the_agreement_pages_form(client):
    agreement = await create_agreement(client)
    await recommend(client, agreement["id"])
    page = (await client.get(f"/agreements/{agreement['id']}")).text
    form = page.split(f'action="/agreements/{agreement["id"]}/group-recommendations#grupper"')[1]
    form = form.split("</form>")[0]
    assert '<option value="gr">Göteborgsregionens kommunalförbund (GR)</option>' in form
    # a missing body is refused beside its field, the date kept
    missing = await client.post(
        f"/agreements/{agreement['id']}/group-recommendations",
        data={"group": "gr", "taken_on": "2022-03-18", "body": ""},
    )
    assert missing.status_code == 422
    assert 'id="group_recommendation-body-error"' in missing.text and 'value="2022-03-18"' in missing.text
    # when the form is sent whole
    saved = await client.post(
        f"/agreements/{agreement['id']}/group-recommendations",
        data={k: v for k, v in GR_356.items()},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    # then the page says so, GR has recommended, and GR is no longer offered in the form
    page = (await client.get(saved.headers["location"])).text
    assert "Förbundets rekommendation är registrerad." in page
    assert "rekommenderade 18 mars 2022 (Göteborgsregionens förbundsstyrelse § 356" in " ".join(page.split())
    assert '<option value="gr">' not in page
    overview = (await client.get(f"/api/agreements/{agreement['id']}/adoption")).json()
    assert {g["slug"]: g["recommendation"] is not None for g in overview["groups"]}["gr"] is True
