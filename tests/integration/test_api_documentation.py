"""The API documentation: complete, honest about sign-in, and served without the internet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.security import SCHEMA_CSP

METHODS = {"get", "put", "post", "delete", "patch", "head"}
# what an asset URL in a page's src/href/data-url attribute may look like: a path on this server
ASSET = re.compile(r"""\b(?:src|href|data-url)=["']([^"']*)["']""")
CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


async def openapi(client) -> dict:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


async def test_every_operation_says_what_it_does(anonymous_client):
    schema = await openapi(anonymous_client)
    found = dict(operations(schema))
    assert len(found) > 90
    assert [name for name, op in found.items() if not (op.get("description") or "").strip()] == []
    assert [name for name, op in found.items() if not (op.get("summary") or "").strip()] == []


async def test_the_document_declares_the_api_token_and_the_session_cookie(anonymous_client):
    schema = await openapi(anonymous_client)
    schemes = schema["components"]["securitySchemes"]
    assert schemes["apiToken"]["type"] == "http"
    assert schemes["apiToken"]["scheme"] == "bearer"
    assert schemes["session"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "samverkan_session",
        "description": schemes["session"]["description"],
    }
    assert "x-csrftoken" in schemes["session"]["description"]


async def test_each_operation_asks_for_the_sign_in_its_access_rule_needs(anonymous_client):
    signed_in = [{"apiToken": []}, {"session": []}]
    paths = (await openapi(anonymous_client))["paths"]
    assert paths["/api/agreements"]["post"]["security"] == signed_in  # agreement.create
    assert paths["/api/users"]["get"]["security"] == signed_in  # admin
    assert paths["/api/auth/me"]["get"]["security"] == signed_in  # signed_in
    assert paths["/api/agreements"]["get"]["security"] == [{}, *signed_in]  # read, PUBLIC_READ on
    assert "security" not in paths["/health"]["get"]  # public
    assert "security" not in paths["/api/auth/login"]["post"]


async def test_the_answers_of_the_app_wide_checks_are_documented_as_problems(anonymous_client):
    paths = (await openapi(anonymous_client))["paths"]
    create = paths["/api/agreements"]["post"]["responses"]
    assert {"400", "401", "403", "422"} <= set(create)
    assert set(create["400"]["content"]) == {"application/problem+json"}
    assert create["400"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    assert "401" not in paths["/api/agreements"]["get"]["responses"]  # read, PUBLIC_READ on
    assert "404" in paths["/api/agreements/{agreement_id}"]["get"]["responses"]
    assert "403" in paths["/api/auth/login"]["post"]["responses"]  # the CSRF check
    assert "429" in paths["/api/auth/login"]["post"]["responses"]  # the route's own


@pytest.mark.parametrize("page", ["/schema", "/schema/scalar", "/schema/swagger"])
async def test_the_documentation_pages_load_only_this_servers_assets(anonymous_client, page):
    response = await anonymous_client.get(page)
    assert response.status_code == 200
    assets = ASSET.findall(response.text)
    assert assets, "the page names its scripts and styles"
    assert [url for url in assets if not url.startswith("/") or url.startswith("//")] == []
    assert response.headers["content-security-policy"] == SCHEMA_CSP
    assert "http" not in SCHEMA_CSP  # no other origin: no CDN, no web fonts
    assert "frame-ancestors 'none'" in SCHEMA_CSP
    for url in assets:
        if url == "/schema/openapi.json":
            continue
        asset = await anonymous_client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["content-type"].split(";")[0] == CONTENT_TYPES[Path(url).suffix], url
        assert len(asset.content) > 100, url


async def test_the_renderers_come_from_the_package_with_their_licences():
    static = Path(__file__).parents[2] / "api" / "static"
    scalar = (static / "scalar" / "SOURCE.txt").read_text()
    swagger = (static / "swagger-ui" / "SOURCE.txt").read_text()
    assert "@scalar/api-reference, version 1.76.0, licence MIT" in scalar
    assert "swagger-ui-dist, version 5.35.0, licence Apache-2.0" in swagger
    assert (static / "scalar" / "LICENSE").read_text().startswith("MIT License")
    assert "Apache License" in (static / "swagger-ui" / "LICENSE").read_text()
    assert "SmartBear" in (static / "swagger-ui" / "NOTICE").read_text()
