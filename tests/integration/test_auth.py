"""Signing in with a password (session cookie), lock-outs, API tokens, and their audit events."""

from __future__ import annotations

import pytest
import redis.asyncio as aioredis

from api.security import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, redis_namespace
from api.throttle import ADDRESS_FAILURES, LOCKED, LoginThrottle
from audit.trail import history
from core.settings import get_settings
from tests.integration.conftest import bearer

PASSWORD = "rätt-hästbatteri-häftstift"
WRONG = {
    "title": "Inloggning krävs",
    "status": 401,
    "detail": "Fel e-postadress eller lösenord.",
    "instance": "/api/auth/login",
}


@pytest.fixture(autouse=True)
async def _fresh_address_count():
    """Failures from the test client's address count across tests; start each from zero. (A client
    of our own: the app's runs on the test client's loop.)"""
    redis = aioredis.from_url(get_settings().redis_url)
    throttle = LoginThrottle(redis, redis_namespace(get_settings()))
    await redis.delete(throttle.keys("-", "testclient")[1])
    await redis.aclose()


async def csrf(client) -> dict[str, str]:
    """What a browser page does: read the CSRF cookie a GET set, send it back in the header."""
    if CSRF_COOKIE not in client.cookies:
        await client.get("/health")
    return {CSRF_HEADER: client.cookies[CSRF_COOKIE]}


async def login(client, email: str, password: str):
    return await client.post(
        "/api/auth/login", json={"email": email, "password": password}, headers=await csrf(client)
    )


async def test_signing_in_sets_a_session_cookie_that_identifies_the_user(anonymous_client, make_user):
    user = await make_user("clerk", party="1401", password=PASSWORD, name="Anna Berg")
    response = await login(anonymous_client, user.email.upper(), PASSWORD)
    assert response.status_code == 200
    assert response.json()["label"] == "Anna Berg (registrator, Härryda)"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie  # BASE_URL is http in the tests; https makes it Secure
    me = await anonymous_client.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json() == {
        "id": user.id,
        "email": user.email,
        "name": "Anna Berg",
        "label": "Anna Berg (registrator, Härryda)",
        "signed_in_with": "session",
        "roles": [
            {
                "id": me.json()["roles"][0]["id"],
                "role": "clerk",
                "structure": None,
                "party": "1401",
                "agreement_id": None,
                "label": "registrator, Härryda",
            }
        ],
    }


async def test_an_anonymous_request_gets_no_session_cookie(anonymous_client):
    response = await anonymous_client.get("/api/structures")
    assert response.status_code == 200
    assert [h for h in response.headers.get_list("set-cookie") if h.startswith(SESSION_COOKIE)] == []


async def test_signing_in_replaces_a_session_id_planted_before(anonymous_client, make_user):
    # given an attacker's session id planted in the victim's browser
    planted = "a" * 64
    user = await make_user("viewer", password=PASSWORD)
    anonymous_client.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")
    # when the victim signs in
    assert (await login(anonymous_client, user.email, PASSWORD)).status_code == 200
    # then the victim's session has a new id, and the planted one signs nobody in
    assert anonymous_client.cookies[SESSION_COOKIE] not in (planted, "null")
    assert (await anonymous_client.get("/api/auth/me")).status_code == 200
    anonymous_client.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")
    assert (await anonymous_client.get("/api/auth/me")).status_code == 401


async def test_signing_out_ends_the_session(anonymous_client, make_user):
    user = await make_user("viewer", password=PASSWORD)
    await login(anonymous_client, user.email, PASSWORD)
    session_id = anonymous_client.cookies[SESSION_COOKIE]
    response = await anonymous_client.post("/api/auth/logout", headers=await csrf(anonymous_client))
    assert response.status_code == 204
    assert (await anonymous_client.get("/api/auth/me")).status_code == 401
    # the old id is worth nothing even if it was copied
    anonymous_client.cookies.set(SESSION_COOKIE, session_id)
    assert (await anonymous_client.get("/api/auth/me")).status_code == 401


async def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(anonymous_client, make_user):
    user = await make_user("viewer", password=PASSWORD)
    wrong_password = await login(anonymous_client, user.email, "fel-lösenord-123")
    unknown = await login(anonymous_client, "ingen-alls@tests.example", "fel-lösenord-123")
    token_only = await make_user("viewer")
    no_password = await login(anonymous_client, token_only.email, "fel-lösenord-123")
    for response in (wrong_password, unknown, no_password):
        assert response.status_code == 401
        assert response.json() == WRONG
    assert SESSION_COOKIE not in anonymous_client.cookies


