"""The shared vocabulary of the rules (DOMAIN.md glossary), as enums and plain dataclasses."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date


class AgreementKind(enum.StrEnum):
    """What kind of document; decides whether the parties decide at all."""

    AGREEMENT = "overenskommelse"  # adopted by each party
    GUIDELINE = "riktlinje"  # decided by the officials' steering group alone
    TRANSITIONAL = "overgangsbestammelser"  # decided by the political steering group
    SUPPLEMENT = "tillaggsoverenskommelse"  # tied to a parent; validity follows the parent
    ANNEX = "bilaga"  # tied to a parent; validity follows the parent


class Outcome(enum.StrEnum):
    """What a party's body did with the agreement at one meeting."""

    PLANNED = "planned"  # the meeting where the party expects to decide
    ADOPTED = "adopted"
    ADOPTED_WITH_RESERVATION = "adopted_with_reservation"
    REJECTED = "rejected"
    REFERRED_BACK = "referred_back"  # återremiss
    POSTPONED = "postponed"  # bordlagt

    @property
    def is_final(self) -> bool:
        """A final outcome settles the party's position; the others wait for a later meeting."""
        return self in (Outcome.ADOPTED, Outcome.ADOPTED_WITH_RESERVATION, Outcome.REJECTED)

    @property
    def is_adoption(self) -> bool:
        return self in (Outcome.ADOPTED, Outcome.ADOPTED_WITH_RESERVATION)


class AdoptionStatus(enum.StrEnum):
    """A party's standing on one agreement, derived from its decisions."""

    PENDING = "pending"
    ADOPTED = "adopted"
    ADOPTED_WITH_RESERVATION = "adopted_with_reservation"
    REJECTED = "rejected"
    REFERRED_BACK = "referred_back"
    POSTPONED = "postponed"

    @property
    def is_adopted(self) -> bool:
        return self in (AdoptionStatus.ADOPTED, AdoptionStatus.ADOPTED_WITH_RESERVATION)


class AppealState(enum.StrEnum):
    """A recorded appeal (laglighetsprövning) against one decision, and its outcome."""

    NONE = "none"
    LODGED = "lodged"  # pending in court: the decision is not legally final
    DISMISSED = "dismissed"  # the court let the decision stand: final when the ruling is
    UPHELD = "upheld"  # the court annulled the decision: it no longer counts
    WITHDRAWN = "withdrawn"  # the appellant withdrew: final as of the withdrawal


@dataclass(frozen=True, slots=True)
class PartyAdoption:
    """One party's derived standing, as the term, entry and validity rules consume it.

    `decided_on` is the meeting date of the decision that counts; `final_on` is the date that
    decision became (or, presumably, will become) legally final; None when not yet known.
    """

    party_code: str
    status: AdoptionStatus
    decided_on: date | None = None
    final_on: date | None = None


class AgreementStatus(enum.StrEnum):
    """Where an agreement stands in the register (what the secretariat has marked it as)."""

    DRAFT = "draft"  # being prepared, consulted on or decided; not marked as in force
    ACTIVE = "active"  # marked as in force
    ENDED = "ended"  # terminated, expired or replaced without a new version
    WITHDRAWN = "withdrawn"  # abandoned before it entered into force


# A stored record's id as the rules carry it (Piccolo serial ids, or strings from other sources).
RecordId = int | str
