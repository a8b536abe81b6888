"""One decision for a package through the API (seed 003: Härryda's council adopts the health-care
agreement, its annexes and the Färdplan in one paragraph): stored once, shown in the adoption of
each covered agreement with the same legal dates, corrected once for all."""

from __future__ import annotations

from datetime import date

import pytest

from core.clock import freeze
from tests.agreements import HARRYDA_ADOPTS, create_agreement, decide, recommend, unique

TODAY = date(2026, 11, 23)
PARTIES = ["1401", "1480", "1489"]


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


async def _annex(client, parent_id: int, **changes) -> dict:
    response = await client.post(
        "/api/agreements",
        json={
            "structure": "vastra-gotaland",
            "kind": "bilaga",
            "title": unique("Bilaga"),
            "parent_id": parent_id,
            **changes,
        },
    )
    assert response.status_code == 201, response.text
    await recommend(client, response.json()["id"])
    return response.json()


async def _package(client) -> tuple[int, int, int, int]:
    """A main agreement with two annexes and a related document (a Färdplan), all recommended."""
    main = await create_agreement(client, party_codes=PARTIES)
    await recommend(client, main["id"])
    first = await _annex(client, main["id"])
    second = await _annex(client, main["id"])
    plan = await create_agreement(
        client,
        title=unique("Färdplan"),
        party_codes=PARTIES,
        term={"kind": "none"},
        entry_rule="when_all_final",
        entry_fixed_date=None,
    )
    await recommend(client, plan["id"])
    return main["id"], first["id"], second["id"], plan["id"]


def _row(overview: dict, code: str) -> dict:
    return next(p for p in overview["parties"] if p["party_code"] == code)


async def test_one_decision_counts_for_each_agreement_it_covers_and_is_corrected_once(client):
    main, first, second, plan = await _package(client)

    logged = await decide(client, main, "1401", {**HARRYDA_ADOPTS, "covers": [first, second, plan]})

    assert logged["agreement_id"] == main
    assert [c["id"] for c in logged["covers"]] == [first, second, plan]
    for agreement_id in (main, first, second, plan):
        decisions = (await client.get(f"/api/agreements/{agreement_id}/decisions")).json()
        assert [d["id"] for d in decisions] == [logged["id"]]
        row = _row((await client.get(f"/api/agreements/{agreement_id}/adoption")).json(), "1401")
        # anslag 2022-05-30: last appeal day Monday 2022-06-20, legally final 2022-06-21
        assert (row["status"], row["decided_on"], row["legally_final_on"]) == (
            "adopted",
            "2022-05-23",
            "2022-06-21",
        )
        assert row["decision"]["id"] == logged["id"]
        assert (row["decision"]["paragraph"], row["decision"]["case_number"]) == ("§ 77", "KS 2022/123")

    # when it is corrected once: the anslag was 2022-06-01
    corrected = await client.patch(f"/api/decisions/{logged['id']}", json={"anslag_date": "2022-06-01"})
    assert corrected.status_code == 200, corrected.text

    # then every covered agreement has the new legal dates: last appeal day 2022-06-22, final 06-23
    for agreement_id in (main, first, second, plan):
        row = _row((await client.get(f"/api/agreements/{agreement_id}/adoption")).json(), "1401")
        assert (row["legally_final_on"], row["decision"]["last_appeal_day"]) == ("2022-06-23", "2022-06-22")
        history = (await client.get(f"/api/agreements/{agreement_id}/history")).json()
        assert [(e["action"], e["entity_id"]) for e in history if e["entity"] == "party_decision"][:2] == [
            ("update", str(logged["id"])),
            ("create", str(logged["id"])),
        ]


async def test_a_package_decision_enters_each_covered_agreement_into_force(client):
    main, first, second, plan = await _package(client)
    finals = {"1401": "2022-05-30", "1480": "2022-09-12", "1489": "2022-10-03"}
    for code, anslag in finals.items():
        await decide(
            client,
            main,
            code,
            {**HARRYDA_ADOPTS, "justering_date": anslag, "anslag_date": anslag, "covers": [first, plan]},
        )

    # the last anslag 2022-10-03 (a Monday): last appeal day 2022-10-24, final 2022-10-25
    fardplan = (await client.get(f"/api/agreements/{plan}/adoption")).json()
    assert fardplan["counts"]["adopted"] == 3
    assert fardplan["in_force_from"] == "2022-10-25"
    covered = (await client.get(f"/api/agreements/{first}/adoption")).json()
    assert covered["counts"]["adopted"] == 3
    # the annex not covered is still waiting for every party
    uncovered = (await client.get(f"/api/agreements/{second}/adoption")).json()
    assert uncovered["counts"]["pending"] == 3