async def test_the_sixth_try_after_five_failures_is_refused_even_with_the_right_password(
    anonymous_client, make_user
):
    user = await make_user("viewer", password=PASSWORD)
    statuses = [
        (await login(anonymous_client, user.email, f"fel-{i}-lösenord")).status_code for i in range(5)
    ]
    locked = await login(anonymous_client, user.email, PASSWORD)
    assert statuses == [401] * 5
    assert locked.status_code == 429
    assert locked.headers["retry-after"] == "900"
    assert (
        locked.json()["detail"] == LOCKED == "För många misslyckade inloggningar. Försök igen om 15 minuter."
    )
    # another account from the same address still signs in
    other = await make_user("viewer", password=PASSWORD)
    assert (await login(anonymous_client, other.email, PASSWORD)).status_code == 200


async def test_one_address_failing_on_many_accounts_is_locked_out(anonymous_client, make_user):
    user = await make_user("viewer", password=PASSWORD)
    for i in range(ADDRESS_FAILURES):
        assert (
            await login(anonymous_client, f"gissning-{i}@tests.example", "fel-lösenord-1")
        ).status_code == 401
    response = await login(anonymous_client, user.email, PASSWORD)
    assert response.status_code == 429
    assert response.json()["detail"] == LOCKED


async def test_a_success_clears_the_accounts_failures(anonymous_client, make_user):
    user = await make_user("viewer", password=PASSWORD)
    for i in range(4):
        await login(anonymous_client, user.email, f"fel-{i}-lösenord")
    assert (await login(anonymous_client, user.email, PASSWORD)).status_code == 200
    for i in range(4):
        await login(anonymous_client, user.email, f"fel-{i}-lösenord")
    assert (await login(anonymous_client, user.email, PASSWORD)).status_code == 200


async def test_sign_ins_failures_and_lock_outs_are_in_the_audit_trail(anonymous_client, make_user):
    user = await make_user("viewer", password=PASSWORD, name="Maria Sjö")
    await login(anonymous_client, user.email, PASSWORD)
    for i in range(5):
        await login(anonymous_client, user.email, f"fel-{i}-lösenord")
    events = await history(entity="user", entity_id=user.id)
    assert [(e["action"], e["actor"], e["after"]) for e in events] == [
        *[
            ("refused", "anonym", {"email": user.email, "ip": "testclient", "reason": "fel lösenord"})
            for _ in range(5)
        ],
        ("sign-in", "Maria Sjö (läsare)", {"ip": "testclient"}),
        ("create", "system: tests", {"email": user.email, "name": "Maria Sjö", "password": True}),
    ]
    lockouts = [e for e in await history(entity="user", entity_id="-", limit=50) if e["action"] == "lockout"]
    assert lockouts[0]["after"] == {"email": user.email, "ip": "testclient", "scope": "account"}


async def test_an_unknown_address_leaves_a_refused_event_naming_it(anonymous_client):
    await login(anonymous_client, "Okand.Person@Tests.Example", "fel-lösenord-123")
    events = [e for e in await history(entity="user", entity_id="-", limit=20) if e["action"] == "refused"]
    assert events[0]["after"] == {
        "email": "okand.person@tests.example",
        "ip": "testclient",
        "reason": "okänd adress",
    }


async def test_a_token_is_shown_once_works_as_bearer_and_records_its_last_use(anonymous_client, make_user):
    user = await make_user("clerk", party="1401", name="Anna Berg")
    created = await anonymous_client.post("/api/auth/tokens", json={"name": "diariet"}, headers=bearer(user))
    assert created.status_code == 201
    token = created.json()["token"]
    assert token.startswith("sv_")
    assert created.json()["prefix"] == token[:10]
    assert created.json()["last_used_at"] is None

    me = await anonymous_client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["signed_in_with"] == "token"
    assert me.json()["label"] == "Anna Berg (registrator, Härryda)"

    listed = (await anonymous_client.get("/api/auth/tokens", headers=bearer(user))).json()
    mine = next(t for t in listed if t["id"] == created.json()["id"])
    assert "token" not in mine
    assert mine["name"] == "diariet"
    assert mine["last_used_at"] is not None
    assert mine["revoked_at"] is None


async def test_a_revoked_token_is_refused_with_a_message(anonymous_client, make_user):
    user = await make_user("viewer")
    created = (
        await anonymous_client.post("/api/auth/tokens", json={"name": "engångs"}, headers=bearer(user))
    ).json()
    revoked = await anonymous_client.delete(f"/api/auth/tokens/{created['id']}", headers=bearer(user))
    assert revoked.status_code == 204
    response = await anonymous_client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {created['token']}"}
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "API-nyckeln är okänd eller återkallad."
    again = await anonymous_client.delete(f"/api/auth/tokens/{created['id']}", headers=bearer(user))
    assert again.status_code == 404


