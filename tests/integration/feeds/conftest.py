"""Helpers for the calendar feed tests: agreements made through the API, feeds fetched through
their subscribe links, and both parsers (icalendar, and the independent `ics`)."""

from __future__ import annotations

import dataclasses
from datetime import date
from urllib.parse import urlsplit

import ics
import pytest
from icalendar import Calendar
from ics.grammar.parse import GRAMMAR

from core.clock import freeze
from tests.agreements import unique

TODAY = date(2026, 11, 23)
TERM = {"kind": "fixed", "start": "2023-01-01", "end": "2026-12-31", "notice_months": 18, "renewal_years": 3}


@pytest.fixture(scope="session", autouse=True)
def _ics_parses_without_colorama() -> None:
    """ics 0.7's grammar calls colorama.init() per line by default (see tests/unit/notifications)."""
    GRAMMAR.config = dataclasses.replace(GRAMMAR.config, colorize=False)


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield


async def create_agreement(client, **changes) -> dict:
    body = {
        "structure": "vastra-gotaland",
        "kind": "overenskommelse",
        "title": unique("Hälso- och sjukvårdsavtalet"),
        "term": TERM,
        **changes,
    }
    response = await client.post("/api/agreements", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def local(url: str) -> str:
    """A feed URL (on BASE_URL) as the test client requests it: path and query."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


async def links(client, scope: str, key: object) -> dict:
    path = {"agreement": "agreements", "party": "parties", "structure": "structures"}[scope]
    response = await client.get(f"/api/{path}/{key}/feed")
    assert response.status_code == 200, response.text
    return response.json()


async def fetch(anonymous_client, url: str, **headers: str):
    """GET a feed as a calendar program does: without credentials."""
    return await anonymous_client.get(local(url), headers=headers)


def icalendar_events(body: bytes) -> dict[str, object]:
    return {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def ics_events(body: bytes) -> dict[str, ics.Event]:
    return {e.uid: e for e in ics.Calendar(body.decode("utf-8")).events}


def uid(agreement_id: int, key: str) -> str:
    return f"agreement-{agreement_id}-{key.replace(':', '-')}@samverkan"
