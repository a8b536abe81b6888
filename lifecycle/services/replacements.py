"""Many into one: recording which agreements a new one replaces (seed 004: the county's 17
agreements consolidated into about seven). Each replaced one ends when the new one enters into
force (lifecycle.rules.replacement); the rules apply it on every read and refresh."""

from __future__ import annotations

from audit.trail import Actor, record
from core.clock import now, today
from lifecycle import store
from lifecycle.rules.replacement import ReplacementFacts, check_replacements
from lifecycle.services import checks
from lifecycle.services.agreements import get_agreement
from lifecycle.tables import Agreement
from lifecycle.views import AgreementDetail

# The agreement, the agreements that replace it (directly or through others), the candidates,
# what replaces them and what it replaces now: everything the check must see, in one statement.
_FACTS = (
    "WITH RECURSIVE rep AS (SELECT a.id, a.replaced_by FROM agreement a WHERE a.id = {} "
    "UNION SELECT a.id, a.replaced_by FROM agreement a JOIN rep r ON a.id = r.replaced_by) "
    "SELECT a.id, a.title, s.slug AS structure, a.replaced_by FROM agreement a "
    "JOIN structure s ON s.id = a.structure "
    "WHERE a.id IN (SELECT id FROM rep) OR a.id = ANY({}::int[]) OR a.replaced_by = {} "
    "OR a.id IN (SELECT c.replaced_by FROM agreement c WHERE c.id = ANY({}::int[]))"
)


async def set_replaces(agreement_id: int, replaces: list[int], *, actor: Actor) -> AgreementDetail:
    """Make `replaces` the agreements this one replaces: those added end when it enters into force,
    those left out run on. Refused (422) for itself, another structure's agreement or a cycle; 409
    for one that another agreement already replaces."""
    async with Agreement._meta.db.transaction():
        await checks.agreement_row(agreement_id, lock=True)
        rows = await Agreement.raw(_FACTS, agreement_id, replaces, agreement_id, replaces)
        known = {r["id"]: ReplacementFacts(**r) for r in rows}
        chosen = check_replacements(known[agreement_id], replaces, known)
        before = sorted(i for i, f in known.items() if f.replaced_by == agreement_id)
        dropped = [i for i in before if i not in chosen]
        added = [i for i in chosen if i not in before]
        stamp = now()
        if dropped:
            await Agreement.update({Agreement.replaced_by: None, Agreement.updated_at: stamp}).where(
                Agreement.id.is_in(dropped)
            )
        if added:
            await Agreement.update({Agreement.replaced_by: agreement_id, Agreement.updated_at: stamp}).where(
                Agreement.id.is_in(added)
            )
        await store.refresh([agreement_id, *dropped], today())
        await record(
            actor,
            "update",
            "agreement",
            agreement_id,
            agreement_id=agreement_id,
            before={"replaces": before},
            after={"replaces": sorted(chosen)},
        )
        for old in dropped + added:
            await record(
                actor,
                "update",
                "agreement",
                old,
                agreement_id=old,
                before={"replaced_by": agreement_id if old in dropped else None},
                after={"replaced_by": None if old in dropped else agreement_id},
            )
    return await get_agreement(agreement_id)
