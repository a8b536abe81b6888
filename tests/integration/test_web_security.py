"""CSRF protection for cookie-authenticated changes, and security headers on every response."""

from __future__ import annotations

import uuid

import pytest

from api.security import CSP, CSRF_COOKIE, CSRF_HEADER, CSRF_REFUSED, HSTS
from tests.integration.conftest import bearer

PASSWORD = "rätt-hästbatteri-häftstift"


async def signed_in_browser(client, make_user, role: str = "clerk", **scope) -> None:
    """A browser session: the CSRF cookie from a page, then a sign-in with it."""
    user = await make_user(role, password=PASSWORD, **scope)
    await client.get("/health")
    response = await client.post(
        "/api/auth/login",
        json={"email": user.email, "password": PASSWORD},
        headers={CSRF_HEADER: client.cookies[CSRF_COOKIE]},
    )
    assert response.status_code == 200


def contact() -> dict:
    return {"email": f"csrf-{uuid.uuid4().hex[:8]}@tests.example"}


async def test_a_cookie_authenticated_change_without_the_csrf_token_is_refused(anonymous_client, make_user):
    await signed_in_browser(anonymous_client, make_user, party="1401")
    response = await anonymous_client.post("/api/parties/1401/contacts", json=contact())
    assert response.status_code == 403
    assert response.json()["detail"] == CSRF_REFUSED


