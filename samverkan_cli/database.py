"""Migrations and seeding, shared by the CLI, `samverkan dev` and the tests."""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from dataclasses import dataclass

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration


@dataclass(frozen=True, slots=True)
class MigrationReport:
    applied: dict[str, int]  # per Piccolo app, the migrations this run applied
    total: int  # migrations the database has now

    def summary(self) -> str:
        if not self.applied:
            return f"Database up to date ({self.total} migrations)."
        count = sum(self.applied.values())
        apps = ", ".join(f"{app} {n}" for app, n in self.applied.items())
        return f"Applied {count} migration{'s' if count != 1 else ''} ({apps}); the database is up to date."


async def _applied() -> Counter[str]:
    if not await Migration.table_exists():
        return Counter()
    return Counter(row["app_name"] for row in await Migration.select(Migration.app_name))


async def migrate_all() -> MigrationReport:
    """Apply every pending migration. Piccolo's own report (a banner per app, counts that say
    "already complete" of migrations a fresh database has never run) is kept for when one fails."""
    before = await _applied()
    with contextlib.redirect_stdout(io.StringIO()) as piccolo_output:
        result = await run_forwards("all")
    if not result.success:
        raise RuntimeError(f"Migration failed: {result.message}\n{piccolo_output.getvalue().strip()}")
    after = await _applied()
    return MigrationReport(applied=dict(sorted((after - before).items())), total=sum(after.values()))


async def seed_all(*, demo: bool) -> list[str]:
    from parties.services import seed_reference

    ref = await seed_reference()
    lines = [f"Reference data: {ref.structures} structures, {ref.parties} parties, {ref.groups} groups."]
    if demo:
        from lifecycle.demo import load_demo

        lines.append(await load_demo())
        from accounts.demo import load_demo_users  # after the agreements: a steward needs one

        lines.append(await load_demo_users())
        from rounds.demo import load_demo_rounds

        lines.append(await load_demo_rounds())
        from documents.demo import load_demo_documents  # after the agreements they belong to

        lines.append(await load_demo_documents())
        from cases.demo import load_demo_cases  # after the users: the secretariat owns the reports

        lines.append(await load_demo_cases())
    return lines
