"""`samverkan users ...`: accounts, roles and API tokens from the command line.

Every change is recorded in the audit trail as made by "system: cli (<login name>)".
"""

from __future__ import annotations

import asyncio
import functools
import getpass
import sys
from collections.abc import Callable
from typing import Any

import click


def _friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """samverkan_cli.main.friendly, looked up at call time (main imports this module)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from samverkan_cli.main import ensure_database, friendly

        def run() -> Any:
            ensure_database()
            return fn(*args, **kwargs)

        return friendly(run)()

    return wrapper


def _actor() -> Any:
    from audit.trail import Actor

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "okänd"
    return Actor.system(f"cli ({who})")


def _scope_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--agreement", "agreement_id", type=int, help="Agreement id (steward).")(fn)
    fn = click.option("--party", help="Party code, e.g. 1401 (clerk).")(fn)
    return click.option("--structure", help="Structure slug, e.g. vastra-gotaland (secretariat).")(fn)


@click.group()
def users() -> None:
    """Users, their roles and API tokens."""


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's name, as the audit trail shows it.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--no-password", is_flag=True, help="No password: the user signs in with API tokens only.")
@_friendly
def create(email: str, name: str, password_stdin: bool, no_password: bool) -> None:
    """Create a user (the password is asked for unless given on stdin)."""
    from accounts.users import create_user

    if no_password:
        password = None
    elif password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = asyncio.run(create_user(email, name=name, password=password, actor=_actor()))
    click.echo(f"Created user {user.id}: {user.email} ({user.name}).")


@users.command("grant")
@click.argument("email")
@click.argument("role", type=click.Choice(["admin", "secretariat", "clerk", "steward", "viewer"]))
@_scope_options
@_friendly
def grant(email: str, role: str, structure: str | None, party: str | None, agreement_id: int | None) -> None:
    """Give a user a role: secretariat needs --structure, clerk --party, steward --agreement."""
    from accounts.roles import grant_role
    from accounts.users import user_id_for

    async def run() -> str:
        user_id = await user_id_for(email)
        granted = await grant_role(
            user_id, role, structure=structure, party=party, agreement_id=agreement_id, actor=_actor()
        )
        return granted.label

    click.echo(f"{email}: now {asyncio.run(run())}.")


@users.command("revoke")
@click.argument("email")
@click.argument("role", type=click.Choice(["admin", "secretariat", "clerk", "steward", "viewer"]))
@_scope_options
@_friendly
def revoke(email: str, role: str, structure: str | None, party: str | None, agreement_id: int | None) -> None:
    """Take a role (with the same scope it was given) from a user."""
    from accounts.roles import find_grant, revoke_role
    from accounts.users import user_id_for
    from core.errors import NotFound

    async def run() -> None:
        user_id = await user_id_for(email)
        scope = {"structure": structure, "party": party, "agreement_id": agreement_id}
        grant_id = await find_grant(user_id, role, **scope)
        if grant_id is None:
            raise NotFound(f"{email} har ingen sådan roll ({role}).")
        await revoke_role(user_id, grant_id, actor=_actor())

    asyncio.run(run())
    click.echo(f"{email}: {role} revoked.")


@users.command("token")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for, e.g. diariet.")
@_friendly
def token(email: str, name: str) -> None:
    """Create an API token and print it (this once; only its hash is kept)."""
    from accounts.tokens import create_token
    from accounts.users import user_id_for

    async def run() -> str:
        return (await create_token(await user_id_for(email), name, actor=_actor())).token

    secret = asyncio.run(run())
    click.echo(f"API token for {email} ({name}); store it now, it is not shown again:", err=True)
    click.echo(secret)


@users.command("revoke-token")
@click.argument("email")
@click.option("--name", required=True, help="The token's name.")
@_friendly
def revoke_token(email: str, name: str) -> None:
    """Revoke a user's active API tokens of that name."""
    from accounts.tokens import revoke_named
    from accounts.users import user_id_for

    async def run() -> int:
        return await revoke_named(await user_id_for(email), name, actor=_actor())

    count = asyncio.run(run())
    click.echo(f"{email}: {count} token(s) named {name!r} revoked.")


@users.command("list")
@_friendly
def list_users() -> None:
    """Every user with their roles."""
    from accounts.users import list_users as all_users

    for user in asyncio.run(all_users()):
        roles = "; ".join(r.label for r in user.roles) or "no role"
        password = "" if user.has_password else "  [tokens only]"
        click.echo(f"{user.id:>5}  {user.email:<40} {user.name} ({roles}){password}")
