"""National-scale data, fast: 311 parties, 2,000 agreements and 69,495 decisions in a database of
its own, bulk-loaded (COPY and set-wise INSERTs through asyncpg) and then derived by the rules.
Run by hand (DATABASE_URL names a PostgreSQL server you may create databases on):

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/national.py \
        [--database samverkan_bench_national]

It leaves the database (`samverkan_bench_national` unless `--database` names another, so that a
write benchmark need not disturb a read benchmark running on the first) behind for
`bench/read_bench.py --national` (which calls `build` itself when the database is missing) and for
profiling by hand.

What it holds, and why it is valid:
- The reference data (the four structures with their 97 kommuner and 4 regions), plus Sweden's
  other 17 counties as structures with their regions and as many kommuner as each county has
  (SCB's 2024 counts): 290 kommuner and 21 regions in all. The added kommuner carry made-up
  names ("Kommun 0301") under their county's länskod; no process template names their
  structures, so they hold no agreements (the register is for the four structures that have one).
- 2,000 agreements (överenskommelser): 1,000 in Västra Götaland for all 50 parties (a fixed term
  with 18 months' notice and 3-year renewals, as seed 003), 400 in Stockholm, 300 each in Örebro
  and Västmanland (until further notice with 6 months' notice, as seeds 000-002). Each has taken
  its template's steps in order up to the recommendation(s) that open the parties' decisions.
- One latest decision per party and agreement (68,000), adopted mostly, some with reservation or
  rejected; the newest agreements are still being decided (half their parties have a planned
  meeting instead). The rest of the 69,495 are an earlier återremiss or bordläggning at a meeting
  before the party's final one. Every decision passes `validate_decision` against the
  agreement's recommendation and today before it is written, so each is one the product accepts.
- An audit event for each agreement, step and decision (the agreement page shows its history).
- Deadlines and validity warnings stored by `store.refresh`, in batches, as every change does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DATABASE = "samverkan_bench_national"
DECISIONS = 69_495
AGREEMENTS = {"vastra-gotaland": 1000, "stockholm": 400, "orebro": 300, "vastmanland": 300}
IN_PROGRESS = 0.05  # the newest share of each structure's agreements, still being decided
# Sweden's other counties: länskod, county, region, number of kommuner (SCB, 2024).
COUNTIES = [
    ("03", "Uppsala län", "Region Uppsala", 8),
    ("04", "Södermanlands län", "Region Sörmland", 9),
    ("05", "Östergötlands län", "Region Östergötland", 13),
    ("06", "Jönköpings län", "Region Jönköpings län", 13),
    ("07", "Kronobergs län", "Region Kronoberg", 8),
    ("08", "Kalmar län", "Region Kalmar län", 12),
    ("09", "Gotlands län", "Region Gotland", 1),
    ("10", "Blekinge län", "Region Blekinge", 5),
    ("12", "Skåne län", "Region Skåne", 33),
    ("13", "Hallands län", "Region Halland", 6),
    ("17", "Värmlands län", "Region Värmland", 16),
    ("20", "Dalarnas län", "Region Dalarna", 15),
    ("21", "Gävleborgs län", "Region Gävleborg", 10),
    ("22", "Västernorrlands län", "Region Västernorrland", 7),
    ("23", "Jämtlands län", "Region Jämtland Härjedalen", 8),
    ("24", "Västerbottens län", "Region Västerbotten", 15),
    ("25", "Norrbottens län", "Region Norrbotten", 14),
]
TOPICS = [
    "hälso- och sjukvård",
    "barn och unga",
    "psykisk hälsa",
    "missbruk och beroende",
    "hemsjukvård",
    "hjälpmedel",
    "läkemedel",
    "tandvård",
    "logopedi",
    "fotvård",
    "samordnad individuell plan",
    "utskrivning från slutenvård",
    "elevhälsa",
    "habilitering",
    "rehabilitering",
    "digitala vårdtjänster",
]


def database_url(server: str, name: str = DATABASE) -> str:
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


async def _admin(server: str, sql: str) -> None:
    connection = await asyncpg.connect(dsn=database_url(server, "postgres"))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def exists(server: str, database: str = DATABASE) -> bool:
    connection = await asyncpg.connect(dsn=database_url(server, "postgres"))
    try:
        return bool(await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database))
    finally:
        await connection.close()


def _steps_to_recommendation(template) -> list[str]:
    """The template's steps in order up to the last step that opens some party's decisions."""
    opening = {template.recommendation, *(step for _, step in template.recommendation_for)} - {None}
    keys = [s.key for s in template.steps]
    last = max(keys.index(k) for k in opening)
    return keys[: last + 1]


def _term(slug: str, start: date) -> dict:
    if slug == "vastra-gotaland":
        end = date(start.year + 4, 1, 1) - timedelta(days=1)
        return dict(term_kind="fixed", term_start=start, term_end=end, notice_months=18, renewal_years=3)
    return dict(
        term_kind="until_further_notice", term_start=start, notice_months=6, law_change_notice_months=3
    )


async def _add_counties(connection: asyncpg.Connection) -> None:
    await connection.executemany(
        "INSERT INTO structure (slug, name, county_code, county_name, secretariat) "
        "VALUES ($1, $2, $3, $4, $5)",
        [(f"lan-{c}", f"Samverkan {county}", c, county, region) for c, county, region, _ in COUNTIES],
    )
    ids = dict(await connection.fetch("SELECT county_code, id FROM structure"))
    parties = []
    for c, _, region, kommuner in COUNTIES:
        parties.append((c, region, "region", c, ids[c]))
        parties += [
            (f"{c}{n:02d}", f"Kommun {c}{n:02d}", "kommun", c, ids[c]) for n in range(1, kommuner + 1)
        ]
    await connection.copy_records_to_table(
        "party", records=parties, columns=["code", "name", "kind", "county_code", "structure"]
    )


async def _load(connection: asyncpg.Connection, today: date) -> dict:
    from lifecycle.rules.appeal import Appeal
    from lifecycle.rules.decisions import Decision as RuleDecision
    from lifecycle.rules.decisions import validate_decision
    from lifecycle.rules.model import AgreementKind, AppealState, Outcome
    from lifecycle.rules.process import get_template

    rng = random.Random(311)
    stamp = datetime.now(UTC)
    structures = dict(await connection.fetch("SELECT slug, id FROM structure"))
    members: dict[str, list[tuple[int, str, str]]] = {slug: [] for slug in AGREEMENTS}
    for r in await connection.fetch(
        "SELECT s.slug, p.id, p.code, p.kind FROM party p JOIN structure s ON s.id = p.structure "
        "ORDER BY p.code"
    ):
        if r["slug"] in members:
            members[r["slug"]].append((r["id"], r["code"], r["kind"]))

    agreements, plans = [], []  # plans: (slug, steps with dates, recommended per party kind, deciding?)
    n = 0
    for slug, count in AGREEMENTS.items():
        template = get_template(slug, AgreementKind.AGREEMENT)
        keys = _steps_to_recommendation(template)
        for i in range(count):
            n += 1
            in_progress = i >= count * (1 - IN_PROGRESS)
            # recommended between 2019 and 2024; the ones in progress in the last four months
            recommended = (
                today - timedelta(days=30 + rng.randrange(90))
                if in_progress
                else date(2019, 1, 15) + timedelta(days=rng.randrange(6 * 365 - 200))
            )
            taken = [(k, recommended - timedelta(days=40 * (len(keys) - 1 - j))) for j, k in enumerate(keys)]
            opens = {
                kind: next(
                    on
                    for k, on in taken
                    if k == dict(template.recommendation_for).get(kind, template.recommendation)
                )
                for kind in ("kommun", "region")
            }
            start = date(recommended.year + 1 + (recommended.month > 9), 1, 1)
            agreements.append(
                dict(
                    structure=structures[slug],
                    kind="overenskommelse",
                    reference=f"{slug[:3].upper()}-{recommended.year}-{n:04d}",
                    title=f"Överenskommelse om {TOPICS[n % len(TOPICS)]} {n:04d}",
                    summary=f"Gemensamt ansvar för {TOPICS[n % len(TOPICS)]} mellan regionen och kommunerna.",
                    status="draft" if in_progress else "active",
                    declared_in_force_from=None if in_progress else start,
                    decision_due=recommended + timedelta(days=240),
                    annual_follow_up="11-15" if slug == "orebro" else None,
                    **_term(slug, start),
                )
            )
            plans.append((slug, taken, opens, in_progress))

    columns = sorted({k for a in agreements for k in a})
    await connection.copy_records_to_table(
        "agreement",
        records=[
            (*(a.get(c) for c in columns), True, 1, [], [], "[]", "when_all_final", "{}", stamp, stamp)
            for a in agreements
        ],
        columns=[
            *columns,
            "all_parties",
            "version",
            "law_refs",
            "text_law_refs",
            "documents",
            "entry_rule",
            "reminder_policy",
            "created_at",
            "updated_at",
        ],
    )
    ids = [r["id"] for r in await connection.fetch("SELECT id FROM agreement ORDER BY id")]
    await connection.execute(
        "INSERT INTO agreement_party (agreement, party) "
        "SELECT a.id, p.id FROM agreement a JOIN party p ON p.structure = a.structure"
    )

    steps, decisions, events = [], [], []
    finals: list[tuple[int, int, str, date, date]] = []  # (agreement, party, code, opened, final meeting)
    for agreement_id, (slug, taken, opens, in_progress) in zip(ids, plans, strict=True):
        events.append((stamp, "system: bench", "create", "agreement", str(agreement_id), agreement_id, None))
        for key, on in taken:
            steps.append((agreement_id, key, on, "", "", "", "", "[]", None, None, stamp))
            events.append(
                (
                    stamp,
                    "system: bench",
                    "create",
                    "process_step",
                    key,
                    agreement_id,
                    json.dumps({"step": key}),
                )
            )
        for party_id, code, kind in members[slug]:
            body = "Regionfullmäktige" if kind == "region" else "Kommunfullmäktige"
            opened = opens[kind]
            meeting = opened + timedelta(days=30 + rng.randrange(150))
            if (in_progress and rng.random() < 0.5) or meeting > today - timedelta(days=10):
                outcome, meeting = Outcome.PLANNED, today + timedelta(days=14 + rng.randrange(60))
            else:
                roll = rng.random()
                outcome = (
                    Outcome.REJECTED
                    if roll < 0.02
                    else Outcome.ADOPTED_WITH_RESERVATION
                    if roll < 0.07
                    else Outcome.ADOPTED
                )
                finals.append((agreement_id, party_id, code, opened, meeting))
            decisions.append((agreement_id, party_id, code, body, meeting, outcome, opened))
    # the earlier återremiss or bordläggning of as many final decisions as make up the total
    for agreement_id, party_id, code, opened, meeting in rng.sample(finals, DECISIONS - len(decisions)):
        body = "Regionfullmäktige" if len(code) == 2 else "Kommunfullmäktige"
        earlier = opened + (meeting - opened) // 2
        if earlier >= meeting:
            raise RuntimeError("a final decision too close to its recommendation for an earlier one")
        outcome = Outcome.REFERRED_BACK if rng.random() < 0.5 else Outcome.POSTPONED
        decisions.append((agreement_id, party_id, code, body, earlier, outcome, opened))

    records = []
    for number, (agreement_id, party_id, code, body, meeting, outcome, opened) in enumerate(decisions, 1):
        taken = outcome is not Outcome.PLANNED
        justering = meeting + timedelta(days=3 + number % 5) if taken else None
        rule = validate_decision(
            RuleDecision(
                party_code=code,
                body=body,
                meeting_date=meeting,
                outcome=outcome,
                paragraph=str(number % 400 + 1) if taken else None,
                case_number=f"KS {meeting.year}/{number % 900 + 10}",
                justering_date=justering,
                anslag_date=justering + timedelta(days=number % 3) if taken else None,
                appeal=Appeal(AppealState.NONE, None, None),
            ),
            recommended_on=opened,
            today=today,
        )
        records.append(
            (
                agreement_id,
                party_id,
                rule.body,
                rule.meeting_date,
                rule.outcome.value,
                rule.paragraph,
                rule.case_number,
                rule.justering_date,
                rule.anslag_date,
                "none",
                "",
                stamp,
                stamp,
            )
        )
    await connection.copy_records_to_table(
        "process_step",
        records=steps,
        columns=[
            "agreement",
            "step",
            "taken_on",
            "body",
            "paragraph",
            "case_number",
            "note",
            "links",
            "reply_by",
            "completed_on",
            "created_at",
        ],
    )
    await connection.copy_records_to_table(
        "party_decision",
        records=records,
        columns=[
            "agreement",
            "party",
            "body",
            "meeting_date",
            "outcome",
            "paragraph",
            "case_number",
            "justering_date",
            "anslag_date",
            "appeal_state",
            "note",
            "created_at",
            "updated_at",
        ],
    )
    decision_ids = await connection.fetch("SELECT id, agreement, outcome FROM party_decision")
    events += [
        (
            stamp,
            "system: bench",
            "create",
            "party_decision",
            str(d["id"]),
            d["agreement"],
            json.dumps({"outcome": d["outcome"]}),
        )
        for d in decision_ids
    ]
    await connection.copy_records_to_table(
        "audit_event",
        records=events,
        columns=["at", "actor", "action", "entity", "entity_id", "agreement_id", "after"],
    )
    return {"agreements": len(ids), "steps": len(steps), "decisions": len(records), "events": len(events)}


async def build(server: str, database: str = DATABASE) -> dict:
    """Create the database afresh and fill it; the counts of what it wrote."""
    started = time.perf_counter()
    await _admin(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    await _admin(server, f'CREATE DATABASE "{database}"')
    os.environ["DATABASE_URL"] = database_url(server, database)
    from core.clock import today
    from core.db import close_pool, open_pool
    from lifecycle import store
    from piccolo_conf import DB
    from samverkan_cli.database import migrate_all, seed_all

    await migrate_all()
    await seed_all(demo=False)
    connection = await asyncpg.connect(dsn=database_url(server, database))
    try:
        await _add_counties(connection)
        counts = await _load(connection, today())
        counts["parties"] = await connection.fetchval("SELECT count(*) FROM party")
        loaded = time.perf_counter()
        await open_pool(DB)
        try:
            ids = [r["id"] for r in await connection.fetch("SELECT id FROM agreement ORDER BY id")]
            for batch in range(0, len(ids), 100):
                async with DB.transaction():
                    await store.refresh(ids[batch : batch + 100], today())
        finally:
            await close_pool(DB)
        counts["deadlines"] = await connection.fetchval("SELECT count(*) FROM deadline")
        counts["warnings"] = await connection.fetchval("SELECT count(*) FROM validity_warning")
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    counts["bulk_seconds"] = round(loaded - started, 1)
    counts["rules_seconds"] = round(time.perf_counter() - loaded, 1)
    return counts


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=DATABASE, help=f"the database to build (default {DATABASE})")
    print(asyncio.run(build(os.environ["DATABASE_URL"], parser.parse_args().database)))
