"""Migrations and seeding, shared by the CLI, `samverkan dev` and the tests."""

from __future__ import annotations

from piccolo.apps.migrations.commands.forwards import run_forwards


async def migrate_all() -> None:
    result = await run_forwards("all")
    if not result.success:
        raise RuntimeError(f"Migration failed: {result.message}")


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
