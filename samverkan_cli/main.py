"""`samverkan`: run, migrate and seed the product.

Every command prints a message and exits non-zero on a mistake; no tracebacks for the user.
"""

from __future__ import annotations

import asyncio
import functools
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from core.errors import DomainError
from core.settings import SettingsError, get_settings


def friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn known errors into a one-line message and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (SettingsError, DomainError) as exc:
            raise click.ClickException(getattr(exc, "message", None) or str(exc)) from None
        except (ConnectionError, OSError) as exc:
            raise click.ClickException(f"Could not reach a server: {exc}") from None

    return wrapper


def ensure_database() -> None:
    """Without DATABASE_URL, attach to the embedded PostgreSQL in the data directory."""
    if get_settings().database_url:
        return
    from core.embedded import start_postgres

    pg = start_postgres(get_settings().data_dir / "postgres")
    os.environ["DATABASE_URL"] = pg.url
    get_settings.cache_clear()


@click.group()
@click.version_option(package_name="samverkan")
def cli() -> None:
    """samverkan: the register and tracker of agreements between a region and its kommuner."""


@cli.command()
@friendly
def migrate() -> None:
    """Apply every database migration (idempotent)."""
    ensure_database()
    from samverkan_cli.database import migrate_all

    click.echo(asyncio.run(migrate_all()).summary())


@cli.command()
@click.option("--demo/--no-demo", default=False, help="Also load the demo agreements and decisions.")
@friendly
def seed(demo: bool) -> None:
    """Load the reference data (structures, parties); idempotent."""
    ensure_database()
    from samverkan_cli.database import seed_all

    for line in asyncio.run(seed_all(demo=demo)):
        click.echo(line)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", "web_workers", default=1, show_default=True, type=click.IntRange(1, 64))
@friendly
def serve(host: str, port: int, web_workers: int) -> None:
    """Serve the API and web pages (needs DATABASE_URL and REDIS_URL)."""
    import uvicorn

    if not get_settings().database_url or not get_settings().redis_url:
        raise SettingsError("serve needs DATABASE_URL and REDIS_URL; `samverkan dev` starts embedded ones.")
    uvicorn.run("api.asgi:app", host=host, port=port, workers=web_workers, proxy_headers=True)


@cli.command()
@click.option("--concurrency", default=2, show_default=True, type=click.IntRange(1, 64))
@friendly
def worker(concurrency: int) -> None:
    """Run a Celery worker (needs DATABASE_URL and REDIS_URL)."""
    if not get_settings().database_url:
        raise SettingsError("worker needs DATABASE_URL; `samverkan dev` starts embedded servers.")
    from workers.celery_app import app

    app.worker_main(["worker", "--loglevel=INFO", f"--concurrency={concurrency}", "--without-gossip"])


@cli.command()
@friendly
def beat() -> None:
    """Run Celery beat (exactly one per installation)."""
    from workers.celery_app import app

    schedule_file = get_settings().data_dir / "celerybeat-schedule"
    schedule_file.parent.mkdir(parents=True, exist_ok=True)
    app.start(["beat", "--loglevel=INFO", f"--schedule={schedule_file}"])


@cli.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--demo/--no-demo", default=True, show_default=True, help="Load the demo data.")
@friendly
def dev(port: int, demo: bool) -> None:
    """Everything on this machine: embedded PostgreSQL and Redis, migrations, seed, API, worker, beat."""
    from samverkan_cli.dev import run_dev

    sys.exit(run_dev(port=port, demo=demo))


# Subcommand groups in modules of their own, added last: they import `friendly` from here.
from samverkan_cli import agreements as _agreements  # noqa: E402
from samverkan_cli import users as _users  # noqa: E402

cli.add_command(_agreements.agreements)
cli.add_command(_users.users)