async def test_nobody_revokes_another_users_token(anonymous_client, make_user):
    owner, other = await make_user("viewer"), await make_user("viewer")
    created = (
        await anonymous_client.post("/api/auth/tokens", json={"name": "x"}, headers=bearer(owner))
    ).json()
    response = await anonymous_client.delete(f"/api/auth/tokens/{created['id']}", headers=bearer(other))
    assert response.status_code == 404
    assert (
        await anonymous_client.get("/api/auth/me", headers={"Authorization": f"Bearer {created['token']}"})
    ).status_code == 200


async def test_an_unknown_bearer_token_is_a_401_not_an_anonymous_request(anonymous_client):
    response = await anonymous_client.get("/api/structures", headers={"Authorization": "Bearer sv_nonsense"})
    assert response.status_code == 401
    assert response.json()["detail"] == "API-nyckeln är okänd eller återkallad."


async def test_token_creation_and_revocation_are_audited_without_the_secret(anonymous_client, make_user):
    user = await make_user("viewer", name="Maria Sjö")
    created = (
        await anonymous_client.post("/api/auth/tokens", json={"name": "rapport"}, headers=bearer(user))
    ).json()
    await anonymous_client.delete(f"/api/auth/tokens/{created['id']}", headers=bearer(user))
    events = await history(entity="api_token", entity_id=created["id"])
    assert [(e["action"], e["actor"], e["before"], e["after"]) for e in events] == [
        ("revoke", "Maria Sjö (läsare)", {"user": user.id, "name": "rapport"}, None),
        ("create", "Maria Sjö (läsare)", None, {"user": user.id, "name": "rapport"}),
    ]


async def test_role_grants_and_revocations_are_audited(client, admin, make_user):
    user = await make_user()
    granted = await client.post(f"/api/users/{user.id}/roles", json={"role": "clerk", "party": "1489"})
    assert granted.status_code == 201
    assert granted.json()["label"] == "registrator, Alingsås"
    grant_id = granted.json()["id"]
    assert (await client.delete(f"/api/users/{user.id}/roles/{grant_id}")).status_code == 204
    events = await history(entity="role_grant", entity_id=grant_id)
    scope = {"user": user.id, "role": "clerk", "structure": None, "party": "1489", "agreement_id": None}
    assert [(e["action"], e["actor_user_id"], e["before"], e["after"]) for e in events] == [
        ("revoke", admin.id, scope, None),
        ("grant", admin.id, None, scope),
    ]


@pytest.mark.parametrize(
    ("grant", "status", "detail"),
    [
        (
            {"role": "kung"},
            422,
            "Okänd roll 'kung'. Kända roller: admin, secretariat, clerk, steward, viewer.",
        ),
        ({"role": "clerk"}, 422, "Rollen clerk gäller en part (party); ange just den."),
        (
            {"role": "admin", "party": "1401"},
            422,
            "Rollen admin gäller överallt; ange varken struktur, part eller överenskommelse.",
        ),
        ({"role": "clerk", "party": "9999"}, 422, "Det finns ingen part med koden '9999'."),
        ({"role": "steward", "agreement_id": 999999}, 422, "Överenskommelse 999999 finns inte."),
        ({"role": "secretariat", "structure": "gotland"}, 422, "Samverkansstrukturen 'gotland' finns inte."),
    ],
)
async def test_a_grant_with_the_wrong_scope_is_refused_with_a_reason(
    client, make_user, grant, status, detail
):
    user = await make_user()
    response = await client.post(f"/api/users/{user.id}/roles", json=grant)
    assert response.status_code == status
    assert response.json()["detail"] == detail


async def test_the_same_grant_twice_is_a_conflict(client, make_user):
    user = await make_user("secretariat", structure="orebro")
    response = await client.post(
        f"/api/users/{user.id}/roles", json={"role": "secretariat", "structure": "orebro"}
    )
    assert response.status_code == 409


async def test_an_admin_creates_a_user_who_can_then_sign_in(client, anonymous_client):
    email = "Ny.Person@Tests.Example"
    created = await client.post(
        "/api/users", json={"email": email, "name": "Ny Person", "password": PASSWORD}
    )
    assert created.status_code == 201
    assert created.json()["email"] == "ny.person@tests.example"
    assert created.json()["has_password"] is True
    assert (await login(anonymous_client, email, PASSWORD)).status_code == 200
    again = await client.post("/api/users", json={"email": email, "name": "Ny Person"})
    assert again.status_code == 409


async def test_a_short_password_is_refused(client):
    response = await client.post(
        "/api/users", json={"email": "kort@tests.example", "name": "Kort", "password": "kort"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Lösenordet måste ha minst 10 tecken."
