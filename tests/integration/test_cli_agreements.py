"""`samverkan agreements status|list` in a terminal: the adoption overview as aligned text, and a
one-line message with exit code 1 for a wrong id. The CLI runs its own event loop (asyncio.run),
so these tests are synchronous and prepare their agreement the same way."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import pytest
from click.testing import CliRunner

from audit.trail import Actor
from lifecycle.services.agreements import create_agreement
from lifecycle.services.decisions import log_decision
from lifecycle.services.steps import record_step
from lifecycle.views import AgreementCreate, DecisionIn, StepIn, TermIn
from samverkan_cli.main import cli

ACTOR = Actor.system("test")
STEPS = [
    ("uppdrag", date(2021, 3, 1)),
    ("forslag", date(2021, 6, 1)),
    ("remiss", date(2021, 9, 1)),
    ("revidering", date(2021, 11, 15)),
    ("beredning", date(2022, 1, 20)),
    ("rekommendation_sro", date(2022, 2, 24)),
]


async def _agreement(title: str) -> int:
    agreement = await create_agreement(
        AgreementCreate(
            structure="vastra-gotaland",
            kind="overenskommelse",
            title=title,
            term=TermIn(kind="fixed", start=date(2023, 1, 1), end=date(2026, 12, 31), notice_months=18),
            entry_rule="fixed_date_once_all_adopted",
            entry_fixed_date=date(2023, 1, 1),
        ),
        actor=ACTOR,
    )
    for step, taken_on in STEPS:
        await record_step(agreement.id, StepIn(step=step, taken_on=taken_on), actor=ACTOR)
    await log_decision(
        agreement.id,
        "1401",
        DecisionIn(
            body="Kommunfullmäktige",
            meeting_date=date(2022, 5, 23),
            outcome="adopted",
            paragraph="77",
            case_number="2022VFN175 779",
            justering_date=date(2022, 5, 27),
            anslag_date=date(2022, 5, 30),
        ),
        actor=ACTOR,
    )
    await log_decision(
        agreement.id,
        "1402",
        DecisionIn(body="Kommunfullmäktige", meeting_date=date(2099, 6, 1), outcome="planned"),
        actor=ACTOR,
    )
    return agreement.id


@pytest.fixture(scope="module")
def agreement() -> tuple[int, str]:
    title = f"HoS-avtal i terminalen {uuid.uuid4().hex[:8]}"
    return asyncio.run(_agreement(title)), title


def run(*args: str):
    return CliRunner().invoke(cli, ["agreements", *args])


def test_status_prints_the_overview_and_a_row_per_party(agreement):
    agreement_id, title = agreement
    result = run("status", str(agreement_id))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == title
    assert "Rekommenderad:   2022-02-24" in lines
    assert any(line.startswith("Parter:") and "50: 49 ej beslutat, 1 antagen" in line for line in lines)
    harryda = next(line for line in lines if line.startswith("1401 "))
    # anslag 2022-05-30 + three weeks = Monday 2022-06-20: final the day after
    assert harryda.split() == [
        "1401",
        "Härryda",
        "Antagen",
        "2022-05-23",
        "§",
        "77",
        "2022VFN175",
        "779",
        "2022-06-21",
    ]
    partille = next(line for line in lines if line.startswith("1402 "))
    assert "Ej beslutat" in partille and "planerat 2099-06-01" in partille
    # the columns line up: every party row puts its status where the header does
    header = next(line for line in lines if line.startswith("Kod "))
    assert harryda.index("Antagen") == partille.index("Ej beslutat") == header.index("Status")


def test_an_unknown_agreement_is_a_message_and_exit_code_1():
    result = run("status", "987654321")
    assert result.exit_code == 1
    assert "Det finns ingen överenskommelse med id 987654321." in result.output
    assert "Traceback" not in result.output


def test_an_id_that_is_not_a_number_is_a_message_and_exit_code_1():
    result = run("status", "abc")
    assert result.exit_code == 1
    assert "Ange överenskommelsens id som ett heltal, inte 'abc'." in result.output


def test_list_shows_the_agreements_of_one_structure(agreement):
    agreement_id, title = agreement
    result = run("list", "--structure", "vastra-gotaland")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.endswith(title))
    assert row.split()[:6] == [
        str(agreement_id),
        "vastra-gotaland",
        "Överenskommelse",
        "Under",
        "arbete",
        "v1",
    ]
    assert run("list", "--structure", "stockholm").output.count(title) == 0


def test_an_unknown_structure_is_a_message_and_exit_code_1():
    result = run("list", "--structure", "nope")
    assert result.exit_code == 1
    assert "Okänd samverkansstruktur 'nope'" in result.output
