"""Real servers on 127.0.0.1 for the senders to talk to: an SMTP server (aiosmtpd) and a webhook
receiver (http.server in a thread). Neither needs PostgreSQL or Redis; every fixture stops what it
started."""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from core.settings import Settings, load_settings

MAIL_FROM = "Samverkan <noreply@samverkan.example>"


@pytest.fixture(scope="session", autouse=True)
def _migrated() -> None:
    """Overrides tests/integration's autouse fixture of this name: these tests use no database, so
    they need not wait for one to be migrated."""


def free_port() -> int:
    """A port nothing listens on (aiosmtpd's Controller cannot start on port 0: it connects to
    its own port to see that it is up)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_settings(port: int, **changes: object) -> Settings:
    base = dataclasses.replace(
        load_settings(),
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_user=None,
        smtp_password=None,
        smtp_starttls=False,
        mail_from=MAIL_FROM,
    )
    return dataclasses.replace(base, **changes)


class Mailbox:
    """An aiosmtpd handler that keeps what it receives and answers `replies[address]` (a full
    SMTP reply such as "550 5.1.1 ...") to the recipients listed there."""

    def __init__(self, replies: dict[str, str] | None = None, data_reply: str | None = None) -> None:
        self.replies = replies or {}
        self.data_reply = data_reply
        self.received: list[Envelope] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.replies:
            return self.replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        if self.data_reply:
            return self.data_reply
        self.received.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., int]]:
    """Starts an SMTP server with the given handler (and Controller options); returns its port."""
    controllers: list[Controller] = []

    def start(handler: Mailbox, **options: object) -> int:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        return port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture(scope="session")
def tls_certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (its key, and it); trusted only where a test says."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command makes the test certificate")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
    command += ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    subprocess.run([*command, "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return key, cert


def server_tls_context(key: Path, cert: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@dataclass
class Call:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What the webhook receiver got, and how it answers: `answer(call) -> (status, body)`."""

    url: str
    answer: Callable[[Call], tuple[int, str]]
    calls: list[Call] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)  # ends a deliberate stall


@pytest.fixture
def webhook_receiver() -> Iterator[Callable[[Callable[[Call], tuple[int, str]]], Receiver]]:
    servers: list[tuple[ThreadingHTTPServer, threading.Thread, Receiver]] = []

    def start(answer: Callable[[Call], tuple[int, str]]) -> Receiver:
        receiver = Receiver(url="", answer=answer)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                call = Call(dict(self.headers.items()), self.rfile.read(int(self.headers["Content-Length"])))
                receiver.calls.append(call)
                status, text = receiver.answer(call)
                body = text.encode()
                # a client that gave up (the timeout test) has closed its end by now
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # quiet test output
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        receiver.url = f"http://127.0.0.1:{server.server_address[1]}/samverkan"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread, receiver))
        return receiver

    yield start
    for server, thread, receiver in servers:
        receiver.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
