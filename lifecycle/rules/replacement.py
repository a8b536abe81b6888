"""Many into one: a new agreement that replaces several (seed 004: the county's 17 agreements
consolidated into about seven, "ett mindre antal överenskommelser").

Each replaced agreement ends the day before the new one enters into force: from then it is
ended, its term runs no further and its later deadlines go (DOMAIN.md rule 7, as for a new
version). Both keep their history and name each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from core.errors import Conflict, InvalidInput
from lifecycle.rules.deadlines import Deadline
from lifecycle.rules.model import AgreementStatus
from lifecycle.rules.term import TermView


@dataclass(frozen=True, slots=True)
class ReplacementFacts:
    """What the check needs of one agreement: its structure and what replaces it now."""

    id: int
    title: str
    structure: str
    replaced_by: int | None = None


def last_day_before(replaced_from: date | None) -> date | None:
    """The replaced agreement's last day: the day before its replacement enters into force."""
    return None if replaced_from is None else replaced_from - timedelta(days=1)


def is_replaced(replaced_from: date | None, as_of: date) -> bool:
    """Ended by its replacement on `as_of`: the replacement has entered into force."""
    return replaced_from is not None and replaced_from <= as_of


def stored_status(
    own: AgreementStatus, replaced_from: date | None, as_of: date
) -> tuple[AgreementStatus, AgreementStatus | None]:
    """What the register stores of an agreement as of `as_of`, as (status, own status kept): its
    own status, or "ended" once its replacement is in force, keeping its own to restore should the
    replacement's entry into force move later or the replacement drop it. A withdrawn or already
    ended agreement stays as it is."""
    if is_replaced(replaced_from, as_of) and own in (AgreementStatus.DRAFT, AgreementStatus.ACTIVE):
        return AgreementStatus.ENDED, own
    return own, None


def check_replacements(
    new: ReplacementFacts, replaced: Iterable[int], known: Mapping[int, ReplacementFacts]
) -> tuple[int, ...]:
    """The ids `new` may replace, in order and once each: known agreements of its structure, not
    itself, not replaced by another already, and none that `new` is itself (transitively) replaced
    by, which would make a cycle. `known` holds `new`, the candidates and `new`'s replacers."""
    found: list[int] = []
    for agreement_id in replaced:
        if agreement_id in found:
            continue
        if agreement_id == new.id:
            raise InvalidInput("En överenskommelse kan inte ersätta sig själv.", field="replaces")
        old = known.get(agreement_id)
        if old is None:
            raise InvalidInput(f"Det finns ingen överenskommelse med id {agreement_id}.", field="replaces")
        if old.structure != new.structure:
            raise InvalidInput(
                f"”{old.title}” hör till en annan samverkansstruktur och kan inte ersättas av ”{new.title}”.",
                field="replaces",
            )
        if old.replaced_by is not None and old.replaced_by != new.id:
            by = known.get(old.replaced_by)
            name = f"”{by.title}”" if by else f"överenskommelsen med id {old.replaced_by}"
            raise Conflict(f"”{old.title}” ersätts redan av {name}.", field="replaces")
        if agreement_id in _replacers(new, known):
            raise InvalidInput(
                f"”{old.title}” ersätter redan ”{new.title}” (direkt eller genom en annan "
                "överenskommelse): de kan inte ersätta varandra.",
                field="replaces",
            )
        found.append(agreement_id)
    return tuple(found)


def _replacers(new: ReplacementFacts, known: Mapping[int, ReplacementFacts]) -> set[int]:
    """The agreements that replace `new`, directly or through others."""
    seen: set[int] = set()
    current = new.replaced_by
    while current is not None and current not in seen:
        seen.add(current)
        nxt = known.get(current)
        current = nxt.replaced_by if nxt else None
    return seen


def term_until_replaced(view: TermView, replaced_from: date | None) -> TermView:
    """The term as its replacement cuts it: it runs at most to the day before the replacement
    enters into force, no notice deadline falls after that day, and from then it has ended."""
    last = last_day_before(replaced_from)
    if last is None:
        return view
    notice = view.next_notice_deadline
    return replace(
        view,
        runs_until=last if view.runs_until is None else min(view.runs_until, last),
        next_notice_deadline=None if notice is None or notice > last else notice,
        ends_on=last if view.ends_on is None else min(view.ends_on, last),
        ended=view.ended or view.as_of > last,
    )


def deadlines_until_replaced(
    deadlines: Iterable[Deadline], replaced_from: date | None
) -> tuple[Deadline, ...]:
    """The deadlines that still concern a replaced agreement: those due by its last day (the later
    ones go, so their reminders stop and their calendar events are cancelled)."""
    last = last_day_before(replaced_from)
    return tuple(d for d in deadlines if last is None or d.due <= last)
