"""`samverkan users ...` and the demo users."""

from __future__ import annotations

import asyncio
import uuid

from click.testing import CliRunner

from accounts.demo import DEMO_USERS, load_demo_users
from accounts.principal import load_user
from accounts.signin import sign_in
from accounts.users import user_id_for
from audit.trail import history
from samverkan_cli.main import cli


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["users", *args], input=stdin)


def test_a_user_is_created_granted_a_role_and_listed_from_the_command_line():
    email = f"cli-{uuid.uuid4().hex[:8]}@tests.example"
    created = run("create", email, "--name", "Eva Ek", "--password-stdin", stdin="ett-långt-lösenord\n")
    assert created.exit_code == 0, created.output
    assert created.output.startswith("Created user ")
    granted = run("grant", email, "clerk", "--party", "1401")
    assert (granted.exit_code, granted.output) == (0, f"{email}: now registrator, Härryda.\n")
    listed = run("list")
    assert f"{email}" in listed.output
    assert "Eva Ek (registrator, Härryda)" in listed.output
    user = asyncio.run(sign_in(email, "ett-långt-lösenord", ip="cli-test"))
    assert user.label == "Eva Ek (registrator, Härryda)"
    events = asyncio.run(history(entity="user", entity_id=user.id))
    assert events[-1]["actor"].startswith("system: cli (")


def test_a_role_is_revoked_with_the_scope_it_was_given():
    email = f"cli-{uuid.uuid4().hex[:8]}@tests.example"
    run("create", email, "--name", "Per Ek", "--no-password")
    run("grant", email, "secretariat", "--structure", "orebro")
    wrong = run("revoke", email, "secretariat", "--structure", "stockholm")
    assert wrong.exit_code == 1
    assert wrong.output == f"Error: {email} har ingen sådan roll (secretariat).\n"
    revoked = run("revoke", email, "secretariat", "--structure", "orebro")
    assert (revoked.exit_code, revoked.output) == (0, f"{email}: secretariat revoked.\n")
    user = asyncio.run(load_user(asyncio.run(user_id_for(email))))
    assert user.roles == ()


def test_a_token_is_printed_once_and_can_be_revoked_by_name():
    email = f"cli-{uuid.uuid4().hex[:8]}@tests.example"
    run("create", email, "--name", "Diariet", "--no-password")
    made = CliRunner().invoke(cli, ["users", "token", email, "--name", "diariet"])
    assert made.exit_code == 0
    token = made.stdout.strip()
    assert token.startswith("sv_")
    assert "not shown again" in made.stderr
    revoked = run("revoke-token", email, "--name", "diariet")
    assert revoked.output == f"{email}: 1 token(s) named 'diariet' revoked.\n"


def test_mistakes_are_one_line_messages_not_tracebacks():
    unknown = run("grant", "ingen@tests.example", "viewer")
    assert (unknown.exit_code, unknown.output) == (
        1,
        "Error: Det finns ingen användare med e-postadressen ingen@tests.example.\n",
    )
    email = f"cli-{uuid.uuid4().hex[:8]}@tests.example"
    short = run("create", email, "--name", "Kort", "--password-stdin", stdin="kort\n")
    assert (short.exit_code, short.output) == (1, "Error: Lösenordet måste ha minst 10 tecken.\n")
    run("create", email, "--name", "Kort", "--no-password")
    scope = run("grant", email, "clerk")
    assert scope.output == "Error: Rollen clerk gäller en part (party); ange just den.\n"


async def test_the_demo_users_are_loaded_once_with_one_of_each_role(client):
    # given a demo-like agreement whose stewards list the demo steward
    agreement = await client.post(
        "/api/agreements",
        json={
            "structure": "vastra-gotaland",
            "kind": "overenskommelse",
            "title": "Demo: förvaltad överenskommelse",
            "stewards": [{"name": "Johan Ek", "email": "forvaltare@vgregion.example", "organisation": "VGR"}],
        },
    )
    assert agreement.status_code == 201, agreement.text
    agreement_id = agreement.json()["id"]
    # when the demo users are loaded twice
    first = await load_demo_users()
    second = await load_demo_users()
    # then each exists once with its role, and signs in with the README's password
    assert first == second
    prefix = "Demo users: 5 (passwords in the README), steward of agreement "
    assert first.startswith(prefix)
    # the demo agreements of other tests may list the same steward
    assert str(agreement_id) in first.removeprefix(prefix).rstrip(".").split(", ")
    labels = {}
    for demo in DEMO_USERS:
        user = await sign_in(demo.email, demo.password, ip="demo-test")
        labels[demo.email] = user.label
    steward = labels.pop("forvaltare@vgregion.example")
    assert steward.startswith("Johan Ek (förvaltare, överenskommelse ")
    assert str(agreement_id) in steward.removeprefix("Johan Ek (förvaltare, överenskommelse ")[:-1].split(
        ", "
    )
    assert labels == {
        "admin@samverkan.example": "Sara Lind (administratör)",
        "sekretariat@vastkom.example": "Erik Holm (sekretariat, VästKom)",
        "registrator@harryda.example": "Anna Berg (registrator, Härryda)",
        "lasare@samverkan.example": "Maria Sjö (läsare)",
    }
