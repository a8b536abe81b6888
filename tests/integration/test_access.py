"""Each person changes only what is theirs: roles and their scopes, through the API."""

from __future__ import annotations

import uuid

import pytest

from api.access import SIGN_IN_TO_READ
from tests.agreements import recommend
from tests.integration.conftest import bearer

VG = {"structure": "vastra-gotaland", "kind": "overenskommelse"}
ADOPTED = {
    "body": "Kommunfullmäktige",
    "meeting_date": "2022-05-23",
    "outcome": "adopted",
    "paragraph": "§ 77",
    "justering_date": "2022-05-27",
    "anslag_date": "2022-05-30",
}


async def agreement(client, structure: str = "vastra-gotaland", *, recommended: bool = False) -> int:
    body = {**VG, "structure": structure, "title": f"Åtkomstprov {uuid.uuid4().hex[:8]}"}
    response = await client.post("/api/agreements", json=body)
    assert response.status_code == 201, response.text
    agreement_id = response.json()["id"]
    if recommended:
        await recommend(client, agreement_id)
    return agreement_id


@pytest.fixture(scope="module")
async def recommended(client) -> int:
    return await agreement(client, recommended=True)


async def test_a_clerk_of_harryda_logging_a_decision_for_alingsas_is_refused_by_name(
    anonymous_client, make_user, recommended
):
    clerk = await make_user("clerk", party="1401")
    response = await anonymous_client.post(
        f"/api/agreements/{recommended}/parties/1489/decisions", json=ADOPTED, headers=bearer(clerk)
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Du får inte logga beslut för Alingsås (1489). Du är registrator för Härryda (1401)."
    )


async def test_a_clerk_logs_and_corrects_their_own_partys_decision(anonymous_client, make_user, recommended):
    clerk = await make_user("clerk", party="1401")
    logged = await anonymous_client.post(
        f"/api/agreements/{recommended}/parties/1401/decisions",
        json={**ADOPTED, "meeting_date": f"2022-05-{uuid.uuid4().int % 20 + 1:02d}"},
        headers=bearer(clerk),
    )
    assert logged.status_code == 201, logged.text
    corrected = await anonymous_client.patch(
        f"/api/decisions/{logged.json()['id']}", json={"case_number": "KS 2022/124"}, headers=bearer(clerk)
    )
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["case_number"] == "KS 2022/124"


async def test_a_clerk_cannot_correct_another_partys_decision(
    client, anonymous_client, make_user, recommended
):
    alingsas = await client.post(f"/api/agreements/{recommended}/parties/1489/decisions", json=ADOPTED)
    assert alingsas.status_code == 201, alingsas.text
    clerk = await make_user("clerk", party="1401")
    response = await anonymous_client.patch(
        f"/api/decisions/{alingsas.json()['id']}", json={"case_number": "X"}, headers=bearer(clerk)
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Du får inte rätta beslut för Alingsås (1489). Du är registrator för Härryda (1401)."
    )


async def test_a_clerk_may_not_record_process_steps(anonymous_client, make_user, recommended):
    clerk = await make_user("clerk", party="1401")
    response = await anonymous_client.post(
        f"/api/agreements/{recommended}/steps",
        json={"step": "uppdrag", "taken_on": "2023-01-01"},
        headers=bearer(clerk),
    )
    assert response.status_code == 403
    assert (
        response.json()["detail"]
        == "Du får inte registrera processteg. Du är registrator för Härryda (1401)."
    )


async def test_a_secretariat_runs_the_process_of_its_own_structure_only(client, anonymous_client, make_user):
    secretariat = await make_user("secretariat", structure="vastra-gotaland")
    own, stockholm = await agreement(client), await agreement(client, "stockholm")
    step = {"step": "uppdrag", "taken_on": "2021-03-01"}
    ok = await anonymous_client.post(f"/api/agreements/{own}/steps", json=step, headers=bearer(secretariat))
    refused = await anonymous_client.post(
        f"/api/agreements/{stockholm}/steps", json=step, headers=bearer(secretariat)
    )
    assert ok.status_code == 201, ok.text
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        f"Du får inte registrera processteg för överenskommelse {stockholm}. "
        "Du är sekretariat för VästKom (vastra-gotaland)."
    )


