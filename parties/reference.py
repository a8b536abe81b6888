"""The reference data shipped in `parties/data/`: structures, regions and kommuner (pure reading)."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from importlib import resources

from parties.tables import GroupKind, PartyKind


@dataclass(frozen=True, slots=True)
class StructureRef:
    slug: str
    name: str
    county_code: str
    county_name: str
    secretariat: str
    secretariat_email: str
    region_name: str


@dataclass(frozen=True, slots=True)
class PartyRef:
    code: str
    name: str
    kind: PartyKind
    county_code: str


@dataclass(frozen=True, slots=True)
class GroupRef:
    slug: str
    short_name: str
    name: str
    kind: GroupKind
    structure: str  # the structure's slug
    source: str  # the published member list the members are taken from
    members: tuple[str, ...]  # party codes


def structures() -> list[StructureRef]:
    raw = tomllib.loads(resources.files("parties.data").joinpath("structures.toml").read_text("utf-8"))
    return [StructureRef(**item) for item in raw["structure"]]


def parties() -> list[PartyRef]:
    """Every kommun of the four counties (from SCB's list) and each county's region."""
    text = resources.files("parties.data").joinpath("kommuner.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    kommuner = [PartyRef(r["code"], r["name"], PartyKind.KOMMUN, r["county_code"]) for r in rows]
    regions = [PartyRef(s.county_code, s.region_name, PartyKind.REGION, s.county_code) for s in structures()]
    return regions + kommuner


def groups() -> list[GroupRef]:
    """The kommunalförbund (and delregional areas) of the structures, with their members."""
    raw = tomllib.loads(resources.files("parties.data").joinpath("groups.toml").read_text("utf-8"))
    return [
        GroupRef(**{**item, "kind": GroupKind(item["kind"]), "members": tuple(item["members"])})
        for item in raw["group"]
    ]
