"""Test data written straight into the tables, and small readers of the outbox.

Every test makes its own agreement (a unique title) and its own contacts and stewards under a
domain of its own, so it can tell its messages from everyone else's; `Made.cleanup` removes the
contacts again, since parties are shared reference data.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date

from lifecycle import store
from lifecycle.tables import Agreement, AgreementParty, Decision, Steward
from notifications.tables import Delivery, Digest
from parties.tables import Contact, Party, Structure

SECRETARIAT = {"orebro": "samverkan@orebro.example", "vastmanland": "samverkan@vastmanland.example"}


@dataclass
class Made:
    agreement_id: int
    domain: str
    structure: str
    party_ids: dict[str, int]
    stewards: list[str] = field(default_factory=list)
    contacts: dict[str, list[str]] = field(default_factory=dict)  # party code -> addresses
    contact_ids: list[int] = field(default_factory=list)

    @property
    def secretariat(self) -> str:
        return SECRETARIAT[self.structure]

    def address(self, name: str) -> str:
        return f"{name}@{self.domain}"

    async def add_contact(self, code: str, name: str, role: str = "registrator") -> str:
        address = self.address(name)
        rows = await Contact.insert(
            Contact(party=self.party_ids[code], role=role, name=name.title(), email=address)
        ).returning(Contact.id)
        self.contact_ids.append(rows[0]["id"])
        self.contacts.setdefault(code, []).append(address)
        return address

    async def cleanup(self) -> None:
        """Remove the contacts; withdraw the agreement and cancel what it has not sent, so no later
        sweep writes its reminders for the next test's contacts of the same parties; remove the
        digests that held its rows and any digest to its people: the secretariat is shared, and a
        digest of the day would otherwise keep the next test's rows waiting for tomorrow."""
        await Agreement.update({Agreement.status: "withdrawn"}).where(Agreement.id == self.agreement_id)
        if self.contact_ids:
            await Contact.delete().where(Contact.id.is_in(self.contact_ids))
        people = [self.secretariat, *self.stewards, *(a for c in self.contacts.values() for a in c)]
        await Delivery.update({Delivery.status: "cancelled"}).where(
            (Delivery.agreement == self.agreement_id) & Delivery.status.is_in(["pending", "sending"])
        )
        await Digest.raw(
            "DELETE FROM digest WHERE recipient = ANY({}::text[]) "
            "OR id IN (SELECT digest FROM delivery WHERE agreement = {})",
            people,
            self.agreement_id,
        )

    async def refresh(self, as_of: date) -> None:
        async with Agreement._meta.db.transaction():
            await store.refresh([self.agreement_id], as_of)


async def make_agreement(
    *,
    structure: str = "orebro",
    parties: tuple[str, ...] = ("18", "1880"),
    status: str = "active",
    term: dict | None = None,
    stewards: int = 2,
    contacts: bool = True,
    reminder_policy: dict | None = None,
) -> Made:
    """An agreement with a fixed term 2023-01-01 – 2026-12-31, 18 months' notice and 3-year
    renewals (seed 003) unless `term` says otherwise; one registrator per party; two stewards."""
    tag = uuid.uuid4().hex[:10]
    structure_id = (await Structure.select(Structure.id).where(Structure.slug == structure).first())["id"]
    term = term or {
        "term_kind": "fixed",
        "term_start": date(2023, 1, 1),
        "term_end": date(2026, 12, 31),
        "notice_months": 18,
        "renewal_years": 3,
    }
    rows = await Agreement.insert(
        Agreement(
            structure=structure_id,
            kind="overenskommelse",
            title=f"Överenskommelse om påminnelser {tag}",
            reference=f"T-{tag}",
            status=status,
            reminder_policy=json.dumps(reminder_policy or {}),
            **term,
        )
    ).returning(Agreement.id)
    agreement_id = rows[0]["id"]
    party_rows = await Party.select(Party.id, Party.code).where(Party.code.is_in(list(parties)))
    party_ids = {r["code"]: r["id"] for r in party_rows}
    await AgreementParty.insert(
        *(AgreementParty(agreement=agreement_id, party=i) for i in party_ids.values())
    )
    made = Made(agreement_id, f"t{tag}.example.se", structure, party_ids)
    for n in range(stewards):
        address = made.address(f"forvaltare{n + 1}")
        await Steward.insert(Steward(agreement=agreement_id, name=f"Förvaltare {n + 1}", email=address))
        made.stewards.append(address)
    if contacts:
        for code in parties:
            await made.add_contact(code, f"registrator{code}")
    return made