async def test_a_secretariat_creates_agreements_in_its_own_structure_only(anonymous_client, make_user):
    secretariat = await make_user("secretariat", structure="vastra-gotaland")
    own = await anonymous_client.post(
        "/api/agreements", json={**VG, "title": "Eget avtal"}, headers=bearer(secretariat)
    )
    other = await anonymous_client.post(
        "/api/agreements",
        json={**VG, "structure": "orebro", "title": "Annans avtal"},
        headers=bearer(secretariat),
    )
    assert own.status_code == 201, own.text
    assert other.status_code == 403
    assert other.json()["detail"] == (
        "Du får inte skapa överenskommelser i Samverkan Region Örebro län och länets kommuner. "
        "Du är sekretariat för VästKom (vastra-gotaland)."
    )


async def test_a_secretariat_logs_decisions_from_minutes_for_any_party_of_its_structure(
    anonymous_client, make_user, recommended
):
    secretariat = await make_user("secretariat", structure="vastra-gotaland")
    response = await anonymous_client.post(
        f"/api/agreements/{recommended}/parties/1490/decisions", json=ADOPTED, headers=bearer(secretariat)
    )
    assert response.status_code == 201, response.text


async def test_a_steward_edits_their_own_agreement_and_no_other(client, anonymous_client, make_user):
    own, other = await agreement(client), await agreement(client)
    steward = await make_user("steward", agreement_id=own)
    ok = await anonymous_client.patch(
        f"/api/agreements/{own}", json={"summary": "Förtydligad"}, headers=bearer(steward)
    )
    refused = await anonymous_client.patch(
        f"/api/agreements/{other}", json={"summary": "Förtydligad"}, headers=bearer(steward)
    )
    assert ok.status_code == 200, ok.text
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        f"Du får inte ändra uppgifter i registret för överenskommelse {other}. "
        f"Du är förvaltare av överenskommelse {own}."
    )


async def test_a_steward_does_not_log_decisions(anonymous_client, make_user, recommended):
    steward = await make_user("steward", agreement_id=recommended)
    response = await anonymous_client.post(
        f"/api/agreements/{recommended}/parties/1401/decisions", json=ADOPTED, headers=bearer(steward)
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        f"Du får inte logga beslut. Du är förvaltare av överenskommelse {recommended}."
    )


@pytest.mark.parametrize(
    ("role", "scope", "party", "status"),
    [
        ("clerk", {"party": "1401"}, "1401", 201),
        ("clerk", {"party": "1401"}, "1489", 403),
        ("secretariat", {"structure": "vastra-gotaland"}, "1489", 201),
        ("secretariat", {"structure": "stockholm"}, "1401", 403),
        ("viewer", {}, "1401", 403),
        ("steward", None, "1401", 403),
    ],
)
async def test_contacts_are_changed_by_their_partys_clerk_or_structures_secretariat(
    client, anonymous_client, make_user, role, scope, party, status
):
    scope = {"agreement_id": await agreement(client)} if scope is None else scope
    user = await make_user(role, **scope)
    email = f"kontakt-{uuid.uuid4().hex[:8]}@tests.example"
    response = await anonymous_client.post(
        f"/api/parties/{party}/contacts", json={"email": email}, headers=bearer(user)
    )
    assert response.status_code == status, response.text


