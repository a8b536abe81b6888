"""Validity warnings (DOMAIN.md rule 4): what makes an agreement's standing doubtful.

Seed 004 lists one agreement where "det finns en kommun som inte antagit denna överenskommelse,
vilket utifrån bestämmelserna om ikraftträdande i överenskommelsen ger osäkerheter kring dess
giltighet", and notes that "i vissa fall är hänvisningarna [till lag] föråldrade".
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from core.errors import InvalidInput
from lifecycle.rules.entry import EntryRule
from lifecycle.rules.laws import replaced_laws
from lifecycle.rules.model import AdoptionStatus, AgreementKind, AgreementStatus, PartyAdoption
from lifecycle.rules.months import add_months
from lifecycle.rules.swedish import capitalised, party_label, sv_date
from lifecycle.rules.term import Notice, TermRule, term_as_of

# Seed 004: "den politiska beslutsprocessen [tar] ytterligare 6–9 månader" across the 27
# assemblies; a party undecided beyond the upper bound is worth a warning.
UNDECIDED_AFTER_MONTHS = 9

# A follow-up not done by its date is a warning for a year: after that the next annual follow-up
# (seeds 000 § 11, 002 § 12) is the one to do, and an implementation follow-up a year late is
# history rather than news (not from a seed: the follow-ups' own yearly rhythm).
FOLLOW_UP_OVERDUE_MONTHS = 12

# Decided without the parties (DOMAIN.md glossary, seed 004): no party warnings.
PARTYLESS_KINDS = frozenset({AgreementKind.GUIDELINE, AgreementKind.TRANSITIONAL})
# Their validity follows the parent's (seed 003: "Överenskommelsernas giltighet är direkt
# kopplat till huvudavtalets giltighet"; DOMAIN.md glossary).
ATTACHED_KINDS = frozenset({AgreementKind.SUPPLEMENT, AgreementKind.ANNEX})

_STATUS_SV = {
    AdoptionStatus.PENDING: "inget beslut",
    AdoptionStatus.REJECTED: "avslag",
    AdoptionStatus.REFERRED_BACK: "återremitterad",
    AdoptionStatus.POSTPONED: "bordlagd",
}


class WarningKind(enum.StrEnum):
    IN_FORCE_NOT_ADOPTED = "in_force_not_adopted"
    UNDECIDED_LONG = "undecided_long"
    PAST_END = "past_end"
    CITES_REPLACED_LAW = "cites_replaced_law"
    FOLLOW_UP_OVERDUE = "follow_up_overdue"


@dataclass(frozen=True, slots=True)
class ValidityWarning:
    """One warning; `key` ("kind:subject") stays the same as long as the cause does."""

    key: str
    kind: WarningKind
    message_sv: str
    party_code: str | None = None


@dataclass(frozen=True, slots=True)
class AgreementFacts:
    """What the validity rules need to know of one agreement.

    `in_force_from`: the date the agreement is declared to apply from (register or text).
    `entry_rule`: PER_PARTY marks an opt-in agreement. `law_refs`: citations as written.
    `parent`: the main agreement of a supplement or annex, whose term it follows.
    `party_names`: code → name, so a warning names "Essunga (1445)", not the code alone.
    `follow_ups`: the follow-ups due so far and not recorded as done, as (deadline key, due date):
    "follow_up_implementation" or "follow_up_annual:<year>" (lifecycle.rules.deadlines).
    """

    kind: AgreementKind
    status: AgreementStatus
    recommended_on: date | None = None
    in_force_from: date | None = None
    term: TermRule | None = None
    notices: tuple[Notice, ...] = ()
    law_refs: tuple[str, ...] = ()
    entry_rule: EntryRule | None = None
    parent: AgreementFacts | None = None
    party_names: Mapping[str, str] = field(default_factory=dict)
    follow_ups: tuple[tuple[str, date], ...] = ()


def effective_term(facts: AgreementFacts) -> TermRule | None:
    """The term that governs the agreement: a supplement's or annex's is its parent's (seed 003)."""
    if facts.kind in ATTACHED_KINDS:
        if facts.parent is None:
            raise InvalidInput(
                "En tilläggsöverenskommelse eller bilaga måste höra till en huvudöverenskommelse.",
                field="parent",
            )
        return effective_term(facts.parent)
    if facts.parent is not None:
        raise InvalidInput(
            "Bara tilläggsöverenskommelser och bilagor kan höra till en annan överenskommelse.",
            field="parent",
        )
    return facts.term


