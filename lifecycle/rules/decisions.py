"""A party's decisions on an agreement, and the checks a recorded decision must pass.

Each party adopts an agreement in its own body (kommunfullmäktige, regionfullmäktige, or a nämnd
by delegation), often over several meetings: a referral back (återremiss), then an adoption. The
dates belong to each decision (one paragraph of the minutes), not to the whole minutes: a
paragraph approved at the meeting itself (omedelbar justering) gets its own anslag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from core.errors import Conflict, InvalidInput, NotAllowed
from lifecycle.rules.appeal import (
    NO_APPEAL,
    Appeal,
    LegalStanding,
    LegalState,
    last_appeal_day,
    legal_state,
    presumed_final_date,
    validate_appeal,
)
from lifecycle.rules.model import AdoptionStatus, AppealState, Outcome, PartyAdoption, RecordId
from lifecycle.rules.swedish import sv_date


@dataclass(frozen=True, slots=True)
class Decision:
    """One body's decision on an agreement (one § of its minutes), or a planned meeting.

    `sequence` is the order the decisions were recorded in (the row id will do): it breaks
    ties between decisions with the same meeting date.
    """

    party_code: str
    body: str  # "Kommunfullmäktige", "Regionfullmäktige", "Välfärdsnämnden"
    meeting_date: date
    outcome: Outcome
    paragraph: str | None = None  # "§ 356"; numbers often run through the year per body
    case_number: str | None = None  # diarienummer: "KS 2022/123", "2021-00198", "2022VFN175 779"
    justering_date: date | None = None
    anslag_date: date | None = None
    appeal: Appeal = NO_APPEAL
    sequence: int = 0

    def legal_standing(self, today: date) -> LegalStanding:
        """Where this decision stands in law as of `today` (see `appeal.legal_state`).

        A referral back or a postponement cannot be appealed (kommunallagen 13 kap. 2 §: "beslut
        som är av rent förberedande eller rent verkställande art"): it never becomes final.
        """
        if not self.outcome.is_final:
            return LegalStanding(LegalState.NOT_APPEALABLE, None)
        return legal_state(self.anslag_date, self.appeal, today)

    @property
    def last_appeal_day(self) -> date | None:
        """The last day an appeal can reach the court; None for a decision that cannot be appealed
        (planned, referred back, postponed) or before its anslag is known."""
        if not self.outcome.is_final or self.anslag_date is None:
            return None
        return last_appeal_day(self.anslag_date)

    @property
    def presumed_final_on(self) -> date | None:
        """The day it is legally final unless appealed; None where it cannot become final."""
        if not self.outcome.is_final or self.anslag_date is None:
            return None
        return presumed_final_date(self.anslag_date)


# A paragraph number in minutes: "§ 12", "§12", "12" or "12 §". Numbers run through the year
# for a body (DOMAIN rule 2); the busiest bodies reach a few hundred, so four digits is ample.
_PARAGRAPH = re.compile(r"(?:§\s*)?0*([1-9]\d{0,3})|0*([1-9]\d{0,3})\s*§")


def normalise_paragraph(text: str) -> str:
    """The paragraph as minutes print it, "§ 12"; refuses anything that is not one paragraph."""
    match = _PARAGRAPH.fullmatch(text.strip())
    if match is None:
        raise InvalidInput(
            f"Paragrafen ”{text.strip()}” känns inte igen. "
            "Skriv den som i protokollet, till exempel ”§ 356”.",
            field="paragraph",
        )
    return f"§ {match.group(1) or match.group(2)}"


def validate_decision(decision: Decision, *, recommended_on: date | None, today: date) -> Decision:
    """Refuse a decision that cannot be true, and return it tidied (paragraph as "§ 12").

    A party decides on the recommendation of the joint body (seed 004: "rekommenderar sedan
    huvudmännen att anta"), so a decision needs one and cannot predate it. A decision cannot
    lie in the future: that is a planned meeting, which has no minutes yet. The minutes are
    approved (justering) at or after the meeting, and the anslag announces that approval
    (kommunallagen (2017:725) 13 kap. 5 §: "tillkännagavs ... att protokollet justerats"), so
    it cannot come before it.
    """
    party_code = decision.party_code.strip()
    if not party_code:
        raise InvalidInput("Ange vilken part beslutet gäller.", field="party_code")
    body = " ".join(decision.body.split())
    if not body:
        raise InvalidInput(
            "Ange vilket organ som fattade beslutet, till exempel Kommunfullmäktige.", field="body"
        )
    tidy = replace(
        decision,
        party_code=party_code,
        body=body,
        paragraph=normalise_paragraph(decision.paragraph) if (decision.paragraph or "").strip() else None,
        case_number=" ".join((decision.case_number or "").split()) or None,
    )
    if tidy.outcome is Outcome.PLANNED:
        _validate_planned(tidy)
    else:
        _validate_taken(tidy, recommended_on, today)
    return tidy


def _validate_planned(decision: Decision) -> None:
    """A planned meeting may be on any day, but it has no minutes yet."""
    for field, value, what in (
        ("paragraph", decision.paragraph, "ingen paragraf"),
        ("justering_date", decision.justering_date, "inget justeringsdatum"),
        ("anslag_date", decision.anslag_date, "inget anslagsdatum"),
    ):
        if value is not None:
            raise InvalidInput(
                f"Ett planerat sammanträde har {what} ännu. Registrera beslutet när det är fattat.",
                field=field,
            )
    if decision.appeal.state is not AppealState.NONE:
        raise InvalidInput("Ett planerat sammanträde kan inte överklagas.", field="appeal.state")


def _validate_taken(decision: Decision, recommended_on: date | None, today: date) -> None:
    if recommended_on is None:
        raise NotAllowed(
            "Överenskommelsen är inte rekommenderad ännu. Parternas beslut kan registreras när den har "
            "rekommenderats; registrera under tiden ett planerat sammanträde."
        )
    meeting, justering, anslag = decision.meeting_date, decision.justering_date, decision.anslag_date
    if meeting > today:
        raise InvalidInput(
            f"Sammanträdesdatum kan inte vara senare än i dag ({meeting} > {today}). "
            "Registrera ett planerat sammanträde i stället.",
            field="meeting_date",
        )
    if anslag is not None and justering is None:
        raise InvalidInput(
            "Ange justeringsdatum: anslaget tillkännager att protokollet är justerat.", field="justering_date"
        )
    for field, earlier, later, message in (
        ("meeting_date", recommended_on, meeting, "Beslutet kan inte vara fattat före rekommendationen"),
        ("justering_date", meeting, justering, "Justeringsdatum kan inte vara före sammanträdesdatum"),
        ("anslag_date", justering, anslag, "Anslagsdatum kan inte vara före justeringsdatum"),
    ):
        if earlier is not None and later is not None and later < earlier:
            raise InvalidInput(f"{message} ({later} < {earlier}).", field=field)
    for field, day, what in (
        ("justering_date", justering, "Justeringsdatum"),
        ("anslag_date", anslag, "Anslagsdatum"),
    ):
        if day is not None and day > today:
            raise InvalidInput(f"{what} kan inte vara senare än i dag ({day} > {today}).", field=field)
    if decision.appeal.state is not AppealState.NONE and not decision.outcome.is_final:
        raise InvalidInput(
            "En återremiss eller bordläggning kan inte överklagas: den är av rent förberedande art "
            "(kommunallagen 13 kap. 2 §).",
            field="appeal.state",
        )
    validate_appeal(decision.appeal, anslag_date=anslag, today=today)


_STATUS_OF = {
    Outcome.ADOPTED: AdoptionStatus.ADOPTED,
    Outcome.ADOPTED_WITH_RESERVATION: AdoptionStatus.ADOPTED_WITH_RESERVATION,
    Outcome.REJECTED: AdoptionStatus.REJECTED,
    Outcome.REFERRED_BACK: AdoptionStatus.REFERRED_BACK,
    Outcome.POSTPONED: AdoptionStatus.POSTPONED,
}


def _order(decision: Decision) -> tuple[date, int]:
    return decision.meeting_date, decision.sequence


def party_adoption(party_code: str, decisions: Iterable[Decision], today: date) -> PartyAdoption:
    """One party's standing on an agreement as of `today` (DOMAIN rule 1).

    Several decisions per party are normal. The latest final decision (adopted, adopted with
    reservation, rejected) counts, by meeting date and then by `sequence`, unless a court has
    annulled it on appeal (kommunallagen (2017:725) 13 kap. 8 §). Without one, the latest
    referral back or postponement gives the status; planned meetings change nothing. The
    decisions of other parties may be passed too: they are ignored.
    """
    taken = [
        d
        for d in decisions
        if d.party_code == party_code and d.outcome is not Outcome.PLANNED and d.meeting_date <= today
    ]
    final = [
        (d, standing)
        for d in taken
        if d.outcome.is_final and (standing := d.legal_standing(today)).state is not LegalState.ANNULLED
    ]
    if final:
        decision, standing = max(final, key=lambda pair: _order(pair[0]))
        return PartyAdoption(
            party_code, _STATUS_OF[decision.outcome], decision.meeting_date, standing.final_on
        )
    waiting = [d for d in taken if not d.outcome.is_final]
    if waiting:
        latest = max(waiting, key=_order)
        return PartyAdoption(party_code, _STATUS_OF[latest.outcome], latest.meeting_date, None)
    return PartyAdoption(party_code, AdoptionStatus.PENDING)


def adoption_settled(decisions: Iterable[Decision], as_of: date) -> bool:
    """Whether every party's standing as of `as_of` (`party_adoption`, its status, decision day
    and legally-final day) is the same on every later day. It depends on the day only through the
    decisions' own dates: a meeting, an anslag, an appeal lodged or ruled on (planned meetings
    count for nothing). Once none lies after `as_of`, only a new or corrected decision changes it,
    and that is stored in its own transaction (lifecycle.store.refresh)."""
    for d in decisions:
        if d.outcome is Outcome.PLANNED:
            continue
        dates = (d.meeting_date, d.anslag_date, d.appeal.lodged_on, d.appeal.resolved_on)
        if any(day is not None and day > as_of for day in dates):
            return False
    return True


def next_planned_meeting(decisions: Iterable[Decision], today: date) -> date | None:
    """The earliest planned meeting on or after `today`, across the decisions given.

    A plan is spent once its party has recorded a decision at or after that meeting date, so a
    plan nobody removed does not linger. Pass one party's decisions for that party's next
    meeting, or all parties' for the agreement's.
    """
    decisions = list(decisions)
    last_taken: dict[str, date] = {}
    for d in decisions:
        if d.outcome is not Outcome.PLANNED:
            last_taken[d.party_code] = max(d.meeting_date, last_taken.get(d.party_code, date.min))
    upcoming = [
        d.meeting_date
        for d in decisions
        if d.outcome is Outcome.PLANNED
        and d.meeting_date >= today
        and d.meeting_date > last_taken.get(d.party_code, date.min)
    ]
    return min(upcoming, default=None)


def adoption_counts(adoptions: Iterable[PartyAdoption]) -> dict[AdoptionStatus, int]:
    """How many parties stand where, with every status present (zero when none) for overviews."""
    counts = dict.fromkeys(AdoptionStatus, 0)
    for adoption in adoptions:
        counts[adoption.status] += 1
    return counts


_OUTCOME_SV = {
    Outcome.ADOPTED: "antagit",
    Outcome.ADOPTED_WITH_RESERVATION: "antagit med reservation",
    Outcome.REJECTED: "avslagit",
}


def check_repeat(
    new: Decision,
    earlier: Iterable[tuple[RecordId, Decision]],
    *,
    party: str,
    replaces: RecordId | None,
    confirm_new: bool,
    today: date,
) -> None:
    """Refuse a new final decision for a party whose standing a final decision already settles,
    unless the caller says what it is: a correction of that decision (`replaces`) or a new
    decision in its own right (`confirm_new`, e.g. a party that rejected and now adopts).

    The latest final decision counts (DOMAIN.md rule 1), so a second "Antagen" logged by mistake
    would silently restart the appeal period and hold entry into force back again. `party` is how
    the message names the party ("Härryda (1401)"); `earlier` are its decisions with their ids.
    """
    if replaces is not None and confirm_new:
        raise InvalidInput(
            "Ange antingen vilket beslut det nya ersätter eller att det är ett nytt beslut, inte båda.",
            field="confirm_new",
        )
    earlier = [(ref, d) for ref, d in earlier if d.party_code == new.party_code]
    if replaces is not None and replaces not in {ref for ref, _ in earlier}:
        raise InvalidInput(
            f"Beslut {replaces} är inte ett beslut av {party} om den här överenskommelsen.",
            field="replaces",
        )
    if not new.outcome.is_final or replaces is not None or confirm_new:
        return
    standing = party_adoption(new.party_code, [d for _, d in earlier], today)
    if standing.status not in _SETTLED:
        return
    ref, counting = max(
        ((ref, d) for ref, d in earlier if d.outcome.is_final and d.meeting_date == standing.decided_on),
        key=lambda pair: _order(pair[1]),
    )
    where = ", ".join(x for x in (counting.body, sv_date(counting.meeting_date), counting.paragraph) if x)
    final = f", laga kraft {sv_date(standing.final_on)}" if standing.final_on else ""
    raise Conflict(
        f"{party} har redan {_OUTCOME_SV[counting.outcome]} överenskommelsen ({where}{final}; "
        f"beslut {ref}). Ett nytt beslut ersätter det och räknar om laga kraft och ikraftträdande. "
        f"Ange om det rättar beslut {ref} eller är ett nytt beslut.",
        field="replaces",
        extra={"existing_decision": ref},
    )


_SETTLED = frozenset(
    {AdoptionStatus.ADOPTED, AdoptionStatus.ADOPTED_WITH_RESERVATION, AdoptionStatus.REJECTED}
)
