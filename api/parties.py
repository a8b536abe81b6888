"""Structures, parties and their contacts."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, delete, get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from api.access import allowed
from api.actor import current_actor
from api.paging import Limit, Offset
from api.problems import problems
from core.limits import text
from parties import services
from parties.tables import Contact
from parties.views import ContactView, GroupDetail, GroupView, PartyDetail, PartyPage, StructureView


class ContactIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: text(Contact.email)
    role: text(Contact.role) = "registrator"
    name: text(Contact.name) = ""


class StructureController(Controller):
    path = "/api/structures"
    tags = ["Parter"]

    @get(
        "/",
        summary="Samverkansstrukturerna",
        description="Varje samverkansstruktur med län, sekretariat och antal parter.",
        opt={"access": "read"},
    )
    async def list_structures(self) -> list[StructureView]:
        return await services.list_structures()

    @get(
        "/{structure:str}",
        summary="En samverkansstruktur",
        description="Strukturen med namn, län, sekretariat och antal parter.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def get_structure(self, structure: FromPath[str]) -> StructureView:
        return await services.get_structure(structure)


class PartyController(Controller):
    path = "/api/parties"
    tags = ["Parter"]

    @get(
        "/",
        summary="Parter (kommuner och regioner)",
        description="Sidvis, filtrerat på struktur, slag (kommun eller region) och länskod.",
        opt={"access": "read"},
        responses=problems(400, 422),
    )
    async def list_parties(
        self,
        structure: Annotated[
            str | None, QueryParameter(description="Struktur, t.ex. vastra-gotaland")
        ] = None,
        kind: Annotated[str | None, QueryParameter(description="kommun eller region")] = None,
        county: Annotated[
            str | None, QueryParameter(pattern=r"^\d{2}$", description="Länskod, t.ex. 14")
        ] = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> PartyPage:
        return await services.list_parties(
            structure=structure, kind=kind, county=county, limit=limit, offset=offset
        )

    @get(
        "/{party_code:str}",
        summary="En part med kontakter",
        description="Kontakternas adresser är personuppgifter: de visas bara för den som får ändra "
        "dem (administratörer, strukturens sekretariat, partens registratorer); andra får en tom lista.",
        opt={"access": "read"},
        responses=problems(401, 404),
    )
    async def get_party(self, request: Request, party_code: FromPath[str]) -> PartyDetail:
        party = await services.get_party(party_code)
        if not await allowed(request, "contact.edit", party_code=party_code):
            party.contacts = []
        return party

    @post(
        "/{party_code:str}/contacts",
        summary="Lägg till en kontaktadress",
        description="En registrator eller annan kontakt hos parten; kontakterna får partens påminnelser. "
        "En adress som redan är kontakt för parten ger 409.",
        opt={"access": "contact.edit"},
        responses=problems(400, 401, 403, 404, 409, 422),
    )
    async def add_contact(
        self, request: Request, party_code: FromPath[str], data: JSONBody[ContactIn]
    ) -> ContactView:
        return await services.add_contact(
            party_code, role=data.role, name=data.name, email=data.email, actor=current_actor(request)
        )

    @delete(
        "/{party_code:str}/contacts/{contact_id:int}",
        summary="Ta bort en kontaktadress",
        description="Kontakten får inga fler påminnelser för parten.",
        opt={"access": "contact.edit"},
        responses=problems(401, 403, 404),
    )
    async def remove_contact(
        self, request: Request, party_code: FromPath[str], contact_id: FromPath[int]
    ) -> None:
        await services.remove_contact(party_code, contact_id, actor=current_actor(request))


class GroupController(Controller):
    path = "/api/groups"
    tags = ["Parter"]

    @get(
        "/",
        summary="Grupper av parter (kommunalförbund)",
        description="Kommunalförbunden som rekommenderar strukturens överenskommelser till sina "
        "medlemmar, med den publicerade medlemsförteckning som medlemmarna är hämtade från (`source`).",
        opt={"access": "read"},
        responses=problems(400, 422),
    )
    async def list_groups(
        self,
        structure: Annotated[
            str | None, QueryParameter(description="Struktur, t.ex. vastra-gotaland")
        ] = None,
    ) -> list[GroupView]:
        return await services.list_groups(structure=structure)

    @get(
        "/{slug:str}",
        summary="En grupp av parter med dess medlemmar",
        description="Kommunalförbundet med namn, struktur, varifrån medlemsförteckningen kommer "
        "(`source`) och medlemmarna: kod, namn och slag för varje part.",
        opt={"access": "read"},
        responses=problems(404),
    )
    async def get_group(self, slug: FromPath[str]) -> GroupDetail:
        return await services.get_group(slug)
