"""Reminder policies: the default lead times, a structure's overrides, an agreement's overrides.

Stored as JSON that maps a deadline kind (or "notice:<months>") to lead labels, e.g.
{"notice": ["6m", "1m", "7d", "0d"], "planned_meeting": []}: an empty list turns the kind off.
The layers merge with `lifecycle.rules.reminders.merge_policies` (default, structure, agreement),
and the sweep reads the merged result as rows (`PolicyRows`) so it can pick leads in SQL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import msgspec

from audit.trail import Actor, record
from core.errors import InvalidInput, NotFound
from lifecycle.rules.reminders import DEFAULT_POLICY, Lead, Policy, merge_policies
from lifecycle.tables import Agreement
from notifications.tables import StructurePolicy
from parties.tables import Structure

_LABEL = re.compile(r"^(?:(\d{1,3})m)?(?:(\d{1,4})d)?$")
DEFAULT = "default"


class PolicyView(msgspec.Struct, kw_only=True):
    structure: str
    overrides: dict[str, list[str]]
    effective: dict[str, list[str]]


def parse_lead(label: str) -> Lead:
    """ "6m" → 6 months, "7d" → 7 days, "1m7d", "0d" (on the day): `Lead.label`'s format."""
    match = _LABEL.match(label.strip()) if isinstance(label, str) else None
    if not match or not label.strip():
        raise InvalidInput(
            f"Ogiltig ledtid {label!r}: skriv t.ex. 6m (månader), 7d (dagar), 1m7d eller 0d.", field="policy"
        )
    return Lead(months=int(match[1] or 0), days=int(match[2] or 0))


def parse_policy(raw: object) -> dict[str, tuple[Lead, ...]]:
    """A stored or submitted policy, checked: unknown kinds and bad labels are refused."""
    if isinstance(raw, str):
        raw = json.loads(raw or "{}")
    if not isinstance(raw, Mapping) or not all(isinstance(v, list) for v in raw.values()):
        raise InvalidInput(
            'En påminnelsepolicy är ett objekt med listor av ledtider, t.ex. {"notice": ["6m", "1m"]}.',
            field="policy",
        )
    return merge_policies({str(k): [parse_lead(v) for v in leads] for k, leads in raw.items()})


def policy_json(policy: Policy) -> dict[str, list[str]]:
    return {key: [lead.label for lead in sorted(set(leads), reverse=True)] for key, leads in policy.items()}


@dataclass(slots=True)
class PolicyRows:
    """Merged policies as rows for the sweep: one row per (policy, key, lead), and one row with
    no lead for a key that is present but empty (it still hides the kind-wide entry). Agreements
    and structures without overrides use the policy named "default"."""

    name: list[str] = field(default_factory=list)
    key: list[str] = field(default_factory=list)
    months: list[int | None] = field(default_factory=list)
    days: list[int | None] = field(default_factory=list)
    label: list[str | None] = field(default_factory=list)
    by_structure: dict[int, str] = field(default_factory=dict)
    by_agreement: dict[int, str] = field(default_factory=dict)

    def add(self, name: str, policy: Policy) -> None:
        for key, leads in policy.items():
            for lead in leads or (None,):
                self.name.append(name)
                self.key.append(key)
                self.months.append(None if lead is None else lead.months)
                self.days.append(None if lead is None else lead.days)
                self.label.append(None if lead is None else lead.label)

    def max_months(self) -> int:
        return max((m for m in self.months if m is not None), default=0)

    def max_days(self) -> int:
        return max((d for d in self.days if d is not None), default=0)


def build_rows(
    structures: Iterable[tuple[int, object]], agreements: Iterable[tuple[int, int, object]]
) -> PolicyRows:
    """`structures`: (structure id, stored policy); `agreements`: (agreement id, structure id,
    stored policy), only those with overrides of their own."""
    rows = PolicyRows()
    rows.add(DEFAULT, DEFAULT_POLICY)
    per_structure: dict[int, dict[str, tuple[Lead, ...]]] = {}
    for structure_id, stored in structures:
        overrides = parse_policy(stored)
        if overrides:
            per_structure[structure_id] = overrides
            rows.by_structure[structure_id] = f"s{structure_id}"
            rows.add(f"s{structure_id}", merge_policies(DEFAULT_POLICY, overrides))
    for agreement_id, structure_id, stored in agreements:
        try:
            overrides = parse_policy(stored)
        except InvalidInput:
            continue  # a broken override must not stop everyone's reminders: the defaults apply
        if overrides:
            rows.by_agreement[agreement_id] = f"a{agreement_id}"
            merged = merge_policies(DEFAULT_POLICY, per_structure.get(structure_id, {}), overrides)
            rows.add(f"a{agreement_id}", merged)
    return rows