async def test_dropping_an_agreement_from_the_package_leaves_it_undecided(client):
    main, first, second, _plan = await _package(client)
    logged = await decide(client, main, "1401", {**HARRYDA_ADOPTS, "covers": [first, second]})

    response = await client.patch(f"/api/decisions/{logged['id']}", json={"covers": [first]})

    assert response.status_code == 200, response.text
    assert [c["id"] for c in response.json()["covers"]] == [first]
    assert (
        _row((await client.get(f"/api/agreements/{second}/adoption")).json(), "1401")["status"] == "pending"
    )
    assert (await client.get(f"/api/agreements/{second}/decisions")).json() == []
    # the change shows in the history of the agreement it left too
    history = (await client.get(f"/api/agreements/{second}/history")).json()
    assert [e["action"] for e in history if e["entity"] == "party_decision"] == ["update", "create"]


async def test_a_package_with_documents_one_paragraph_cannot_have_decided_is_refused(client):
    main, first, second, _plan = await _package(client)
    other_main = await create_agreement(client, party_codes=PARTIES)
    others_annex = await _annex(client, other_main["id"])
    stockholm = await create_agreement(client, structure="stockholm", party_codes=["0114", "0180"])
    without_harryda = await _annex(client, main, party_codes=["1480", "1489"])
    guideline = (
        await client.post(
            "/api/agreements",
            json={"structure": "vastra-gotaland", "kind": "riktlinje", "title": unique("Riktlinje")},
        )
    ).json()
    refused = {
        "the main itself": (
            main,
            [main],
            "Beslutet loggas redan på {main}; ange bara bilagor och tillhörande dokument.",
        ),
        "another's annex": (
            main,
            [others_annex["id"]],
            "{x} är bilaga till en annan överenskommelse än {main}.",
        ),
        "another structure": (main, [stockholm["id"]], "{x} hör till en annan samverkansstruktur än {main}."),
        "not a party": (main, [without_harryda["id"]], "Härryda (1401) är inte part i {x}."),
        "a guideline": (
            main,
            [guideline["id"]],
            "{x} beslutas av den gemensamma organisationen, inte av parterna.",
        ),
        "twice": (main, [first, first], "{x} står två gånger bland de dokument beslutet gäller."),
        "logged on an annex": (
            first,
            [second],
            "Ett beslut som gäller flera dokument loggas på huvudöverenskommelsen, inte på bilagan {main}.",
        ),
        "unknown": (main, [2_000_000_000], "Det finns ingen överenskommelse med id 2000000000."),
    }
    # each title read by its id: other tests' agreements share the register
    ids = {main, first, second, others_annex["id"], stockholm["id"], without_harryda["id"], guideline["id"]}
    titles = {i: (await client.get(f"/api/agreements/{i}")).json()["title"] for i in ids}
    for what, (on, covers, message) in refused.items():
        response = await client.post(
            f"/api/agreements/{on}/parties/1401/decisions", json={**HARRYDA_ADOPTS, "covers": covers}
        )
        assert response.status_code == 422, (what, response.text)
        expected = message.format(main=titles.get(on, ""), x=titles.get(covers[-1], ""))
        assert response.json()["detail"] == expected, what
        assert response.json()["invalid-params"][0]["name"] == "covers"
    assert (await client.get(f"/api/agreements/{main}/decisions")).json() == []


async def test_a_covered_agreement_not_yet_recommended_is_refused(client):
    main = await create_agreement(client, party_codes=PARTIES)
    await recommend(client, main["id"])
    annex = await client.post(
        "/api/agreements",
        json={
            "structure": "vastra-gotaland",
            "kind": "bilaga",
            "title": unique("Bilaga"),
            "parent_id": main["id"],
        },
    )
    annex = annex.json()

    response = await client.post(
        f"/api/agreements/{main['id']}/parties/1401/decisions",
        json={**HARRYDA_ADOPTS, "covers": [annex["id"]]},
    )

    assert response.status_code == 422
    assert response.json()["detail"].startswith(f"{annex['title']} är inte rekommenderad ännu")
    # a planned meeting may cover it already
    planned = {"body": "Kommunfullmäktige", "meeting_date": "2026-12-14", "outcome": "planned"}
    plan = await decide(client, main["id"], "1401", {**planned, "covers": [annex["id"]]})
    assert [c["id"] for c in plan["covers"]] == [annex["id"]]


async def test_a_package_over_an_agreement_the_party_has_already_adopted_asks_first(client):
    main, first, _second, _plan = await _package(client)
    own = await decide(client, first, "1401", HARRYDA_ADOPTS)
    later = {**HARRYDA_ADOPTS, "meeting_date": "2022-06-13", "justering_date": "2022-06-15"}
    later["anslag_date"] = "2022-06-16"

    response = await client.post(
        f"/api/agreements/{main}/parties/1401/decisions", json={**later, "covers": [first]}
    )

    assert response.status_code == 409
    assert f"(beslut {own['id']})" in response.json()["detail"]
    assert response.json()["invalid-params"][0]["name"] == "covers"
    confirmed = await client.post(
        f"/api/agreements/{main}/parties/1401/decisions",
        json={**later, "covers": [first], "confirm_new": True},
    )
    assert confirmed.status_code == 201, confirmed.text
    row = _row((await client.get(f"/api/agreements/{first}/adoption")).json(), "1401")
    assert (row["decided_on"], row["decision"]["id"]) == ("2022-06-13", confirmed.json()["id"])


