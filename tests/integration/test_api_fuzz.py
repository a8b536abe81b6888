"""Schemathesis over the app's own OpenAPI document: no answer is a 5xx, and every answer is one the
document declares (its status code, its content type, its schema).

In-process against the ASGI app (`schemathesis.openapi.from_asgi`), every operation of the
document, valid and invalid input (schemathesis' positive and negative modes), with a fixed seed
and a bounded number of examples per operation, so a run is the same every time:

- without sign-in: every operation, writes included; a write must answer 401 or 403 before it
  reads or changes anything;
- as an admin (an API token): every operation too. An admin may do everything (create users and
  roles, revoke tokens, delete documents, sweep as if it were another day), so this part runs in a
  database of its own, migrated for it and dropped after it: no other test's rows are touched. The
  broker is purged after it, so no task it enqueued reaches another test's worker.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import ADMIN_URL, TEST_DATABASE, _admin, _with_database

SEED = 20261204
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
EXAMPLES = 6  # per operation and mode: ~100 operations, so over 1,000 requests each way


@dataclass
class Run:
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)


def fuzz(schema, headers: dict[str, str]) -> Run:
    """Every operation, each mode: EXAMPLES cases, each sent and checked; the first failure of an
    operation and mode is kept (with the request that caused it) and the run goes on."""
    run = Run()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in MODES:

            @seed(SEED)
            @settings(
                max_examples=EXAMPLES,
                database=None,
                deadline=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case) -> None:
                run.requests += 1
                response = case.call(headers=headers)
                run.statuses[response.status_code] = run.statuses.get(response.status_code, 0) + 1
                case.validate_response(response, checks=CHECKS, headers=headers)

            try:
                check()
            except Unsatisfiable:
                continue  # no invalid input exists: no parameters, or only free text in the path
            except (Exception, BaseExceptionGroup) as exc:  # collected, so one run shows them all
                run.failures.append(f"{operation.label} ({mode.value}): {exc}")
    return run


def report(run: Run) -> str:
    return f"{len(run.failures)} failures in {run.requests} requests:\n\n" + "\n\n".join(run.failures)


@pytest.fixture(scope="module")
def app():
    from api.app import create_app

    return create_app(manage_pool=False)


def test_without_sign_in_no_answer_is_a_5xx_or_undocumented(_migrated, app):
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    run = fuzz(schema, headers={})
    assert run.failures == [], report(run)
    assert run.requests >= 1000
    assert not any(status >= 500 for status in run.statuses)
    assert run.statuses.get(401, 0) > 100  # the writes were refused, not just malformed


@pytest.fixture(scope="module")
def own_database(_migrated) -> Iterator[str]:
    """A database for this module alone: migrated, with the reference data, and an admin's token.
    Every connection the app opens goes there while the fixture lasts (core.db: no pool)."""
    from piccolo_conf import DB
    from samverkan_cli.database import migrate_all, seed_all

    name = f"{TEST_DATABASE}_fuzz"
    asyncio.run(_admin(ADMIN_URL, f'CREATE DATABASE "{name}"'))
    main_dsn = DB.config["dsn"]
    DB.config["dsn"] = _with_database(main_dsn, name)
    try:
        asyncio.run(migrate_all())
        asyncio.run(seed_all(demo=False))
        yield asyncio.run(_admin_token())
    finally:
        DB.config["dsn"] = main_dsn
        asyncio.run(_admin(ADMIN_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        from workers.celery_app import app as celery

        celery.control.purge()


async def _admin_token() -> str:
    """The fuzzing admin's user, role and token ids are far above what the fuzzing tries (small
    ids, boundaries), so it does not revoke its own token or role halfway through."""
    from accounts import roles, tokens, users
    from accounts.tables import User
    from audit.trail import Actor

    for table in ("app_user", "role_grant", "api_token"):
        await User.raw(f"SELECT setval('{table}_id_seq', 987654321)")
    actor = Actor.system("tests")
    user = await users.create_user(
        f"fuzz-{uuid.uuid4().hex[:8]}@tests.example", name="Fuzz", password=None, actor=actor
    )
    await roles.grant_role(user.id, "admin", actor=actor)
    return (await tokens.create_token(user.id, "fuzz", actor=actor)).token


def test_as_an_admin_no_answer_is_a_5xx_or_undocumented(own_database, app):
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", app)
    run = fuzz(schema, headers={"Authorization": f"Bearer {own_database}"})
    assert run.failures == [], report(run)
    assert run.requests >= 1000
    assert run.statuses.get(200, 0) + run.statuses.get(201, 0) > 100  # the admin got answers