def validity_warnings(
    facts: AgreementFacts,
    adoptions: Iterable[PartyAdoption],
    as_of: date,
    undecided_after_months: int = UNDECIDED_AFTER_MONTHS,
) -> list[ValidityWarning]:
    """Every warning on `as_of` (DOMAIN.md rule 4), in a stable order. None for ended or withdrawn."""
    if undecided_after_months < 1:
        raise InvalidInput("Antalet månader måste vara minst 1.", field="undecided_after_months")
    term = effective_term(facts)
    if facts.status in (AgreementStatus.ENDED, AgreementStatus.WITHDRAWN):
        return []
    adoptions = sorted(adoptions, key=lambda a: a.party_code)
    warnings: list[ValidityWarning] = []
    if facts.kind not in PARTYLESS_KINDS:
        warnings += _not_adopted(facts, term, adoptions, as_of)
        warnings += _undecided(facts, adoptions, as_of, undecided_after_months)
    if term is not None and facts.status is AgreementStatus.ACTIVE:
        parties = [a.party_code for a in adoptions] if len(adoptions) >= 2 else None
        view = term_as_of(term, facts.notices, as_of, parties=parties)
        if view.ended:
            warnings.append(
                ValidityWarning(
                    f"{WarningKind.PAST_END}:{view.ends_on}",
                    WarningKind.PAST_END,
                    f"Överenskommelsen är markerad som gällande men upphörde {sv_date(view.ends_on)}.",
                )
            )
    if facts.status is AgreementStatus.ACTIVE:
        warnings += _follow_ups_overdue(facts.follow_ups, as_of)
    for law in replaced_laws(list(facts.law_refs), as_of):
        warnings.append(
            ValidityWarning(
                f"{WarningKind.CITES_REPLACED_LAW}:{law.sfs}",
                WarningKind.CITES_REPLACED_LAW,
                f"Överenskommelsen hänvisar till {law.title} ({law.sfs}), som ersattes av "
                f"{law.replaced_by_title} ({law.replaced_by}) den {sv_date(law.replaced_on)}.",
            )
        )
    return warnings


def _not_adopted(
    facts: AgreementFacts, term: TermRule | None, adoptions: list[PartyAdoption], as_of: date
) -> list[ValidityWarning]:
    """Said to be in force (marked active, or its declared date or term start has come) while a
    party has not adopted it (seed 004). Opt-in agreements bind only those that adopted."""
    if facts.entry_rule in (EntryRule.PER_PARTY, EntryRule.AFTER_N_ADOPTIONS):
        return []
    declared = facts.in_force_from or (term.start if term is not None else None)
    said_in_force = (declared is not None and declared <= as_of) or (
        declared is None and facts.status is AgreementStatus.ACTIVE
    )
    if not said_in_force:
        return []
    claim = (
        f"Överenskommelsen anges gälla från {sv_date(declared)}"
        if declared
        else "Överenskommelsen anges gälla"
    )
    return [
        ValidityWarning(
            f"{WarningKind.IN_FORCE_NOT_ADOPTED}:{a.party_code}",
            WarningKind.IN_FORCE_NOT_ADOPTED,
            f"{claim}, men {party_label(a.party_code, facts.party_names)} har inte antagit den "
            f"({_STATUS_SV[a.status]}). "
            "Det gör dess giltighet osäker.",
            a.party_code,
        )
        for a in adoptions
        if not a.status.is_adopted
    ]


def _follow_ups_overdue(follow_ups: Iterable[tuple[str, date]], as_of: date) -> list[ValidityWarning]:
    """A follow-up not done by its date (seed 004, measure 6: the follow-up a year after entry into
    force; seeds 000 § 11, 002 § 12: the annual ones), from the day after it until
    FOLLOW_UP_OVERDUE_MONTHS after it; done means its round was closed (`follow_ups` leaves it out)."""
    found = []
    for key, due in sorted(follow_ups, key=lambda f: (f[1], f[0])):
        if not due < as_of <= add_months(due, FOLLOW_UP_OVERDUE_MONTHS):
            continue
        what = (
            f"Den årliga uppföljningen {key.split(':')[1]}"
            if key.startswith("follow_up_annual:")
            else "Uppföljningen ett år efter ikraftträdandet"
        )
        found.append(
            ValidityWarning(
                f"{WarningKind.FOLLOW_UP_OVERDUE}:{key}",
                WarningKind.FOLLOW_UP_OVERDUE,
                f"{what} skulle vara gjord senast {sv_date(due)} men är inte registrerad som gjord "
                "(det blir den när uppföljningens runda stängs).",
            )
        )
    return found


def _undecided(
    facts: AgreementFacts, adoptions: list[PartyAdoption], as_of: date, months: int
) -> list[ValidityWarning]:
    """A party still without a final decision more than `months` after the recommendation."""
    if facts.recommended_on is None or as_of <= add_months(facts.recommended_on, months):
        return []
    return [
        ValidityWarning(
            f"{WarningKind.UNDECIDED_LONG}:{a.party_code}",
            WarningKind.UNDECIDED_LONG,
            f"{capitalised(party_label(a.party_code, facts.party_names))} har inte fattat beslut "
            f"({_STATUS_SV[a.status]}) trots att överenskommelsen rekommenderades "
            f"{sv_date(facts.recommended_on)}, för mer än {months} månader sedan.",
            a.party_code,
        )
        for a in adoptions
        if not a.status.is_adopted and a.status is not AdoptionStatus.REJECTED
    ]
