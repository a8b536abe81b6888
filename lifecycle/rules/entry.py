"""Entry into force (ikraftträdande), DOMAIN.md rule 3: when the agreement starts to bind whom.

The rule is set per agreement. Seed 003 shows two of them in one document: the agreement itself
"gäller under förutsättning att beslut tas av regionfullmäktige respektive kommunfullmäktige" for
the period from 2023-01-01 (`FIXED_DATE_ONCE_ALL_ADOPTED`), while its changes "gäller efter beslut
vunnit laga kraft hos samtliga parter" (`WHEN_ALL_FINAL`). Opt-in agreements (valbar
överenskommelse) bind each party that joins from its own decision (`PER_PARTY`).
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from core.errors import InvalidInput
from lifecycle.rules.model import AdoptionStatus, PartyAdoption


class EntryRule(enum.StrEnum):
    FIXED_DATE_ONCE_ALL_ADOPTED = "fixed_date_once_all_adopted"
    WHEN_ALL_FINAL = "when_all_final"
    PER_PARTY = "per_party"


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
    rule: EntryRule, fixed_date: date | None, adoptions: Iterable[PartyAdoption]
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
