"""What the parties services return: plain structs the API serialises as they are."""

from __future__ import annotations

from datetime import datetime

import msgspec


class StructureView(msgspec.Struct, kw_only=True):
    slug: str
    name: str
    county_code: str
    county_name: str
    secretariat: str
    party_count: int


class ContactView(msgspec.Struct, kw_only=True):
    id: int
    role: str
    name: str
    email: str
    created_at: datetime


class PartyView(msgspec.Struct, kw_only=True):
    code: str
    name: str
    kind: str
    county_code: str
    structure: str


class PartyDetail(PartyView, kw_only=True):
    contacts: list[ContactView]


class PartyPage(msgspec.Struct, kw_only=True):
    items: list[PartyView]
    total: int
    limit: int
    offset: int


class GroupView(msgspec.Struct, kw_only=True):
    """A group of a structure's parties (a kommunalförbund), with the member list it comes from."""

    slug: str
    short_name: str
    name: str
    kind: str
    structure: str
    source: str
    member_count: int


class GroupMembers(msgspec.Struct, kw_only=True):
    """A group of parties and its members' codes (a form offering the group to ask)."""

    slug: str
    short_name: str
    name: str
    members: list[str]


class GroupDetail(GroupView, kw_only=True):
    members: list[PartyView]
