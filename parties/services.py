"""Reading and changing structures, parties and contacts."""

from __future__ import annotations

from dataclasses import dataclass

from asyncpg.exceptions import UniqueViolationError
from piccolo.query import OrderByRaw

from audit.trail import Actor, record
from core.addresses import email_address
from core.errors import Conflict, InvalidInput, NotFound
from parties import reference
from parties.tables import Contact, ContactRole, Party, PartyGroup, PartyGroupMember, PartyKind, Structure
from parties.views import (
    ContactView,
    GroupDetail,
    GroupMembers,
    GroupView,
    PartyDetail,
    PartyPage,
    PartyView,
    StructureView,
)

# A practical address check: something@domain.tld, no spaces. Delivery proves the rest.


@dataclass(frozen=True, slots=True)
class SeedResult:
    structures: int
    parties: int
    groups: int


async def seed_reference() -> SeedResult:
    """Load the shipped structures and parties; idempotent (upserts by slug and code)."""
    structure_refs = reference.structures()
    party_refs = reference.parties()
    group_refs = reference.groups()
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
        await _seed_groups(group_refs)
    return SeedResult(structures=len(structure_refs), parties=len(party_refs), groups=len(group_refs))


async def _seed_groups(group_refs: list[reference.GroupRef]) -> None:
    """Upsert the groups by slug and set each one's members to the shipped list (a kommun that
    left its förbund leaves the group)."""
    structure_ids = {r["slug"]: r["id"] for r in await Structure.select(Structure.slug, Structure.id)}
    party_ids = {r["code"]: r["id"] for r in await Party.select(Party.code, Party.id)}
    for g in group_refs:
        rows = (
            await PartyGroup.insert(
                PartyGroup(
                    slug=g.slug,
                    short_name=g.short_name,
                    name=g.name,
                    kind=g.kind.value,
                    structure=structure_ids[g.structure],
                    source=g.source,
                )
            )
            .on_conflict(
                target=PartyGroup.slug,
                action="DO UPDATE",
                values=[
                    PartyGroup.short_name,
                    PartyGroup.name,
                    PartyGroup.kind,
                    PartyGroup.structure,
                    PartyGroup.source,
                ],
            )
            .returning(PartyGroup.id)
        )
        group_id = rows[0]["id"]
        members = [party_ids[code] for code in g.members]
        await PartyGroupMember.delete().where(
            (PartyGroupMember.party_group == group_id) & PartyGroupMember.party.not_in(members)
        )
        await PartyGroupMember.insert(
            *(PartyGroupMember(party_group=group_id, party=party_id) for party_id in members)
        ).on_conflict(action="DO NOTHING")


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


_GROUPS = (
    "SELECT g.id, g.slug, g.short_name, g.name, g.kind, s.slug AS structure, g.source, "
    "(SELECT count(*) FROM party_group_member m WHERE m.party_group = g.id) AS member_count "
    "FROM party_group g JOIN structure s ON s.id = g.structure"
)


async def list_groups(*, structure: str | None = None) -> list[GroupView]:
    """The groups of parties (kommunalförbund), of one structure or of all."""
    if structure is not None and structure not in await structure_slugs():
        raise InvalidInput(
            f"Okänd samverkansstruktur '{structure}'. Kända: {', '.join(await structure_slugs())}.",
            field="structure",
        )
    where = "" if structure is None else " WHERE s.slug = {}"
    rows = await PartyGroup.raw(
        _GROUPS + where + " ORDER BY s.county_code, g.slug", *([structure] if structure else [])
    )
    return [GroupView(**{k: v for k, v in r.items() if k != "id"}) for r in rows]


_STRUCTURE_GROUPS = """
SELECT g.slug, g.short_name, g.name,
       ARRAY(SELECT p.code FROM party_group_member m JOIN party p ON p.id = m.party
             WHERE m.party_group = g.id ORDER BY p.code) AS members
FROM party_group g JOIN structure s ON s.id = g.structure
WHERE s.slug = {} ORDER BY g.name
"""


async def structure_groups(structure: str) -> list[GroupMembers]:
    """A structure's groups of parties with their members' codes, in one query."""
    return [GroupMembers(**r) for r in await PartyGroup.raw(_STRUCTURE_GROUPS, structure)]


async def get_group(slug: str) -> GroupDetail:
    """One group with its member parties, by code."""
    rows = await PartyGroup.raw(_GROUPS + " WHERE g.slug = {}", slug)
    if not rows:
        known = ", ".join(g.slug for g in await list_groups())
        raise NotFound(f"Det finns ingen grupp av parter med namnet '{slug}'. Kända: {known}.")
    row = rows[0]
    members = await Party.raw(
        "SELECT p.code, p.name, p.kind, p.county_code, s.slug AS structure FROM party_group_member m "
        "JOIN party p ON p.id = m.party JOIN structure s ON s.id = p.structure "
        "WHERE m.party_group = {} ORDER BY p.name",
        row.pop("id"),
    )
    return GroupDetail(**row, members=[PartyView(**m) for m in members])
