"""Tables of the parties app."""

from __future__ import annotations

import enum

from piccolo.columns import ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check, Unique
from piccolo.table import Table


class PartyKind(enum.StrEnum):
    KOMMUN = "kommun"
    REGION = "region"


class GroupKind(enum.StrEnum):
    KOMMUNALFORBUND = "kommunalforbund"  # recommends the structure's agreements to its members
    DELREGIONAL = "delregional"  # a delregional vårdsamverkan area (seed 003 counts six)


class ContactRole(enum.StrEnum):
    REGISTRATOR = "registrator"  # the party's registry: receives reminders about its decisions
    CLERK = "clerk"  # nämndsekreterare
    SECRETARIAT = "secretariat"  # the structure's secretariat (Storsthlm, VästKom, ...)
    OTHER = "other"


class Structure(Table, tablename="structure"):
    """A samverkansstruktur: the joint body of one county."""

    slug = Varchar(length=40, unique=True)
    name = Varchar(length=200)
    county_code = Varchar(length=2, unique=True)  # SCB länskod
    county_name = Varchar(length=100)
    secretariat = Varchar(length=200)


class Party(Table, tablename="party"):
    """A part / huvudman: a kommun (4-digit SCB kommunkod) or a region (2-digit SCB länskod)."""

    code = Varchar(length=4, unique=True)
    name = Varchar(length=200)
    kind = Varchar(length=10, choices=PartyKind)
    county_code = Varchar(length=2, index=True)
    structure = ForeignKey(Structure, null=False, on_delete=OnDelete.restrict, index=True)


class PartyGroup(Table, tablename="party_group"):
    """A group of a structure's parties: a kommunalförbund or a delregional area (reference data,
    `parties/data/groups.toml`, with the published member list it was taken from)."""

    slug = Varchar(length=40, unique=True)
    short_name = Varchar(length=60)
    name = Varchar(length=200)
    kind = Varchar(length=20, choices=GroupKind)
    structure = ForeignKey(Structure, null=False, on_delete=OnDelete.restrict, index=True)
    source = Text(default="")


class PartyGroupMember(Table, tablename="party_group_member"):
    party_group = ForeignKey(PartyGroup, null=False, on_delete=OnDelete.cascade, index=True)
    party = ForeignKey(Party, null=False, on_delete=OnDelete.cascade, index=True)

    unique_group_party = Unique(["party_group", "party"])


class Contact(Table, tablename="contact"):
    """An e-mail address that reminders go to: of a party, or of a structure's secretariat."""

    party = ForeignKey(Party, null=True, on_delete=OnDelete.cascade, index=True)
    structure = ForeignKey(Structure, null=True, on_delete=OnDelete.cascade, index=True)
    role = Varchar(length=20, choices=ContactRole)
    name = Varchar(length=200, default="")
    email = Varchar(length=320)
    created_at = Timestamptz(default=TimestamptzNow())

    one_owner = Check("(party IS NULL) <> (structure IS NULL)")
    unique_party_email = Unique(["party", "structure", "email"], nulls_distinct=False)
