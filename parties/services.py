"""Reading and changing structures, parties and contacts."""

from __future__ import annotations

from dataclasses import dataclass

from asyncpg.exceptions import UniqueViolationError
from piccolo.query import OrderByRaw

from audit.trail import Actor, record
from core.addresses import email_address
from core.errors import Conflict, InvalidInput, NotFound
from parties import reference
from parties.tables import Contact, ContactRole, Party, PartyKind, Structure
from parties.views import ContactView, PartyDetail, PartyPage, PartyView, StructureView

# A practical address check: something@domain.tld, no spaces. Delivery proves the rest.


@dataclass(frozen=True, slots=True)
class SeedResult:
    structures: int
    parties: int


async def seed_reference() -> SeedResult:
    """Load the shipped structures and parties; idempotent (upserts by slug and code)."""
    structure_refs = reference.structures()
    party_refs = reference.parties()
    async with Structure._meta.db.transaction():
        for s in structure_refs:
            await Structure.insert(
                Structure(
                    slug=s.slug,
                    name=s.name,
                    county_code=s.county_code,
                    county_name=s.county_name,
                    secretariat=s.secretariat,
                )
            ).on_conflict(
                target=Structure.slug,
                action="DO UPDATE",
                values=[Structure.name, Structure.county_code, Structure.county_name, Structure.secretariat],
            )
        ids = {r["county_code"]: r["id"] for r in await Structure.select(Structure.county_code, Structure.id)}
        for p in party_refs:
            await Party.insert(
                Party(
                    code=p.code,
                    name=p.name,
                    kind=p.kind.value,
                    county_code=p.county_code,
                    structure=ids[p.county_code],
                )
            ).on_conflict(
                target=Party.code,
                action="DO UPDATE",
                values=[Party.name, Party.kind, Party.county_code, Party.structure],
            )
        for s in structure_refs:
            await Contact.insert(
                Contact(
                    structure=ids[s.county_code],
                    role=ContactRole.SECRETARIAT.value,
                    name=s.secretariat,
                    email=s.secretariat_email,
                )
            ).on_conflict(action="DO NOTHING")
    return SeedResult(structures=len(structure_refs), parties=len(party_refs))


async def list_structures() -> list[StructureView]:
    rows = await Structure.raw(
        "SELECT s.slug, s.name, s.county_code, s.county_name, s.secretariat, count(p.id) AS party_count "
        "FROM structure s LEFT JOIN party p ON p.structure = s.id "
        "GROUP BY s.id ORDER BY s.county_code"
    )
    return [StructureView(**r) for r in rows]


async def get_structure(slug: str) -> StructureView:
    for s in await list_structures():
        if s.slug == slug:
            return s
    raise NotFound(f"Samverkansstrukturen '{slug}' finns inte. Kända: {', '.join(await structure_slugs())}.")


async def structure_slugs() -> list[str]:
    return [r["slug"] for r in await Structure.select(Structure.slug).order_by(Structure.county_code)]


async def list_parties(
    *, structure: str | None, kind: str | None, county: str | None, limit: int, offset: int
) -> PartyPage:
    where = []
    if structure is not None:
        if structure not in await structure_slugs():
            raise InvalidInput(
                f"Okänd samverkansstruktur '{structure}'. Kända: {', '.join(await structure_slugs())}.",
                field="structure",
            )
        where.append(Party.structure.slug == structure)
    if kind is not None:
        if kind not in {k.value for k in PartyKind}:
            raise InvalidInput(f"Okänd typ av part '{kind}'. Använd 'kommun' eller 'region'.", field="kind")
        where.append(Party.kind == kind)
    if county is not None:
        where.append(Party.county_code == county)
    query = Party.select(
        Party.code, Party.name, Party.kind, Party.county_code, Party.structure.slug.as_alias("structure")
    ).where(*where)
    total = await Party.count().where(*where)
    # regions (2-digit codes) first within a county, then kommuner by code
    rows = await query.order_by(OrderByRaw("county_code, length(code), code")).limit(limit).offset(offset)
    return PartyPage(items=[PartyView(**r) for r in rows], total=total, limit=limit, offset=offset)


async def get_party(code: str) -> PartyDetail:
    row = (
        await Party.select(
            Party.id,
            Party.code,
            Party.name,
            Party.kind,
            Party.county_code,
            Party.structure.slug.as_alias("structure"),
        )
        .where(Party.code == code)
        .first()
    )
    if row is None:
        raise NotFound(f"Det finns ingen part med koden '{code}'.")
    contacts = (
        await Contact.select(Contact.id, Contact.role, Contact.name, Contact.email, Contact.created_at)
        .where(Contact.party == row.pop("id"))
        .order_by(Contact.id)
    )
    return PartyDetail(**row, contacts=[ContactView(**c) for c in contacts])


async def add_contact(code: str, *, role: str, name: str, email: str, actor: Actor) -> ContactView:
    email = email_address(email)
    if role not in {r.value for r in ContactRole} - {ContactRole.SECRETARIAT.value}:
        raise InvalidInput(f"Okänd roll '{role}'. Använd registrator, clerk eller other.", field="role")
    party = await Party.select(Party.id).where(Party.code == code).first()
    if party is None:
        raise NotFound(f"Det finns ingen part med koden '{code}'.")
    try:
        async with Contact._meta.db.transaction():
            rows = await Contact.insert(
                Contact(party=party["id"], role=role, name=name.strip(), email=email)
            ).returning(Contact.id, Contact.role, Contact.name, Contact.email, Contact.created_at)
            await record(actor, "create", "contact", rows[0]["id"], after={"party": code, **rows[0]})
    except UniqueViolationError:
        raise Conflict(f"{email} finns redan som kontakt för part {code}.", field="email") from None
    return ContactView(**rows[0])


async def remove_contact(code: str, contact_id: int, *, actor: Actor) -> None:
    async with Contact._meta.db.transaction():
        deleted = (
            await Contact.delete()
            .where(
                (Contact.id == contact_id)
                & Contact.party.is_in(Party.select(Party.id).where(Party.code == code))
            )
            .returning(Contact.id, Contact.role, Contact.name, Contact.email)
        )
        if not deleted:
            raise NotFound(f"Part {code} har ingen kontakt med id {contact_id}.")
        await record(actor, "delete", "contact", contact_id, before={"party": code, **deleted[0]})
