"""Input past its limits gets a 4xx in Swedish naming what is wrong, never a 500: ids and paging
beyond PostgreSQL's integer, a NUL in any text, text longer than its column, terms and dates
past the calendar (api.limits, core.limits, lifecycle.rules.term)."""

from __future__ import annotations

import pytest

PROBLEM = "application/problem+json"
TOO_BIG = 2**31
AGREEMENT = {"structure": "vastra-gotaland", "kind": "overenskommelse", "title": "Gränsfall"}
FIXED = {"kind": "fixed", "start": "2023-01-01", "end": "2026-12-31", "notice_months": 18, "renewal_years": 3}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/api/agreements/{TOO_BIG}"),
        ("PATCH", f"/api/agreements/{TOO_BIG}"),
        ("GET", f"/api/decisions/{TOO_BIG}"),
        ("POST", f"/api/feeds/{TOO_BIG}/rotate"),
        ("DELETE", f"/api/feeds/{TOO_BIG}"),
        ("GET", "/api/agreements/99999999999999999999999"),
    ],
)
async def test_an_id_beyond_the_integer_range_is_not_found(client, method, path):
    response = await client.request(method, path, json={} if method == "PATCH" else None)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["detail"] == f"Det finns ingenting på {path}."


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (f"/api/deadlines?agreement={TOO_BIG}", "agreement"),
        (f"/api/warnings?agreement={TOO_BIG}", "agreement"),
        (f"/api/deliveries?agreement={TOO_BIG}", "agreement"),
        ("/api/parties?offset=9223372036854775808", "offset"),
        ("/api/agreements?offset=9223372036854775808", "offset"),
        (f"/api/audit?agreement_id={TOO_BIG}", "agreement_id"),
    ],
)
async def test_a_query_number_beyond_the_integer_range_is_a_bad_request_naming_it(client, path, name):
    response = await client.get(path)
    assert response.status_code == 400
    assert (
        response.json()["detail"] == f"Parametern {name} får vara högst 2147483647 (och minst -2147483648)."
    )
    assert response.json()["invalid-params"][0]["name"] == name


@pytest.mark.parametrize(
    ("method", "path", "body", "where"),
    [
        ("POST", "/api/auth/tokens", {"name": "a\u0000b"}, "Fältet name"),
        ("POST", "/api/agreements", {**AGREEMENT, "summary": "x\u0000"}, "Fältet summary"),
        ("POST", "/api/agreements", {**AGREEMENT, "law_refs": ["SoL\u0000"]}, "Fältet law_refs[0]"),
        ("GET", "/api/parties/%00", None, "Sökvägens del party_code"),
        ("GET", "/api/parties?structure=a%00b", None, "Parametern structure"),
    ],
)
async def test_a_nul_in_any_text_is_a_bad_request_naming_the_field(client, method, path, body, where):
    response = await client.request(method, path, json=body)
    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"{where} innehåller ett NUL-tecken (\\u0000), som inte kan sparas. Ta bort det och försök igen."
    )


async def test_a_nul_in_a_decision_note_is_refused_and_nothing_is_stored(client):
    created = await client.post("/api/agreements", json=AGREEMENT)
    agreement = created.json()["id"]
    decision = {
        "body": "Kommunfullmäktige",
        "meeting_date": "2024-05-23",
        "outcome": "planned",
        "note": "\u0000",
    }
    response = await client.post(f"/api/agreements/{agreement}/parties/1401/decisions", json=decision)
    assert (response.status_code, response.json()["invalid-params"][0]["name"]) == (400, "note")
    assert (await client.get(f"/api/agreements/{agreement}/decisions")).json() == []


@pytest.mark.parametrize(
    ("path", "body", "detail"),
    [
        ("/api/agreements", {**AGREEMENT, "title": "t" * 301}, "Fältet title får ha högst 300 tecken."),
        (
            "/api/users",
            {"email": "lang@tests.example", "name": "n" * 201},
            "Fältet name får ha högst 200 tecken.",
        ),
        ("/api/auth/tokens", {"name": "n" * 101}, "Fältet name får ha högst 100 tecken."),
    ],
)
async def test_text_longer_than_its_column_is_refused_naming_field_and_limit(client, path, body, detail):
    response = await client.post(path, json=body)
    assert response.status_code == 422
    assert response.json()["detail"] == detail


async def test_a_decision_body_of_121_characters_is_refused(client):
    agreement = (await client.post("/api/agreements", json=AGREEMENT)).json()["id"]
    decision = {"body": "K" * 121, "meeting_date": "2024-05-23", "outcome": "planned"}
    response = await client.post(f"/api/agreements/{agreement}/parties/1401/decisions", json=decision)
    assert response.status_code == 422
    assert response.json()["detail"] == "Fältet body får ha högst 120 tecken."


@pytest.mark.parametrize(
    ("term", "detail"),
    [
        ({**FIXED, "notice_months": 999999}, "Fältet term.notice_months får vara högst 60."),
        ({**FIXED, "renewal_years": 99999}, "Fältet term.renewal_years får vara högst 10."),
        (
            {**FIXED, "end": "9999-12-31"},
            "Datumet i fältet term.end ska ligga mellan 1900-01-01 och 2199-12-31.",
        ),
    ],
)
async def test_a_term_past_the_calendar_is_refused_with_its_bounds(client, term, detail):
    response = await client.post("/api/agreements", json={**AGREEMENT, "term": term})
    assert response.status_code == 422
    assert response.json()["detail"] == detail


async def test_the_limits_are_in_the_openapi_schema(client):
    schemas = (await client.get("/schema/openapi.json")).json()["components"]["schemas"]
    assert schemas["AgreementCreate"]["properties"]["title"]["maxLength"] == 300
    assert schemas["DecisionIn"]["properties"]["body"]["maxLength"] == 120
    assert schemas["UserIn"]["properties"]["name"]["maxLength"] == 200
    term = schemas["TermIn"]["properties"]
    assert (term["notice_months"]["maximum"], term["renewal_years"]["maximum"]) == (60, 10)
