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
# The registry and clerks of a party are who receive what it is asked to do (as with reminders).
_CONTACTS = """
SELECT DISTINCT c.email FROM contact c JOIN party p ON p.id = c.party
WHERE p.code = {} AND c.role IN ('registrator', 'clerk') ORDER BY c.email
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


async def to_party_contacts(report_id: int, party_code: str) -> tuple[list[int], int]:
    """A request for the party's account to each of its contacts; (message ids, contacts found)."""
    ids = []
    contacts = await CaseMessage.raw(_CONTACTS, party_code)
    for contact in contacts:
        rows = await CaseMessage.raw(
            _INSERT,
            f"report:{report_id}:ask:{party_code}:{contact['email']}",
            report_id,
            "party_request",
            CaseState.SENT_TO_PARTIES.value,
            contact["email"],
            party_code,
        )
        ids += [r["id"] for r in rows]
    return ids, len(contacts)