async def decide(made: Made, code: str, *, outcome: str, meeting: date, anslag: date | None = None) -> int:
    rows = await Decision.insert(
        Decision(
            agreement=made.agreement_id,
            party=made.party_ids[code],
            body="Kommunfullmäktige" if len(code) == 4 else "Regionfullmäktige",
            meeting_date=meeting,
            outcome=outcome,
            justering_date=anslag,
            anslag_date=anslag,
        )
    ).returning(Decision.id)
    return rows[0]["id"]


async def deliveries(agreement_id: int, *, status: str | None = None) -> list[dict]:
    where = Delivery.agreement == agreement_id
    if status is not None:
        where &= Delivery.status == status
    return await Delivery.select().where(where).order_by(Delivery.id)


async def set_row(delivery_id: int, sql: str) -> None:
    """Age a row by hand, as a crashed worker or a lost message would have left it."""
    await Delivery.raw(f"UPDATE delivery SET {sql} WHERE id = {{}}", delivery_id)


async def digests_of(agreement_id: int) -> list[dict]:
    """The digests that hold rows of the agreement, with the ids of those rows."""
    return await Digest.raw(
        "SELECT g.*, array_agg(d.id ORDER BY d.id) AS rows FROM digest g JOIN delivery d ON d.digest = g.id "
        "WHERE d.agreement = {} GROUP BY g.id ORDER BY g.id",
        agreement_id,
    )


def send_all(agreement_id: int) -> dict[str, str]:
    """Hand every digest and webhook row of the agreement to its task, as workers would: key -> outcome."""
    from workers import runtime, tasks

    outcomes = {g["key"]: tasks.deliver_digest.run(g["id"]) for g in runtime.run(digests_of(agreement_id))}
    for row in runtime.run(deliveries(agreement_id)):
        if row["channel"] == "webhook":
            outcomes[row["key"]] = tasks.deliver.run(row["id"])
    return outcomes


@dataclass(frozen=True)
class SetAside:
    """What `set_aside_other_agreements` changed, so that `restore_other_agreements` undoes exactly
    that."""

    statuses: dict[int, str]
    deadlines: list[int]
    warnings: list[int]


async def set_aside_other_agreements(agreement_id: int) -> SetAside:
    """The daily run refreshes and sweeps every live agreement, and a digest holds everything due to
    its recipient from each of them; other tests' agreements with the same parties would join it.
    Those agreements are withdrawn here for the run (their deadlines cancelled, their warnings
    closed); `restore_other_agreements` gives them back their status, deadlines and warnings."""
    rows = await Agreement.raw(
        "UPDATE agreement a SET status = 'withdrawn' FROM agreement old "
        "WHERE a.id = old.id AND a.id <> {} AND a.status NOT IN ('ended', 'withdrawn') "
        "RETURNING a.id, old.status",
        agreement_id,
    )
    deadlines = await Agreement.raw(
        "UPDATE deadline SET cancelled = true WHERE agreement <> {} AND NOT cancelled RETURNING id",
        agreement_id,
    )
    warnings = await Agreement.raw(
        "UPDATE validity_warning SET closed_at = now() WHERE agreement <> {} AND closed_at IS NULL "
        "RETURNING id",
        agreement_id,
    )
    return SetAside(
        {r["id"]: r["status"] for r in rows}, [r["id"] for r in deadlines], [r["id"] for r in warnings]
    )


async def restore_other_agreements(aside: SetAside) -> None:
    for status in set(aside.statuses.values()):
        ids = [i for i, s in aside.statuses.items() if s == status]
        await Agreement.raw("UPDATE agreement SET status = {} WHERE id = ANY({})", status, ids)
    await Agreement.raw("UPDATE deadline SET cancelled = false WHERE id = ANY({})", aside.deadlines)
    await Agreement.raw("UPDATE validity_warning SET closed_at = NULL WHERE id = ANY({})", aside.warnings)
