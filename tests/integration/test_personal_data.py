"""Personal data is not public, PUBLIC_READ or not: the reminders' recipients (deliveries) are
for admins and a secretariat's own structure, contacts' addresses for those who may edit them,
stewards' addresses for those who handle the agreement; and a published feed link of an
agreement or a structure is not a clerk's to make or rotate."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.clock import today
from notifications.sweep import sweep
from tests.integration.conftest import bearer
from tests.integration.reminders.helpers import decide, make_agreement


@pytest.fixture
async def swept():
    """An Örebro agreement whose Degerfors (1862) meeting in a week is reminded of today."""
    made = await make_agreement(parties=("18", "1862"), status="draft", term={"term_kind": "none"})
    await decide(made, "1862", outcome="planned", meeting=today() + timedelta(days=7))
    await made.refresh(today())
    await sweep(today())
    yield made
    await made.cleanup()


async def test_deliveries_are_for_admins_and_the_structures_secretariat(anonymous_client, make_user, swept):
    params = {"agreement": swept.agreement_id}
    admin = await make_user("admin")
    orebro = await make_user("secretariat", structure="orebro")
    vastra = await make_user("secretariat", structure="vastra-gotaland")
    clerk = await make_user("clerk", party="1862")
    viewer = await make_user("viewer")

    async def total(user) -> int:
        response = await anonymous_client.get("/api/deliveries", params=params, headers=bearer(user))
        assert response.status_code == 200, response.text
        return response.json()["total"]

    everyone = await total(admin)
    assert everyone >= 4  # Degerfors's registrator, two stewards, the secretariat
    assert await total(orebro) == everyone
    assert await total(vastra) == 0  # another structure's recipients are not its to see
    assert (await anonymous_client.get("/api/deliveries", params=params)).status_code == 401
    for user in (clerk, viewer):
        refused = await anonymous_client.get("/api/deliveries", params=params, headers=bearer(user))
        assert refused.status_code == 403
        assert refused.json()["detail"].startswith("Du får inte se utskick och mottagare av påminnelser.")


async def test_a_partys_contact_addresses_are_shown_only_to_those_who_may_edit_them(
    client, anonymous_client, make_user
):
    added = await client.post(
        "/api/parties/1401/contacts", json={"email": "diariet@harryda.example", "name": "Diariet"}
    )
    assert added.status_code == 201, added.text
    try:

        async def addresses(user=None) -> list[str]:
            headers = bearer(user) if user else {}
            response = await anonymous_client.get("/api/parties/1401", headers=headers)
            assert response.status_code == 200
            return [c["email"] for c in response.json()["contacts"]]

        assert "diariet@harryda.example" in await addresses(await make_user("clerk", party="1401"))
        assert "diariet@harryda.example" in await addresses(
            await make_user("secretariat", structure="vastra-gotaland")
        )
        assert await addresses() == []
        assert await addresses(await make_user("viewer")) == []
        assert await addresses(await make_user("clerk", party="1489")) == []
    finally:
        await client.delete(f"/api/parties/1401/contacts/{added.json()['id']}")


STEWARD = {"name": "Stina Förvaltare", "email": "stina.forvaltare@vgregion.example", "organisation": "VGR"}


async def test_a_stewards_address_is_shown_only_to_those_who_handle_the_agreement(
    client, anonymous_client, make_user
):
    created = await client.post(
        "/api/agreements",
        json={
            "structure": "vastra-gotaland",
            "kind": "overenskommelse",
            "title": "Förvaltarnas adresser",
            "party_codes": ["14", "1401"],
            "stewards": [STEWARD],
        },
    )
    assert created.status_code == 201, created.text
    agreement = created.json()["id"]

    async def seen(user=None) -> tuple[list[dict], str, str]:
        headers = bearer(user) if user else {}
        detail = await anonymous_client.get(f"/api/agreements/{agreement}", headers=headers)
        history = await anonymous_client.get(f"/api/agreements/{agreement}/history", headers=headers)
        page = await anonymous_client.get(f"/agreements/{agreement}", headers=headers)
        assert (detail.status_code, history.status_code, page.status_code) == (200, 200, 200)
        return detail.json()["stewards"], history.text, page.text

    hidden = [{**STEWARD, "email": None}]
    for user in (
        None,
        await make_user("viewer"),
        await make_user("clerk", party="1401"),
        await make_user("secretariat", structure="orebro"),
        await make_user("steward", agreement_id=1),
    ):
        stewards, history, page = await seen(user)
        assert stewards == hidden
        assert STEWARD["email"] not in history
        assert '"stewards":[{"name":"Stina Förvaltare","email":null,"organisation":"VGR"}]' in history
        assert "Stina Förvaltare, VGR" in page
        assert STEWARD["email"] not in page
    for user in (
        await make_user("admin"),
        await make_user("secretariat", structure="vastra-gotaland"),
        await make_user("steward", agreement_id=agreement),
    ):
        stewards, history, page = await seen(user)
        assert stewards == [STEWARD]
        assert f'"stewards":[{{"name":"Stina Förvaltare","email":"{STEWARD["email"]}"' in history
        assert f'<a href="mailto:{STEWARD["email"]}">{STEWARD["email"]}</a>' in page


async def test_a_clerk_makes_its_partys_feed_links_but_not_an_agreements(client, anonymous_client, make_user):
    created = await client.post(
        "/api/agreements", json={"structure": "vastra-gotaland", "kind": "overenskommelse", "title": "Länkar"}
    )
    agreement = created.json()["id"]
    clerk = await make_user("clerk", party="1401")
    steward = await make_user("steward", agreement_id=agreement)
    published = await client.post("/api/feeds", json={"scope": "agreement", "key": agreement})
    assert published.status_code == 201, published.text

    refused = await anonymous_client.post(
        "/api/feeds", json={"scope": "agreement", "key": agreement}, headers=bearer(clerk)
    )
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith(
        f"Du får inte hantera nycklar till kalenderflöden för överenskommelse {agreement}."
    )
    rotate = f"/api/feeds/{published.json()['id']}/rotate"
    assert (await anonymous_client.post(rotate, headers=bearer(clerk))).status_code == 403
    assert (await anonymous_client.post(rotate, headers=bearer(steward))).status_code == 201
    own = await anonymous_client.post(
        "/api/feeds", json={"scope": "party", "key": "1401"}, headers=bearer(clerk)
    )
    assert own.status_code == 201, own.text
    structure = await anonymous_client.post(
        "/api/feeds", json={"scope": "structure", "key": "vastra-gotaland"}, headers=bearer(clerk)
    )
    assert structure.status_code == 403