async def load_rows() -> PolicyRows:
    """Every stored override, in two queries (agreements with overrides are few)."""
    structures = await StructurePolicy.select(StructurePolicy.structure, StructurePolicy.policy)
    agreements = await Agreement.raw(
        "SELECT id, structure, reminder_policy FROM agreement "
        "WHERE reminder_policy IS NOT NULL AND reminder_policy <> jsonb_build_object() "
        "AND status NOT IN ('ended', 'withdrawn')"
    )
    return build_rows(
        ((r["structure"], r["policy"]) for r in structures),
        ((r["id"], r["structure"], r["reminder_policy"]) for r in agreements),
    )


async def _structure_id(slug: str) -> int:
    row = await Structure.select(Structure.id).where(Structure.slug == slug).first()
    if row is None:
        raise NotFound(f"Samverkansstrukturen '{slug}' finns inte.")
    return row["id"]


async def get_structure_policy(slug: str) -> PolicyView:
    structure_id = await _structure_id(slug)
    row = (
        await StructurePolicy.select(StructurePolicy.policy)
        .where(StructurePolicy.structure == structure_id)
        .first()
    )
    overrides = parse_policy(row["policy"]) if row else {}
    return PolicyView(
        structure=slug,
        overrides=policy_json(overrides),
        effective=policy_json(merge_policies(DEFAULT_POLICY, overrides)),
    )


async def set_structure_policy(slug: str, raw: object, *, actor: Actor) -> PolicyView:
    """Replace a structure's overrides ({} puts it back on the defaults)."""
    overrides = policy_json(parse_policy(raw))
    structure_id = await _structure_id(slug)
    before = await get_structure_policy(slug)
    async with StructurePolicy._meta.db.transaction():
        await StructurePolicy.raw(
            "INSERT INTO reminder_policy (structure, policy, updated_at) VALUES ({}, {}::jsonb, now()) "
            "ON CONFLICT (structure) DO UPDATE SET policy = excluded.policy, "
            "updated_at = excluded.updated_at",
            structure_id,
            json.dumps(overrides),
        )
        await record(
            actor,
            "update",
            "reminder_policy",
            slug,
            before={"policy": before.overrides},
            after={"policy": overrides},
        )
    return await get_structure_policy(slug)


class AgreementPolicyView(msgspec.Struct, kw_only=True):
    agreement_id: int
    structure: str
    overrides: dict[str, list[str]]  # this agreement's own
    effective: dict[str, list[str]]  # defaults, then the structure's, then the agreement's


async def _agreement_policies(agreement_id: int) -> tuple[str, Policy, Policy]:
    """(structure slug, the structure's overrides, the agreement's overrides)."""
    rows = await Agreement.raw(
        "SELECT s.slug, a.reminder_policy, rp.policy AS structure_policy FROM agreement a "
        "JOIN structure s ON s.id = a.structure "
        "LEFT JOIN reminder_policy rp ON rp.structure = a.structure WHERE a.id = {}",
        agreement_id,
    )
    if not rows:
        raise NotFound(f"Det finns ingen överenskommelse med id {agreement_id}.")
    row = rows[0]
    return (
        row["slug"],
        parse_policy(row["structure_policy"] or {}),
        parse_policy(row["reminder_policy"] or {}),
    )


async def get_agreement_policy(agreement_id: int) -> AgreementPolicyView:
    slug, per_structure, overrides = await _agreement_policies(agreement_id)
    return AgreementPolicyView(
        agreement_id=agreement_id,
        structure=slug,
        overrides=policy_json(overrides),
        effective=policy_json(merge_policies(DEFAULT_POLICY, per_structure, overrides)),
    )


async def set_agreement_policy(agreement_id: int, raw: object, *, actor: Actor) -> AgreementPolicyView:
    """Replace an agreement's overrides ({} puts it back on its structure's lead times)."""
    overrides = policy_json(parse_policy(raw))
    before = await get_agreement_policy(agreement_id)
    async with Agreement._meta.db.transaction():
        await Agreement.raw(
            "UPDATE agreement SET reminder_policy = {}::jsonb WHERE id = {}",
            json.dumps(overrides),
            agreement_id,
        )
        await record(
            actor,
            "update",
            "reminder_policy",
            f"agreement:{agreement_id}",
            agreement_id=agreement_id,
            before={"policy": before.overrides},
            after={"policy": overrides},
        )
    return await get_agreement_policy(agreement_id)
