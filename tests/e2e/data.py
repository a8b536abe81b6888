"""Agreements and users for the browser tests, made over HTTP with the administrator's token."""

from __future__ import annotations

import uuid

import httpx

from tests.agreements import RECOMMENDED, VG_HEALTH_CARE
from tests.e2e.conftest import PASSWORD

AGREEMENT = {**VG_HEALTH_CARE, "decision_due": "2022-11-24"}
UP_TO_PREPARATION = RECOMMENDED[:-1]
ADOPTION = {
    "body": "Kommunfullmäktige",
    "outcome": "adopted",
    "justering_date": "2022-05-27",
    "anslag_date": "2022-05-30",
    "meeting_date": "2022-05-23",
}


def ok(response: httpx.Response) -> dict:
    assert response.status_code in (200, 201), response.text
    return response.json()


def agreement(api: httpx.Client, *, recommended: bool = True, **changes) -> dict:
    title = changes.pop("title", f"Hälso- och sjukvårdsavtal {uuid.uuid4().hex[:6]}")
    created = ok(api.post("/api/agreements", json={**AGREEMENT, "title": title, **changes}))
    steps = RECOMMENDED if recommended else UP_TO_PREPARATION
    for step, taken_on in steps:
        ok(api.post(f"/api/agreements/{created['id']}/steps", json={"step": step, "taken_on": taken_on}))
    return created


def decide(api: httpx.Client, agreement_id: int, party: str, **changes) -> dict:
    return ok(
        api.post(f"/api/agreements/{agreement_id}/parties/{party}/decisions", json={**ADOPTION, **changes})
    )


def user(api: httpx.Client, role: str, **scope) -> str:
    """A new user with a password and one role; returns the e-mail address to sign in with."""
    email = f"{role}-{uuid.uuid4().hex[:8]}@e2e.example"
    created = ok(api.post("/api/users", json={"email": email, "name": f"Test {role}", "password": PASSWORD}))
    ok(api.post(f"/api/users/{created['id']}/roles", json={"role": role, **scope}))
    return email


def sign_in(page, email: str, then: str = "/") -> None:
    page.goto(f"/login?next={then}")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"**{then}")


def upload(
    api: httpx.Client, agreement_id: int, name: str, content: bytes, media_type: str, **fields
) -> dict:
    """A document uploaded through the API, then read as the worker reads it (in a thread of its
    own: Playwright's sync API keeps an event loop running in this one)."""
    data = {"title": fields.get("title", name), "part": fields.get("part", "text")}
    stored = ok(
        api.post(
            f"/api/agreements/{agreement_id}/documents",
            files={"file": (name, content, media_type)},
            data=data,
        )
    )
    extract(stored["id"])
    return stored


def extract(document_id: int) -> str:
    from concurrent.futures import ThreadPoolExecutor

    from workers.tasks import extract_document

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(extract_document.run, document_id).result(timeout=120)
