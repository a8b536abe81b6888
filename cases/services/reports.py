"""A report comes in from the public form, and the reporter follows it by the status link."""

from __future__ import annotations

from dataclasses import dataclass

from audit.trail import Actor, record
from cases import links
from cases.categories import categories
from cases.rules.report import ReportIn, check_report
from cases.rules.states import CaseState
from cases.services.handling import entered
from cases.services.load import Report, agreement_facts, load_report
from cases.tables import FailureReport
from core.addresses import email_address
from core.clock import now, today
from core.errors import NotFound
from notifications.feeds.tokens import token_hash
from piccolo_conf import DB

ENTITY = "failure_report"


@dataclass(frozen=True, slots=True)
class Received:
    report_id: int
    status_url: str  # the secret link: shown once to the reporter and sent by e-mail
    message_ids: list[int]


def _email(address: str | None) -> str | None:
    if not address or not address.strip():
        return None
    return email_address(address, "reporter_email")


async def submit(report: ReportIn, *, actor: Actor) -> Received:
    """Check the report (no identity numbers, a category of the structure's list, parties of the
    agreement), store it as received, and write the acknowledgement to the outbox."""
    facts = await agreement_facts(report.agreement_id)
    day = today()
    check_report(
        report, categories=categories(facts["slug"]), agreement_parties=set(facts["parties"]), today=day
    )
    email = _email(report.reporter_email)
    salt = links.new_salt()
    async with DB.transaction():
        rows = await FailureReport.raw(
            "INSERT INTO failure_report (agreement, occurred_on, category, what_happened, consequence, "
            "reporter_email, token_salt, token_hash, state, conclusion, received_at, received_on) "
            "VALUES ({}, {}, {}, {}, {}, {}, {}, {}, 'received', '', {}, {}) RETURNING id",
            report.agreement_id,
            report.occurred_on,
            report.category,
            report.what_happened.strip(),
            report.consequence.strip(),
            email,
            salt,
            token_hash(links.token_for(salt)),
            now(),
            day,
        )
        report_id = rows[0]["id"]
        await FailureReport.raw(
            "INSERT INTO failure_report_party (report, party, involved, answer, answered_by) "
            "SELECT {}, p.id, 'yes', '', '' FROM party p WHERE p.code = ANY({})",
            report_id,
            list(report.party_codes),
        )
        # the audit trail holds no free text and no address: it is kept for ever, the report is not
        await record(
            actor,
            "report",
            ENTITY,
            report_id,
            agreement_id=report.agreement_id,
            after={
                "category": report.category,
                "parties": sorted(report.party_codes),
                "occurred_on": report.occurred_on,
                "feedback": email is not None,
            },
        )
        ids = await entered(report_id, email, CaseState.RECEIVED, day)
    return Received(report_id, links.status_url(salt), ids)


async def by_token(token: str) -> Report:
    """The report behind a status link; 404 for a wrong, rotated or cleared one."""
    rows = await FailureReport.raw("SELECT id FROM failure_report WHERE token_hash = {}", token_hash(token))
    if not rows:
        raise NotFound("Länken är inte giltig. Rapporten kan ha gallrats, eller så är länken felskriven.")
    return await load_report(rows[0]["id"])
