"""Real servers for the reminder tests: Redis, an SMTP server (aiosmtpd), a webhook receiver
that checks every signature as a real receiver would, and a real `samverkan worker` process.

The reminder tests flush Redis and run their own worker, so they take a Redis database of their
own (an empty one of 1–15 on the same server) before anything builds the Celery app: a parallel
test session using database 0 neither steals their messages nor loses its own.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis


def _private_redis_url() -> str:
    url = os.environ["REDIS_URL"]
    parts = urlsplit(url)
    for db in random.sample(range(1, 16), 15):
        candidate = urlunsplit(parts._replace(path=f"/{db}"))
        client = redis.Redis.from_url(candidate)
        try:
            # claim it: a marker key makes the database non-empty for the next session looking
            if client.dbsize() == 0 and client.set("samverkan:test-session", os.getpid(), nx=True):
                return candidate
        finally:
            client.close()
    return url


os.environ["REDIS_URL"] = _private_redis_url()
if "core.settings" in sys.modules:
    sys.modules["core.settings"].get_settings.cache_clear()
if "workers.celery_app" in sys.modules:  # built earlier in this session: point it here too
    _app = sys.modules["workers.celery_app"].app
    _app.conf.update(broker_url=os.environ["REDIS_URL"], result_backend=os.environ["REDIS_URL"])
    _app.pool.force_close_all()
    _app._pool = None


def free_port() -> int:
    from core.embedded import free_port as port

    return port()


# --- SMTP ----------------------------------------------------------------------------------


@dataclass
class Mailbox:
    """What the SMTP server received, and how it answers particular recipients."""

    messages: list[email.message.EmailMessage] = field(default_factory=list)
    rejects: dict[str, str] = field(default_factory=dict)  # address -> a 5xx reply
    defers: dict[str, int] = field(default_factory=dict)  # address -> times to answer 451
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        address = address.lower()
        if address in self.rejects:
            return self.rejects[address]
        with self.lock:
            if self.defers.get(address, 0) > 0:
                self.defers[address] -= 1
                return "451 4.3.0 Försök igen senare"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Test-Rcpt"] = ",".join(envelope.rcpt_tos)
        # a long header is folded after its colon; unfolded, the value keeps a leading space
        message["X-Test-Key"] = str(message["X-Samverkan-Delivery"] or "").strip()
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def received(self, keys: set[str] | None = None, since: int = 0) -> list[email.message.EmailMessage]:
        """Messages whose X-Samverkan-Delivery key is in `keys` (all of them if None), from the
        `since`th on (`len(mailbox.messages)` before a test's sends: a shared secretariat's
        digest of the same day has the same key in every test)."""
        with self.lock:
            return [m for m in self.messages[since:] if keys is None or m["X-Test-Key"] in keys]


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    from core.settings import get_settings

    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    os.environ["SMTP_HOST"], os.environ["SMTP_PORT"] = "127.0.0.1", str(controller.port)
    get_settings.cache_clear()
    yield box
    controller.stop()


# --- webhooks ------------------------------------------------------------------------------


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: bytes
    valid_signature: bool

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    base_url: str
    secrets: dict[str, str] = field(default_factory=dict)  # path -> shared secret
    statuses: dict[str, int] = field(default_factory=dict)  # path -> status to answer
    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def endpoint(self, path: str, secret: str, status: int = 204) -> str:
        self.secrets[path], self.statuses[path] = secret, status
        return f"{self.base_url}{path}"

    def received(self, path: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.path == path]


@pytest.fixture(scope="session")
def webhooks() -> Iterator[WebhookReceiver]:
    from notifications.signature import SIGNATURE_HEADER, verify

    port = free_port()
    receiver = WebhookReceiver(base_url=f"http://127.0.0.1:{port}")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            path = urlsplit(self.path).path
            secret = receiver.secrets.get(path, "")
            valid = verify(body, self.headers.get(SIGNATURE_HEADER, ""), secret, now=int(time.time()))
            with receiver.lock:
                receiver.calls.append(Call(path, dict(self.headers), body, valid))
            status = receiver.statuses.get(path, 404) if valid else 401
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()


# --- a worker ------------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[3]


@dataclass
class Worker:
    process: subprocess.Popen
    log: Path

    def check(self) -> None:
        """Fail with the end of the worker's log if it has exited."""
        assert self.process.poll() is None, self.log.read_text(errors="replace")[-5000:]


@pytest.fixture
def worker(mailbox, webhooks, tmp_path) -> Iterator[Worker]:
    """`samverkan worker` in a process of its own, as in production. Started after the SMTP server,
    so its environment points there (SMTP_HOST, SMTP_PORT). Its output goes to a file: a pipe
    nobody reads fills up after a few hundred tasks and stops the worker."""
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "samverkan_cli", "worker", "--concurrency", "2"],
            cwd=REPO,
            env=os.environ.copy(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    yield Worker(process, log)
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    yield client
    with contextlib.suppress(redis.RedisError):
        client.flushdb()  # give the private database back empty
    client.close()


@pytest.fixture(autouse=True)
def _empty_queue(redis_client: redis.Redis) -> Iterator[None]:
    """Each test starts and ends with an empty broker, so what one enqueues no other consumes."""
    redis_client.flushdb()
    redis_client.set("samverkan:test-session", os.getpid())
    yield
    redis_client.flushdb()
    redis_client.set("samverkan:test-session", os.getpid())
