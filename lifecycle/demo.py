"""The demo register: the seeds' real agreements, loaded through the services.

Through the services, never raw inserts: every rule check and audit event applies, so the demo
shows what a secretariat would see after entering the same facts by hand (and a service that
refuses demo data is a finding, not an obstacle). Idempotent by reference: an agreement whose
reference is already registered is skipped with everything that belongs to it. Each agreement
(with the documents its decisions cover) loads in one transaction (the services' own
transactions join it), so a failure leaves no half agreement behind that the next load would skip.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date

import msgspec

from audit.trail import Actor
from core.clock import today
from lifecycle import demo_inputs, store
from lifecycle.services.agreements import create_agreement, new_version, update_agreement
from lifecycle.services.decisions import log_decision
from lifecycle.services.group_recommendations import record_recommendation
from lifecycle.services.proposals import record_proposal
from lifecycle.services.replacements import set_replaces
from lifecycle.services.steps import record_step
from lifecycle.tables import Agreement, AgreementParty
from parties.services import add_contact
from parties.tables import Contact, ContactRole, Party

ACTOR = Actor.system("demo")


async def load_demo() -> str:
    """Load what is missing of the demo register and the parties' registrator addresses."""
    as_of = today()  # the clock is read once: only the open remiss's reply date depends on it
    data = demo_inputs.read()
    specs = demo_inputs.specs(data)
    ids = await demo_references([s["reference"] for s in specs])
    counts: Counter[str] = Counter(skipped=len(ids))
    by_reference = {s["reference"]: s for s in specs}
    covered = {ref for s in specs for ref in s.get("covers", [])}
    for spec in specs:
        if spec["reference"] not in ids and spec["reference"] not in covered:
            package = [by_reference[ref] for ref in spec.get("covers", [])]
            await _load_agreement(spec, package, data, ids, as_of, counts)
    counts["contacts"] = await _registrator_contacts()
    return (
        f"Demo: {counts['agreements']} agreements, {counts['decisions']} decisions, "
        f"{counts['steps']} process steps and {counts['contacts']} contacts added; "
        f"{counts['skipped']} agreements were already there."
    )


async def demo_references(references: list[str] | None = None) -> dict[str, int]:
    """The demo agreements already registered, by reference (all of the file's by default)."""
    if references is None:
        references = [s["reference"] for s in demo_inputs.specs(demo_inputs.read())]
    rows = await Agreement.select(Agreement.reference, Agreement.id).where(
        Agreement.reference.is_in(references)
    )
    return {r["reference"]: r["id"] for r in rows}


async def _load_agreement(
    spec: dict, package: list[dict], data: dict, ids: dict[str, int], as_of: date, counts: Counter
) -> None:
    """One agreement, and the documents its decisions cover (`package`), in one transaction."""
    async with Agreement._meta.db.transaction(), store.deferred(as_of):
        made = {}
        for one in (spec, *package):
            made[one["reference"]] = await _create(one, {**ids, **made})
            for step in demo_inputs.steps(one, data, as_of):
                await record_step(made[one["reference"]], step, actor=ACTOR)
                counts["steps"] += 1
            for recommendation in demo_inputs.group_recommendations(one):
                await record_recommendation(made[one["reference"]], recommendation, actor=ACTOR)
        agreement_id = made[spec["reference"]]
        if "replaces" in spec:
            await set_replaces(agreement_id, [ids[r] for r in spec["replaces"]], actor=ACTOR)
        covers = [made[one["reference"]] for one in package]
        for code, decision in demo_inputs.decisions(spec, data, await _party_codes(agreement_id)):
            await log_decision(
                agreement_id, code, msgspec.structs.replace(decision, covers=covers), actor=ACTOR
            )
            counts["decisions"] += 1
        for code, proposal in demo_inputs.proposals(spec, data):
            await record_proposal(agreement_id, code, proposal, actor=ACTOR)
    ids.update(made)
    counts["agreements"] += len(made)


async def _create(spec: dict, ids: dict[str, int]) -> int:
    if "supersedes" in spec:
        agreement_id = (await new_version(ids[spec["supersedes"]], actor=ACTOR)).id
        await update_agreement(agreement_id, demo_inputs.version_patch(spec), actor=ACTOR)
        return agreement_id
    parent_id = ids[spec["parent"]] if "parent" in spec else None
    return (await create_agreement(demo_inputs.agreement_input(spec, parent_id), actor=ACTOR)).id


async def _party_codes(agreement_id: int) -> list[str]:
    rows = await AgreementParty.select(AgreementParty.party.code.as_alias("code")).where(
        AgreementParty.agreement == agreement_id
    )
    return sorted(r["code"] for r in rows)


def slug(name: str) -> str:
    """Lower case without accents, words joined by "-": "Upplands Väsby" -> "upplands-vasby"."""
    plain = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
    return "-".join(plain.split())


async def _registrator_contacts() -> int:
    """One registrator address per party, registrator@<slug>.example (the reserved demo domain)."""
    parties = await Party.select(Party.code, Party.name).order_by(Party.code)
    existing = {
        r["email"]
        for r in await Contact.select(Contact.email).where(
            (Contact.role == ContactRole.REGISTRATOR.value) & Contact.party.is_not_null()
        )
    }
    added = 0
    for party in parties:
        email = f"registrator@{slug(party['name'])}.example"
        if email not in existing:
            await add_contact(party["code"], role="registrator", name="Registrator", email=email, actor=ACTOR)
            added += 1
    return added
