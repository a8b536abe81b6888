"""Entry into force (ikraftträdande), DOMAIN.md rule 3: when the agreement starts to bind whom.

The rule is set per agreement. Seed 003 shows two of them in one document: the agreement itself
"gäller under förutsättning att beslut tas av regionfullmäktige respektive kommunfullmäktige" for
the period from 2023-01-01 (`FIXED_DATE_ONCE_ALL_ADOPTED`), while its changes "gäller efter beslut
vunnit laga kraft hos samtliga parter" (`WHEN_ALL_FINAL`). Opt-in agreements (valbar
överenskommelse) bind each party that joins from its own decision (`PER_PARTY`). As treaties
do, an agreement may also enter into force a number of days after the Nth party's decision is
final, and for each later party that many days after its own (`AFTER_N_ADOPTIONS`); only the
parties that adopted are bound.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from core.errors import InvalidInput
from lifecycle.rules.model import AdoptionStatus, PartyAdoption


class EntryRule(enum.StrEnum):
    FIXED_DATE_ONCE_ALL_ADOPTED = "fixed_date_once_all_adopted"
    WHEN_ALL_FINAL = "when_all_final"
    PER_PARTY = "per_party"
    AFTER_N_ADOPTIONS = "after_n_adoptions"


@dataclass(frozen=True, slots=True)
class EntryView:
    """When the agreement is in force, as a whole and per party (None: not, or not yet known).

    `blocked_by`: parties that rejected an agreement every party must adopt; it cannot enter into
    force for all while they stand by it. `waiting_for`: parties whose adoption, or its legal
    finality, is still needed. Both sorted by party code.
    """

    agreement_from: date | None
    per_party: dict[str, date | None]
    blocked_by: tuple[str, ...] = ()
    waiting_for: tuple[str, ...] = ()

    def in_force_on(self, day: date) -> bool:
        return self.agreement_from is not None and self.agreement_from <= day

    def party_in_force_on(self, party_code: str, day: date) -> bool:
        since = self.per_party.get(party_code)
        return since is not None and since <= day


def entry_into_force(
    rule: EntryRule,
    fixed_date: date | None,
    adoptions: Iterable[PartyAdoption],
    *,
    count: int | None = None,
    offset_days: int = 0,
) -> EntryView:
    """The agreement's entry into force under `rule` (DOMAIN.md rule 3).

    - FIXED_DATE_ONCE_ALL_ADOPTED: from `fixed_date` once every party has adopted (seed 003). A
      decision may be acted on before it is legally final (kommunallagen 13 kap. 14 §), so
      decisions made by the fixed date suffice. If the last adoptions come after it, the agreement
      cannot apply retroactively to those parties: it enters into force the day the last of those
      late decisions is legally final.
    - WHEN_ALL_FINAL: the day the last party's decision is legally final (seed 003, "efter beslut
      vunnit laga kraft hos samtliga parter"); not before `fixed_date` if one is given.
    - PER_PARTY: each adopting party from its own decision's final date, not before `fixed_date`
      if given; parties that did not adopt are not bound. The agreement is in force from the
      first party's date.
    """
    adoptions = _checked(adoptions)
    if rule is EntryRule.AFTER_N_ADOPTIONS:
        return _after_n(adoptions, fixed_date, count, offset_days)
    if rule is EntryRule.FIXED_DATE_ONCE_ALL_ADOPTED and fixed_date is None:
        raise InvalidInput("Ange det datum överenskommelsen ska gälla från.", field="fixed_date")
    if rule is EntryRule.PER_PARTY:
        per_party = {
            a.party_code: _not_before(a.final_on, fixed_date) if a.status.is_adopted else None
            for a in adoptions
        }
        waiting = [a for a in adoptions if _undecided(a) or (a.status.is_adopted and a.final_on is None)]
        return EntryView(min(filter(None, per_party.values()), default=None), per_party, (), _codes(waiting))
    blocked = _codes(a for a in adoptions if a.status is AdoptionStatus.REJECTED)
    if rule is EntryRule.WHEN_ALL_FINAL:
        counted, base = adoptions, None
    else:
        assert fixed_date is not None
        counted = [a for a in adoptions if not a.status.is_adopted or _decided_after(a, fixed_date)]
        base = fixed_date
    waiting = _codes(a for a in counted if _undecided(a) or (a.status.is_adopted and a.final_on is None))
    since = None
    if not blocked and not waiting:
        since = max((a.final_on for a in counted if a.final_on is not None), default=base)
        since = _not_before(since, fixed_date)
    return EntryView(since, dict.fromkeys((a.party_code for a in adoptions), since), blocked, waiting)


def check_after_n(count: int | None, offset_days: int | None, party_count: int) -> None:
    """The number of adoptions must be one of the parties' (at least one), the offset 0–3650 days."""
    if count is None or not 1 <= count <= party_count:
        raise InvalidInput(
            f"Ange hur många parter som ska ha antagit överenskommelsen (1–{party_count}).",
            field="entry_count",
        )
    if offset_days is None or not 0 <= offset_days <= MAX_OFFSET_DAYS:
        raise InvalidInput(
            f"Ange hur många dagar efter beslutet den börjar gälla (0–{MAX_OFFSET_DAYS}).",
            field="entry_offset_days",
        )


