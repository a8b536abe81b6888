"""When a party's decision becomes legally final (laga kraft), and what a recorded appeal does.

Kommunallagen (2017:725) 13 kap. 5 §: an appeal (laglighetsprövning) must reach the
administrative court within three weeks from the day it was announced on the notice board
(anslagstavlan) that the minutes were approved (justerade). Lag (1930:173) 2 §: if the last day
is a day off, the appeal may still be lodged on the next working day.

Legal finality here is a presumption: an appeal lodged with the court does not show in the
minutes, so a clerk records it (and its outcome) afterwards, and the state is recomputed.
Every function answers "as of `today`", so a past date gives the state as it was then.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from core.errors import InvalidInput
from lifecycle.rules.days import next_working_day_on_or_after
from lifecycle.rules.model import AppealState

# Kommunallagen (2017:725) 13 kap. 5 §: "inom tre veckor från den dag då det tillkännagavs".
APPEAL_PERIOD = timedelta(weeks=3)


class LegalState(enum.StrEnum):
    """Where one decision stands in law as of a given day."""

    AWAITING_NOTICE = "awaiting_notice"  # no anslag yet: the appeal period has not started
    APPEALABLE = "appealable"  # within the appeal period (or a withdrawal before it ended)
    FINAL = "final"  # laga kraft
    APPEALED = "appealed"  # an appeal is pending in court
    ANNULLED = "annulled"  # the court upheld the appeal: the decision no longer counts
    # a referral back (återremiss) or postponement (bordläggning): of a purely preparatory kind,
    # it cannot be appealed (kommunallagen 13 kap. 2 §), so it has no appeal day and is never final
    NOT_APPEALABLE = "not_appealable"


@dataclass(frozen=True, slots=True)
class Appeal:
    """A recorded appeal against one decision.

    `lodged_on` is the day the appeal reached the court; `resolved_on` the day the court's
    ruling (DISMISSED/UPHELD) became final or the appellant withdrew (WITHDRAWN).
    """

    state: AppealState = AppealState.NONE
    lodged_on: date | None = None
    resolved_on: date | None = None


NO_APPEAL = Appeal()


class LegalStanding(NamedTuple):
    """A decision's legal state and the day it became, or presumably becomes, final."""

    state: LegalState
    final_on: date | None


def last_appeal_day(anslag_date: date) -> date:
    """The last day an appeal can reach the court.

    Three weeks from the anslag (kommunallagen 13 kap. 5 §), moved to the next working day
    when it falls on a day off (lag (1930:173) om beräkning av lagstadgad tid, 2 §).
    """
    return next_working_day_on_or_after(anslag_date + APPEAL_PERIOD)


def presumed_final_date(anslag_date: date) -> date:
    """The day the decision is legally final unless appealed: the day after the last appeal day."""
    return last_appeal_day(anslag_date) + timedelta(days=1)


def legal_state(anslag_date: date | None, appeal: Appeal, today: date) -> LegalStanding:
    """The decision's legal state as of `today` (kommunallagen (2017:725) 13 kap. 5 och 8 §§).

    A recorded appeal keeps the decision from becoming final until its outcome is recorded; an
    upheld appeal annuls it (13 kap. 8 §: the court can only set it aside). A dismissed or
    withdrawn appeal makes it final from the outcome, but never before the appeal period has
    run out for everyone else. A late appeal could not stop the decision from becoming final,
    so once it is disposed of the presumed date stands.
    """
    if anslag_date is None or today < anslag_date:
        return LegalStanding(LegalState.AWAITING_NOTICE, None)
    presumed = presumed_final_date(anslag_date)
    if appeal.state is AppealState.NONE or appeal.lodged_on is None or today < appeal.lodged_on:
        return _by_date(presumed, today)
    if appeal.state is AppealState.LODGED or appeal.resolved_on is None or today < appeal.resolved_on:
        return LegalStanding(LegalState.APPEALED, None)
    if appeal.state is AppealState.UPHELD:
        return LegalStanding(LegalState.ANNULLED, None)
    late = appeal.lodged_on > last_appeal_day(anslag_date)
    return _by_date(presumed if late else max(appeal.resolved_on, presumed), today)


def _by_date(final_on: date, today: date) -> LegalStanding:
    state = LegalState.FINAL if today >= final_on else LegalState.APPEALABLE
    return LegalStanding(state, final_on)


def validate_appeal(appeal: Appeal, *, anslag_date: date | None, today: date) -> None:
    """Refuse an appeal record that cannot be true.

    An appeal runs from the anslag (kommunallagen 13 kap. 5 §), so it cannot have reached the
    court before it. A late appeal may still be recorded: the court dismisses it, but it was
    lodged. Dates cannot lie after `today`, and an outcome cannot precede the appeal.
    """
    if appeal.state is AppealState.NONE:
        if appeal.lodged_on is not None or appeal.resolved_on is not None:
            raise InvalidInput(
                "Ange inga datum för överklagande när inget överklagande är registrerat.",
                field="appeal.state",
            )
        return
    lodged_on = appeal.lodged_on
    if lodged_on is None:
        raise InvalidInput(
            "Ange vilken dag överklagandet kom in till förvaltningsrätten.", field="appeal.lodged_on"
        )
    if anslag_date is None:
        raise InvalidInput(
            "Ett överklagande kan registreras först när anslagsdatum är angivet.", field="anslag_date"
        )
    if lodged_on < anslag_date:
        raise InvalidInput(
            f"Överklagandet kan inte ha kommit in före anslagsdatum ({lodged_on} < {anslag_date}).",
            field="appeal.lodged_on",
        )
    if lodged_on > today:
        raise InvalidInput(
            f"Datum för överklagandet kan inte vara senare än i dag ({lodged_on} > {today}).",
            field="appeal.lodged_on",
        )
    _validate_outcome(appeal, lodged_on, today)


def _validate_outcome(appeal: Appeal, lodged_on: date, today: date) -> None:
    resolved_on = appeal.resolved_on
    if appeal.state is AppealState.LODGED:
        if resolved_on is not None:
            raise InvalidInput(
                "Ett pågående överklagande har inget avgörandedatum. Välj utfall eller ta bort datumet.",
                field="appeal.resolved_on",
            )
        return
    if resolved_on is None:
        raise InvalidInput(
            "Ange vilken dag domen vann laga kraft eller överklagandet återkallades.",
            field="appeal.resolved_on",
        )
    if resolved_on < lodged_on:
        raise InvalidInput(
            f"Avgörandet kan inte vara före överklagandet ({resolved_on} < {lodged_on}).",
            field="appeal.resolved_on",
        )
    if resolved_on > today:
        raise InvalidInput(
            f"Datum för avgörandet kan inte vara senare än i dag ({resolved_on} > {today}).",
            field="appeal.resolved_on",
        )
