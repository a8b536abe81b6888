"""Integration fixtures.

`client` acts as an administrator through an API token: it is for tests of what the product does,
not of who may do it (token requests need no CSRF token either). Access is tested with
`anonymous_client` (one shared app, a fresh cookie jar per test), `make_user` (a user with one role and an API
token) and `bearer(user)`; `test_role_matrix.py` walks every route with every role.

Both clients check every change they make: a request that changes something and succeeds must
have written at least one audit event (`_audited`), so a new mutation without its trail fails
whichever test first makes it, not only the audit tests.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pytest
from litestar.testing import AsyncTestClient


@dataclass(frozen=True, slots=True)
class TestUser:
    __test__ = False  # not a test class, for pytest's collector

    id: int
    email: str
    name: str
    token: str
    password: str | None = None


def bearer(user: TestUser) -> dict[str, str]:
    return {"Authorization": f"Bearer {user.token}"}


CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_BEFORE = "samverkan.audit_before"


async def _last_event_id() -> int:
    from audit.tables import AuditEvent

    rows = await AuditEvent.raw("SELECT coalesce(max(id), 0) AS id FROM audit_event")
    return rows[0]["id"]


async def _note_last_event(request: httpx.Request) -> None:
    if request.method in CHANGES:
        request.extensions[_BEFORE] = await _last_event_id()


async def _audited(response: httpx.Response) -> None:
    request = response.request
    before = request.extensions.get(_BEFORE)
    if before is None:
        return
    if response.status_code < 300 or response.status_code == 303:  # 303: a page form's success
        assert await _last_event_id() > before, (
            f"{request.method} {request.url.path} answered {response.status_code} "
            "but wrote no audit event (audit.trail.record, in the same transaction)"
        )


def audited_client(app) -> AsyncTestClient:
    client = AsyncTestClient(app=app)
    client.event_hooks = {"request": [_note_last_event], "response": [_audited]}
    return client


@pytest.fixture(scope="session", autouse=True)
def _migrated(database: str) -> str:
    return database


MakeUser = Callable[..., Awaitable[TestUser]]


@pytest.fixture(autouse=True)
async def _roles_end_with_their_test(_migrated: str) -> AsyncIterator[None]:
    """A clerk follows its party's reminders and a secretariat its structure's: the roles a test
    gives the users it makes (`make_user`, in the test or its function fixtures) end with it, so a
    later test of the same parties hears only of its own recipients, whatever the order. Users made
    by module and session fixtures (set up before this) keep theirs."""
    from accounts.tables import User

    (last,) = await User.raw("SELECT coalesce(max(id), 0) AS id FROM app_user")
    yield
    await User.raw('DELETE FROM role_grant WHERE "user" > {}', last["id"])


@pytest.fixture(scope="session")
def make_user(_migrated: str) -> MakeUser:
    """`await make_user("clerk", party="1401", password=...)`: a new user, its role and a token."""

    async def make(
        role: str | None = None,
        *,
        structure: str | None = None,
        party: str | None = None,
        agreement_id: int | None = None,
        password: str | None = None,
        name: str = "Test Testsson",
    ) -> TestUser:
        from accounts import roles, tokens, users
        from audit.trail import Actor

        actor = Actor.system("tests")
        email = f"{role or 'user'}-{uuid.uuid4().hex[:10]}@tests.example"
        user = await users.create_user(email, name=name, password=password, actor=actor)
        if role is not None:
            scope = {"structure": structure, "party": party, "agreement_id": agreement_id}
            await roles.grant_role(user.id, role, actor=actor, **scope)
        token = await tokens.create_token(user.id, "tests", actor=actor)
        return TestUser(id=user.id, email=email, name=name, token=token.token, password=password)

    return make


@pytest.fixture(scope="session")
async def admin(make_user: MakeUser) -> TestUser:
    return await make_user("admin", name="Testadministratör")


@pytest.fixture(scope="session")
async def client(_migrated: str, admin: TestUser) -> AsyncIterator[AsyncTestClient]:
    from api.app import create_app

    app = create_app(manage_pool=False)
    async with audited_client(app) as test_client:
        test_client.headers.update(bearer(admin))
        yield test_client


@pytest.fixture(scope="session")
async def _anonymous_session(_migrated: str) -> AsyncIterator[AsyncTestClient]:
    from api.app import create_app

    async with audited_client(create_app(manage_pool=False)) as test_client:
        yield test_client


@pytest.fixture
async def anonymous_client(_anonymous_session: AsyncTestClient) -> AsyncIterator[AsyncTestClient]:
    """One app for every test without a sign-in; each test starts with an empty cookie jar, the
    client's own headers and `PUBLIC_READ` as configured, whatever the test before it changed."""
    test_client = _anonymous_session
    headers, public_read = dict(test_client.headers), test_client.app.state.public_read
    test_client.cookies.clear()
    try:
        yield test_client
    finally:
        test_client.cookies.clear()
        test_client.headers = headers
        test_client.app.state.public_read = public_read


@dataclass
class Statements:
    """The SQL statements (and new connections) the process sent while `counting()` was open."""

    sql: list[str]
    connections: int = 0
    _on: bool = False

    @contextmanager
    def counting(self) -> Iterator[Statements]:
        self.sql.clear()
        self.connections = 0
        self._on = True
        try:
            yield self
        finally:
            self._on = False

    def __len__(self) -> int:
        return len(self.sql)


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> Statements:
    """Counts every statement asyncpg sends (BEGIN, COMMIT and a pool's reset included) and every
    connection opened, from this process, while `with statements.counting():` is open."""
    import asyncpg
    from piccolo.engine.postgres import PostgresEngine

    seen = Statements([])
    for name in ("fetch", "fetchrow", "fetchval", "execute", "executemany"):
        original = getattr(asyncpg.Connection, name)

        def counted(self, query, *args, _original=original, **kwargs):
            if seen._on:
                seen.sql.append(query)
            return _original(self, query, *args, **kwargs)

        monkeypatch.setattr(asyncpg.Connection, name, counted)
    connect = PostgresEngine.get_new_connection

    async def connecting(self):
        if seen._on:
            seen.connections += 1
        return await connect(self)

    monkeypatch.setattr(PostgresEngine, "get_new_connection", connecting)
    return seen