async def test_a_cookie_authenticated_change_with_a_forged_token_is_refused(anonymous_client, make_user):
    await signed_in_browser(anonymous_client, make_user, party="1401")
    response = await anonymous_client.post(
        "/api/parties/1401/contacts", json=contact(), headers={CSRF_HEADER: "0" * 128}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == CSRF_REFUSED


async def test_a_cookie_authenticated_change_with_the_token_in_the_header_is_accepted(
    anonymous_client, make_user
):
    await signed_in_browser(anonymous_client, make_user, party="1401")
    response = await anonymous_client.post(
        "/api/parties/1401/contacts",
        json=contact(),
        headers={CSRF_HEADER: anonymous_client.cookies[CSRF_COOKIE]},
    )
    assert response.status_code == 201, response.text


async def test_a_form_carries_the_token_in_its_hidden_field(anonymous_client, make_user):
    await signed_in_browser(anonymous_client, make_user, party="1401")
    token = anonymous_client.cookies[CSRF_COOKIE]
    without = await anonymous_client.post("/logout", data={}, follow_redirects=False)
    assert without.status_code == 403
    with_field = await anonymous_client.post("/logout", data={"_csrf_token": token}, follow_redirects=False)
    assert with_field.status_code == 303
    assert (await anonymous_client.get("/api/auth/me")).status_code == 401


EXPIRED_FORM = "Formuläret hade gått ut. Ladda om sidan och försök igen."


@pytest.mark.parametrize("sent", [None, "0" * 128])
async def test_a_page_form_without_a_valid_token_gets_a_swedish_page_with_the_way_back(
    anonymous_client, make_user, sent
):
    await signed_in_browser(anonymous_client, make_user, party="1401")
    form = {"agreement_id": "1", "body": "Kommunfullmäktige"} | ({"_csrf_token": sent} if sent else {})
    response = await anonymous_client.post(
        "/parties/1401/decisions",
        data=form,
        headers={"referer": "http://testserver.local/parties/1401?sparat=beslut"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in response.text
    assert EXPIRED_FORM in response.text
    assert 'href="/parties/1401?sparat=beslut">Tillbaka till formuläret</a>' in response.text
    assert "CSRF" not in response.text


async def test_the_way_back_from_a_refused_form_never_leads_to_another_site(anonymous_client, make_user):
    await signed_in_browser(anonymous_client, make_user, party="1401")
    for referer in ("https://elsewhere.example/parties/1401", "//elsewhere.example/x", ""):
        response = await anonymous_client.post(
            "/logout", data={}, headers={"referer": referer}, follow_redirects=False
        )
        assert response.status_code == 403
        assert 'href="/">Tillbaka till formuläret</a>' in response.text


async def test_an_api_request_without_the_token_keeps_its_problem_unless_a_browser_asks_for_html(
    anonymous_client, make_user
):
    await signed_in_browser(anonymous_client, make_user, party="1401")
    for accept in (None, "*/*", "application/json"):
        headers = {"accept": accept} if accept else {}
        response = await anonymous_client.post("/api/parties/1401/contacts", json=contact(), headers=headers)
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == CSRF_REFUSED
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = await anonymous_client.post(
        "/api/parties/1401/contacts", json=contact(), headers={"accept": browser}
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert EXPIRED_FORM in response.text


async def test_an_api_token_needs_no_csrf_token(anonymous_client, make_user):
    clerk = await make_user("clerk", party="1401")
    response = await anonymous_client.post(
        "/api/parties/1401/contacts", json=contact(), headers=bearer(clerk)
    )
    assert response.status_code == 201, response.text
    assert CSRF_COOKIE not in anonymous_client.cookies  # token requests get no CSRF cookie either


async def test_a_session_and_a_token_together_answer_as_the_token(anonymous_client, make_user):
    # a forged cross-site request cannot add the header, so the session alone is never enough
    await signed_in_browser(anonymous_client, make_user, party="1401")
    viewer = await make_user("viewer")
    response = await anonymous_client.get("/api/auth/me", headers=bearer(viewer))
    assert response.json()["id"] == viewer.id


@pytest.mark.parametrize(
    "path", ["/health", "/api/structures", "/api/nothing-here", "/api/parties/9999", "/api/auth/me"]
)
async def test_every_answer_carries_the_security_headers(anonymous_client, path):
    response = await anonymous_client.get(path)
    assert response.headers["content-security-policy"] == CSP
    assert "frame-ancestors 'none'" in CSP
    assert "default-src 'self'" in CSP
    assert "script-src 'self';" in CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["permissions-policy"].startswith("camera=(), microphone=(), geolocation=()")
    assert response.headers["x-frame-options"] == "DENY"


async def test_the_api_documentation_may_start_its_renderer_but_loads_nothing_from_elsewhere(
    anonymous_client,
):
    response = await anonymous_client.get("/schema/swagger")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline';" in policy
    assert "http" not in policy
    assert "frame-ancestors 'none'" in policy


async def test_a_405_and_a_problem_answer_carry_the_headers_too(anonymous_client):
    response = await anonymous_client.put("/api/structures")
    assert response.status_code == 405
    assert response.headers["content-security-policy"] == CSP


async def test_an_unauthenticated_api_write_hears_401_not_the_csrf_refusal(anonymous_client):
    body = {"structure": "vastra-gotaland", "kind": "overenskommelse", "title": "Utan inloggning"}
    response = await anonymous_client.post("/api/agreements", json=body)
    assert response.status_code == 401
    assert response.json()["detail"] == "Logga in, eller använd en API-nyckel, för att göra det här."


async def test_a_program_signs_in_as_the_readme_says_and_a_sign_in_without_the_token_is_refused(
    anonymous_client, make_user
):
    user = await make_user("viewer", password=PASSWORD)
    credentials = {"email": user.email, "password": PASSWORD}
    # without the CSRF cookie echoed: refused, as every cookie-setting change
    refused = await anonymous_client.post("/api/auth/login", json=credentials)
    assert (refused.status_code, refused.json()["detail"]) == (403, CSRF_REFUSED)
    # the documented steps: any GET sets samverkan_csrf; send it back in x-csrftoken
    await anonymous_client.get("/health")
    token = anonymous_client.cookies[CSRF_COOKIE]
    signed = await anonymous_client.post("/api/auth/login", json=credentials, headers={CSRF_HEADER: token})
    assert signed.status_code == 200
    me = await anonymous_client.get("/api/auth/me")
    assert me.json()["email"] == user.email


@pytest.fixture
async def https_client(monkeypatch):
    """An app whose BASE_URL is https, as in production."""
    from litestar.testing import AsyncTestClient

    from api.app import create_app
    from core.settings import get_settings

    monkeypatch.setenv("BASE_URL", "https://samverkan.example.org")
    get_settings.cache_clear()
    try:
        async with AsyncTestClient(app=create_app(manage_pool=False)) as test_client:
            yield test_client
    finally:
        get_settings.cache_clear()  # monkeypatch gives BASE_URL back after this


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/health", 200),
        ("GET", "/", 200),
        ("GET", "/api/structures", 200),
        ("GET", "/api/nothing-here", 404),
        ("PUT", "/api/structures", 405),
        ("POST", "/api/agreements", 401),
        ("GET", "/schema/swagger", 200),
    ],
)
async def test_with_an_https_base_url_every_answer_asks_for_https_only(https_client, method, path, status):
    response = await https_client.request(method, path)
    assert response.status_code == status
    assert response.headers["strict-transport-security"] == HSTS == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("path", ["/health", "/", "/api/nothing-here"])
async def test_with_an_http_base_url_no_answer_asks_for_https_only(anonymous_client, path):
    response = await anonymous_client.get(path)
    assert response.headers["content-security-policy"] == CSP
    assert "strict-transport-security" not in response.headers


async def test_sessions_throttle_and_health_share_the_apps_one_redis_client_closed_at_shutdown(
    make_user, monkeypatch
):
    import redis.asyncio
    from litestar.testing import AsyncTestClient

    from api.app import create_app

    pools = []
    make_pool = redis.asyncio.ConnectionPool.__init__

    def counted(pool, *args, **kwargs):
        pools.append(pool)
        make_pool(pool, *args, **kwargs)

    user = await make_user("clerk", party="1401", password=PASSWORD)
    monkeypatch.setattr(redis.asyncio.ConnectionPool, "__init__", counted)
    # given an app
    app = create_app(manage_pool=False)
    async with AsyncTestClient(app=app) as browser:
        # when it answers /health, counts a failed sign-in, stores a session and reads it back
        assert (await browser.get("/health")).json()["redis"] == "ok"
        headers = {CSRF_HEADER: browser.cookies[CSRF_COOKIE]}
        wrong = await browser.post(
            "/api/auth/login", json={"email": user.email, "password": "fel"}, headers=headers
        )
        assert wrong.status_code == 401
        right = await browser.post(
            "/api/auth/login", json={"email": user.email, "password": PASSWORD}, headers=headers
        )
        assert right.status_code == 200
        assert (await browser.get("/api/auth/me")).json()["id"] == user.id
        (pool,) = pools
        assert any(c.is_connected for c in pool._available_connections)
    # then all of it went through one client and one pool, disconnected when the app stopped
    assert pools == [pool]
    assert app.state.redis.connection_pool is pool
    assert app.stores.get("sessions")._redis is app.state.redis
    assert not any(c.is_connected for c in [*pool._available_connections, *pool._in_use_connections])
