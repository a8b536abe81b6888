"""Writing the e-mails about a report to the outbox, in the transaction of the change they tell of.

Keys: the reporter gets one message per state a report reaches (`report:{id}:reporter:{state}`),
each party contact one request per report (`report:{id}:ask:{party}:{address}`); the unique key
makes writing twice harmless. `cases.delivery` sends them; the sweep re-enqueues what was lost.
"""

from __future__ import annotations

from cases.rules.states import CaseState
from cases.tables import CaseMessage

_INSERT = """
INSERT INTO case_message (key, report, kind, state, recipient, party_code, status, attempts, created_at)
VALUES ({}, {}, {}, {}, {}, {}, 'pending', 0, now())
ON CONFLICT (key) DO NOTHING RETURNING id
"""
# The registry and clerks of a party are who receive what it is asked to do (as with reminders):
# one request to each, for every party asked, in one statement; and the parties that had none.
_TO_CONTACTS = """
WITH asked AS (
    SELECT p.id, p.code FROM party p WHERE p.code = ANY({})
), contacts AS (
    SELECT DISTINCT a.code, c.email FROM asked a JOIN contact c ON c.party = a.id
    WHERE c.role IN ('registrator', 'clerk')
), added AS (
    INSERT INTO case_message (key, report, kind, state, recipient, party_code, status, attempts, created_at)
    SELECT 'report:' || {}::int || ':ask:' || code || ':' || email, {}::int, 'party_request', {}::varchar,
           email, code, 'pending', 0, now()
    FROM contacts ORDER BY code, email
    ON CONFLICT (key) DO NOTHING RETURNING id
)
SELECT ARRAY(SELECT id FROM added ORDER BY id) AS ids,
       ARRAY(SELECT code FROM asked WHERE code NOT IN (SELECT code FROM contacts) ORDER BY code)
           AS uncontacted
"""


def reporter_kind(state: CaseState) -> str:
    if state is CaseState.RECEIVED:
        return "acknowledgement"
    return "closed" if state is CaseState.CLOSED else "state"


async def to_reporter(report_id: int, reporter_email: str | None, state: CaseState) -> list[int]:
    if not reporter_email:
        return []
    rows = await CaseMessage.raw(
        _INSERT,
        f"report:{report_id}:reporter:{state.value}",
        report_id,
        reporter_kind(state),
        state.value,
        reporter_email,
        None,
    )
    return [r["id"] for r in rows]


async def to_party_contacts(report_id: int, party_codes: list[str]) -> tuple[list[int], list[str]]:
    """A request for its account to each contact of each party asked: (message ids, the parties
    with no contact to e-mail, for the page to say so)."""
    (row,) = await CaseMessage.raw(
        _TO_CONTACTS, party_codes, report_id, report_id, CaseState.SENT_TO_PARTIES.value
    )
    return list(row["ids"]), list(row["uncontacted"])