async def test_a_decision_at_the_same_meeting_on_a_covered_agreement_is_refused(client):
    main, first, second, _plan = await _package(client)
    own = await decide(client, first, "1401", HARRYDA_ADOPTS)

    response = await client.post(
        f"/api/agreements/{main}/parties/1401/decisions",
        json={**HARRYDA_ADOPTS, "covers": [first], "confirm_new": True},
    )

    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        "Kommunfullmäktige i Härryda (1401) har redan ett beslut från 23 maj 2022 om "
    )
    assert f"(beslut {own['id']})" in response.json()["detail"]
    # and logging directly on a covered agreement what a package already decided is refused too
    package = await decide(client, main, "1401", {**HARRYDA_ADOPTS, "covers": [second]})
    direct = await client.post(f"/api/agreements/{second}/parties/1401/decisions", json=HARRYDA_ADOPTS)
    assert direct.status_code == 409
    assert f"(beslut {package['id']})" in direct.json()["detail"]


def _party_row(html: str, code: str) -> str:
    return html.split(f'<tr data-party="{code}">')[1].split("</tr>")[0]


async def test_the_decision_form_lets_the_clerk_tick_the_annexes_and_related_documents(client):
    main, first, second, plan = await _package(client)
    form = (await client.get(f"/agreements/{main}")).text.split('id="beslut"')[1].split("</form>")[0]
    assert "<legend>Samma beslut gäller även</legend>" in form
    assert f'id="decision-covers-{first}" name="covers" value="{first}"' in form
    assert f'id="decision-covers-{plan}" name="covers" value="{plan}"' in form
    assert form.index(f'value="{second}"') < form.index(f'value="{plan}"')  # the annexes first

    response = await client.post(
        f"/agreements/{main}/decisions",
        data={"party_code": "1401", **HARRYDA_ADOPTS, "covers": [str(first), str(plan)]},
        follow_redirects=False,
    )

    assert response.status_code == 303, response.text
    annex_page = (await client.get(f"/agreements/{first}")).text
    row = _party_row(annex_page, "1401")
    assert "Antagen" in row and "§ 77" in row and "21 juni 2022" in row
    assert f'samma beslut som för <a href="/agreements/{main}">huvuddokumentet</a>' in row
    assert "gäller även 2 dokument" in _party_row((await client.get(f"/agreements/{main}")).text, "1401")
    assert "Ej beslutat" in _party_row((await client.get(f"/agreements/{second}")).text, "1401")


async def test_a_package_the_form_cannot_save_comes_back_with_the_boxes_ticked(client):
    main, first, second, plan = await _package(client)
    own = await decide(client, first, "1401", HARRYDA_ADOPTS)

    response = await client.post(
        f"/agreements/{main}/decisions",
        data={"party_code": "1401", **HARRYDA_ADOPTS, "covers": [str(first), str(second)]},
    )

    assert response.status_code == 409
    html = response.text
    assert 'id="decision-covers-error"' in html and f"(beslut {own['id']})" in html
    assert f'value="{first}" checked' in html and f'value="{second}" checked' in html
    assert f'value="{plan}">' in html


async def test_the_party_pages_decision_form_ticks_the_annexes_and_related_documents_too(client):
    main, first, second, plan = await _package(client)
    titles = {
        a["agreement_id"]: a["title"]
        for a in (await client.get("/api/parties/1401/agreements")).json()["items"]
    }
    form = (await client.get("/parties/1401")).text.split('id="beslut"')[1].split("</form>")[0]
    assert "<legend>Samma beslut gäller även</legend>" in form
    assert (
        f'id="decision-covers-{first}" name="covers" value="{first}">\n'
        f'    <label for="decision-covers-{first}">Bilaga: {titles[first]}</label>'
    ) in form
    assert f'<label for="decision-covers-{plan}">{titles[plan]}</label>' in form

    response = await client.post(
        "/parties/1401/decisions",
        data={"agreement_id": str(main), **HARRYDA_ADOPTS, "covers": [str(first), str(plan)]},
        follow_redirects=False,
    )

    assert response.status_code == 303, response.text
    (logged,) = (await client.get(f"/api/agreements/{main}/decisions", params={"party": "1401"})).json()
    assert [c["id"] for c in logged["covers"]] == [first, plan]
    row = _party_row((await client.get(f"/agreements/{plan}")).text, "1401")
    assert (
        "Antagen" in row and f'samma beslut som för <a href="/agreements/{main}">huvuddokumentet</a>' in row
    )
    assert "Ej beslutat" in _party_row((await client.get(f"/agreements/{second}")).text, "1401")


async def test_a_package_the_party_page_cannot_save_comes_back_with_the_boxes_ticked(client):
    main, first, second, _ = await _package(client)
    own = await decide(client, first, "1401", HARRYDA_ADOPTS)

    response = await client.post(
        "/parties/1401/decisions",
        data={"agreement_id": str(main), **HARRYDA_ADOPTS, "covers": [str(first), str(second)]},
    )

    assert response.status_code == 409
    html = response.text
    assert 'id="decision-covers-error"' in html and f"(beslut {own['id']})" in html
    assert f'value="{first}" checked' in html and f'value="{second}" checked' in html
