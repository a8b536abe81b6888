"""`samverkan agreements`: the register and one agreement's adoption overview, in a terminal.

For a secretariat on a server without a browser, and for scripts: plain text in aligned columns,
from the same services the web pages use, so both always agree. No table library: click.echo
with padded columns is enough for a handful of them.

`main` imports this module at its end, so this one imports `main` only inside the commands:
either module can then be imported first.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

# The users' words for the services' codes; the same as the web pages' (api/pages/labels.py),
# not imported from there because that package loads the whole web application.
ADOPTION = {
    "pending": "Ej beslutat",
    "adopted": "Antagen",
    "adopted_with_reservation": "Antagen med reservation",
    "rejected": "Avslagen",
    "referred_back": "Återremitterad",
    "postponed": "Bordlagd",
}
STATUS = {"draft": "Under arbete", "active": "Gällande", "ended": "Upphörd", "withdrawn": "Avbruten"}
KINDS = {
    "overenskommelse": "Överenskommelse",
    "riktlinje": "Riktlinje",
    "overgangsbestammelser": "Övergångsbestämmelser",
    "tillaggsoverenskommelse": "Tilläggsöverenskommelse",
    "bilaga": "Bilaga",
}
ENTRY_RULES = {
    "fixed_date_once_all_adopted": "från ett fast datum när alla parter har antagit",
    "when_all_final": "när den sista partens beslut har vunnit laga kraft",
    "per_party": "för varje part från dess eget beslut",
}
NOT_FINAL_YET = {
    "awaiting_notice": "väntar på anslag",
    "appealed": "överklagat",
    "annulled": "upphävt av domstol",
}
EMPTY = "–"


@click.group()
def agreements() -> None:
    """Registret: överenskommelser och hur parterna har beslutat."""


@agreements.command("list")
@click.option("--structure", metavar="STRUKTUR", help="Bara en samverkansstruktur, t.ex. vastra-gotaland.")
def list_agreements(structure: str | None) -> None:
    """Alla överenskommelser i registret (eller i en samverkansstruktur)."""
    _run_friendly(_list, structure)


@agreements.command("status")
@click.argument("agreement_id", metavar="ID")
def status(agreement_id: str) -> None:
    """Antagandeöversikten för en överenskommelse: parternas beslut, ikraftträdande, varningar."""
    if not (agreement_id.isascii() and agreement_id.isdigit()):
        raise click.ClickException(f"Ange överenskommelsens id som ett heltal, inte '{agreement_id}'.")
    _run_friendly(_status, int(agreement_id))


def _run_friendly(command: Callable[..., Any], *args: Any) -> None:
    from samverkan_cli.main import ensure_database, friendly

    def run() -> None:
        ensure_database()  # before anything imports the database engine
        try:
            asyncio.run(command(*args))
        except BrokenPipeError:  # the reader stopped early (`| head`): not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())

    friendly(run)()


async def _list(structure: str | None) -> None:
    from lifecycle.services.agreements import list_agreements as service

    page = await service(
        structure=structure, kind=None, status=None, party=None, q=None, limit=1000, offset=0
    )
    if not page.items:
        click.echo("Inga överenskommelser i registret.")
        return
    rows = [
        [
            str(a.id),
            a.structure,
            KINDS.get(a.kind, a.kind),
            STATUS.get(a.status, a.status),
            f"v{a.version}",
            str(a.party_count),
            a.reference or EMPTY,
            a.title,
        ]
        for a in page.items
    ]
    _table(["Id", "Struktur", "Typ", "Status", "Version", "Parter", "Referens", "Titel"], rows)
    click.echo(f"\n{page.total} överenskommelser.")


async def _status(agreement_id: int) -> None:
    from core.clock import today
    from lifecycle import store
    from lifecycle.services.agreements import detail_of
    from lifecycle.services.overview import adoption_of

    evaluated = await store.load([agreement_id], today(), versions=True, detail=True)
    detail = detail_of(evaluated, agreement_id)
    overview = adoption_of(evaluated, agreement_id)
    click.secho(overview.title, bold=True)
    facts = [detail.reference, KINDS.get(detail.kind, detail.kind), STATUS.get(detail.status, detail.status)]
    click.echo(f"Id {agreement_id} · {' · '.join(f for f in facts if f)} · {detail.structure}")
    click.echo(f"Läget per {overview.as_of}\n")
    lines = [("Ikraftträdande", _entry(overview))]
    if detail.process.parties_decide:
        counts = ", ".join(f"{n} {ADOPTION[s].lower()}" for s, n in overview.counts.items() if n)
        lines = [
            ("Rekommenderad", str(overview.recommended_on or "inte ännu")),
            ("Beslut senast", str(overview.decision_due or EMPTY)),
            *lines,
            ("Parter", f"{overview.total}: {counts}"),
        ]
    _table(["", ""], [[f"{label}:", value] for label, value in lines], header=False)
    click.echo(f"\nVarningar ({len(overview.warnings)}):" if overview.warnings else "\nInga varningar.")
    for warning in overview.warnings:
        click.echo(f"  ! {warning.message}")
    click.echo()
    if not detail.process.parties_decide:
        body = overview.decided_by or "den gemensamma organisationen"
        click.echo(f"Parterna fattar inga egna beslut: {body} beslutar.")
        return
    _table(
        ["Kod", "Part", "Status", "Sammanträde", "§", "Diarienummer", "Laga kraft"],
        [_party_row(row) for row in overview.parties],
    )


def _entry(overview: Any) -> str:
    entry = overview.entry
    since = str(overview.in_force_from) if overview.in_force_from else "inte i kraft"
    if entry is None:
        return since
    notes = [ENTRY_RULES.get(entry.rule, entry.rule)]
    if entry.blocked_by:
        notes.append(f"avslagen av {', '.join(entry.blocked_by)}")
    if entry.waiting_for:
        notes.append(f"väntar på {', '.join(entry.waiting_for)}")
    return f"{since} ({'; '.join(notes)})"


def _party_row(row: Any) -> list[str]:
    decision = row.decision
    if decision is None:
        meeting = f"planerat {row.next_meeting}" if row.next_meeting else EMPTY
        return [row.party_code, row.party_name, ADOPTION[row.status], meeting, EMPTY, EMPTY, EMPTY]
    if row.legally_final_on is None:
        final = NOT_FINAL_YET.get(decision.legal_state, EMPTY)
    elif decision.legal_state == "appealable":
        final = f"{row.legally_final_on}, om inte överklagat"
    else:
        final = str(row.legally_final_on)
    return [
        row.party_code,
        row.party_name,
        ADOPTION[row.status],
        str(decision.meeting_date),
        decision.paragraph or EMPTY,
        decision.case_number or EMPTY,
        final,
    ]


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, header: bool = True) -> None:
    """Columns padded to their widest cell; the last one is not padded (titles run long)."""
    shown = [list(headers), *rows] if header else [list(r) for r in rows]
    widths = [max(len(r[i]) for r in shown) for i in range(len(headers) - 1)]
    for r in shown:
        click.echo("  ".join([*(cell.ljust(w) for cell, w in zip(r, widths, strict=False)), r[-1]]).rstrip())
