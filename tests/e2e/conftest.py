"""Browser tests: the real app served by uvicorn in a subprocess, driven by Debian's Chromium
through Playwright's sync API (never `playwright install`: the browser is the system's).

The server runs against the suite's test database with the clock pinned (SAMVERKAN_TODAY), on a
free loopback port. Data and users are made over HTTP with an administrator's API token, the way
an integration would; people sign in through the sign-in page like anyone.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TODAY = "2026-11-23"
PASSWORD = "ett-långt-lösenord-för-test"
SCREENSHOTS = Path(os.environ.get("SAMVERKAN_SCREENSHOTS", "/tmp/samverkan-screens"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(
                    pytest.mark.skip(reason="browser tests need Debian's chromium: apt-get install chromium")
                )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True, slots=True)
class Server:
    url: str
    admin_token: str

    def api(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {self.admin_token}"}, timeout=30
        )


async def _admin_token() -> str:
    from accounts import roles, tokens, users
    from audit.trail import Actor

    actor = Actor.system("e2e")
    user = await users.create_user(
        f"admin-{uuid.uuid4().hex[:8]}@e2e.example", name="E2E-admin", password=None, actor=actor
    )
    await roles.grant_role(user.id, "admin", actor=actor)
    return (await tokens.create_token(user.id, "e2e", actor=actor)).token


@pytest.fixture(scope="session")
def server(database: str) -> Iterator[Server]:
    if not CHROMIUM.exists():
        pytest.skip("browser tests need Debian's chromium: apt-get install chromium")
    token = asyncio.run(_admin_token())
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SAMVERKAN_TODAY": TODAY, "BASE_URL": url, "PUBLIC_READ": "true"}
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"samverkan-e2e-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "samverkan_cli", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start; see {log.name}")
            time.sleep(0.3)
        yield Server(url=url, admin_token=token)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(server: Server):
    # Module scope, not session: the sync API keeps an event loop running in this thread while it
    # is open, and pytest-asyncio cannot run the async tests of other modules beside it.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server: Server):
    context = browser.new_context(
        base_url=server.url, locale="sv-SE", viewport={"width": 1280, "height": 900}
    )
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