async def test_a_viewer_reads_but_changes_nothing(anonymous_client, make_user, recommended):
    viewer = await make_user("viewer", name="Maria Sjö")
    assert (
        await anonymous_client.get(f"/api/agreements/{recommended}", headers=bearer(viewer))
    ).status_code == 200
    response = await anonymous_client.post(
        f"/api/agreements/{recommended}/steps",
        json={"step": "uppdrag", "taken_on": "2023-01-01"},
        headers=bearer(viewer),
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Du får inte registrera processteg. Du är läsare."


async def test_without_public_read_only_signed_in_users_read(anonymous_client, make_user, recommended):
    anonymous_client.app.state.public_read = False  # PUBLIC_READ=false (the fixture restores it)
    viewer = await make_user("viewer")
    anonymous = await anonymous_client.get(f"/api/agreements/{recommended}")
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"] == SIGN_IN_TO_READ
    assert (await anonymous_client.get("/api/parties")).status_code == 401
    assert (
        await anonymous_client.get(f"/api/agreements/{recommended}", headers=bearer(viewer))
    ).status_code == 200
    assert (await anonymous_client.get("/health")).status_code == 200
    assert (await anonymous_client.get("/schema/openapi.json")).status_code == 200


async def test_with_public_read_anyone_reads(anonymous_client, recommended):
    assert anonymous_client.app.state.public_read is True
    assert (await anonymous_client.get(f"/api/agreements/{recommended}")).status_code == 200


async def test_only_an_admin_manages_users_and_reads_the_audit_trail(anonymous_client, make_user):
    clerk = await make_user("clerk", party="1401", name="Anna Berg")
    for method, url in [("GET", "/api/users"), ("POST", "/api/users"), ("GET", "/api/audit")]:
        response = await anonymous_client.request(
            method, url, json={} if method == "POST" else None, headers=bearer(clerk)
        )
        assert response.status_code == 403
        assert response.json()["detail"] == (
            "Du får inte administrera användare och granskningsloggen. Du är registrator för Härryda (1401)."
        )


async def test_a_role_granted_takes_effect_on_the_next_request(client, anonymous_client, make_user):
    user = await make_user()
    response = await anonymous_client.post(
        "/api/agreements", json={**VG, "title": "Snart"}, headers=bearer(user)
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Du får inte skapa överenskommelser. Du har ingen roll ännu; be en administratör om behörighet."
    )
    granted = await client.post(
        f"/api/users/{user.id}/roles", json={"role": "secretariat", "structure": "vastra-gotaland"}
    )
    assert granted.status_code == 201
    response = await anonymous_client.post(
        "/api/agreements", json={**VG, "title": "Nu"}, headers=bearer(user)
    )
    assert response.status_code == 201, response.text


async def test_an_unknown_agreement_is_named_before_any_role_is_weighed(anonymous_client, make_user):
    secretariat = await make_user("secretariat", structure="vastra-gotaland")
    response = await anonymous_client.patch("/api/agreements/999999", json={}, headers=bearer(secretariat))
    assert response.status_code == 404
    assert response.json()["detail"] == "Överenskommelse 999999 finns inte."


class _Request:
    """What `authorize` reads of a request: its ASGI scope with the signed-in user."""

    def __init__(self, user) -> None:
        self.scope = {"user": user, "state": {}}


async def test_the_parties_a_form_offers_are_those_authorize_allows_one_by_one(client, make_user):
    from accounts.principal import load_user
    from api.access import allowed, allowed_parties

    agreement_id = await agreement(client, recommended=True)
    codes = ["1401", "1489", "1480", "0180"]  # three of Västra Götaland, one of Stockholm
    users = [
        await make_user("clerk", party="1401"),
        await make_user("clerk", party="0180"),
        await make_user("secretariat", structure="vastra-gotaland"),
        await make_user("secretariat", structure="stockholm"),
        await make_user("steward", agreement_id=agreement_id),
        await make_user("viewer"),
        await make_user("admin"),
    ]
    offered = []
    for test_user in users:
        user = await load_user(test_user.id)
        one_by_one = {
            code
            for code in codes
            if await allowed(_Request(user), "decision.log", agreement_id=agreement_id, party_code=code)
        }
        batch = await allowed_parties(_Request(user), "decision.log", agreement_id, codes)
        assert batch == one_by_one, test_user.email
        offered.append(batch)
    # the scope check alone: that 0180 is no party of this agreement is the service's refusal
    assert offered == [{"1401"}, {"0180"}, {"1401", "1489", "1480"}, set(), set(), set(), set(codes)]
    assert await allowed_parties(_Request(None), "decision.log", agreement_id, codes) == set()