def check_entry_settings(
    rule: EntryRule, count: int | None, offset_days: int | None, party_count: int
) -> None:
    """The number of adoptions and the offset belong to AFTER_N_ADOPTIONS, and it needs them."""
    if rule is EntryRule.AFTER_N_ADOPTIONS:
        check_after_n(count, offset_days, party_count)
    elif count is not None or offset_days is not None:
        raise InvalidInput(
            "Antal parter och dagar efter beslutet anges bara med regeln after_n_adoptions.",
            field="entry_count" if count is not None else "entry_offset_days",
        )


# Not from a seed: ten years is far beyond any offset in practice; more is a typing error.
MAX_OFFSET_DAYS = 3650


def _after_n(
    adoptions: list[PartyAdoption], fixed_date: date | None, count: int | None, offset_days: int
) -> EntryView:
    """In force `offset_days` after the `count`th adoption is final (not before `fixed_date`), for
    each party that adopted; a later party `offset_days` after its own final date."""
    check_after_n(count, offset_days, len(adoptions))
    assert count is not None
    offset = timedelta(days=offset_days)
    finals = sorted(a.final_on for a in adoptions if a.status.is_adopted and a.final_on is not None)
    since = _not_before(finals[count - 1] + offset, fixed_date) if len(finals) >= count else None
    per_party = {
        a.party_code: max(since, a.final_on + offset)
        if since is not None and a.status.is_adopted and a.final_on is not None
        else None
        for a in adoptions
    }
    waiting = (
        ()
        if since is not None
        else _codes(a for a in adoptions if _undecided(a) or (a.status.is_adopted and a.final_on is None))
    )
    return EntryView(since, per_party, (), waiting)


def _checked(adoptions: Iterable[PartyAdoption]) -> list[PartyAdoption]:
    adoptions = sorted(adoptions, key=lambda a: a.party_code)
    if not adoptions:
        raise InvalidInput(
            "Överenskommelsen har inga parter att räkna ikraftträdandet från.", field="adoptions"
        )
    for previous, adoption in itertools.pairwise(adoptions):
        if previous.party_code == adoption.party_code:
            raise InvalidInput(f"Part {adoption.party_code} förekommer mer än en gång.", field="adoptions")
    for adoption in adoptions:
        if adoption.status.is_adopted and adoption.decided_on is None:
            raise InvalidInput(
                f"Part {adoption.party_code} har antagit överenskommelsen men beslutsdatum saknas.",
                field="decided_on",
            )
    return adoptions


def _decided_after(adoption: PartyAdoption, day: date) -> bool:
    return adoption.decided_on is not None and adoption.decided_on > day


def _undecided(adoption: PartyAdoption) -> bool:
    return not adoption.status.is_adopted and adoption.status is not AdoptionStatus.REJECTED


def _not_before(day: date | None, earliest: date | None) -> date | None:
    if day is None or earliest is None:
        return day
    return max(day, earliest)


def _codes(adoptions: Iterable[PartyAdoption]) -> tuple[str, ...]:
    return tuple(sorted(a.party_code for a in adoptions))
