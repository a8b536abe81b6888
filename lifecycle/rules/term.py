"""Term and notice (DOMAIN.md rule 5): renewal periods, notice deadlines and who leaves when.

The seeds have two kinds of term:

- `FixedTerm`, seed 003 Del A "Avtalstid": "Avtalet gäller under perioden 2023-01-01 – 2026-12-31.
  Senast arton månader innan avtalstiden löper ut har parterna möjlighet att skriftligt säga upp
  avtalet. Om ingen part skriftligen sagt upp avtalet förlängs det med tre år i taget med arton
  månaders uppsägningstid."
- `UntilFurtherNotice`, seeds 000 § 12 and 001 § 21: "gäller från och med 1 april 2018 tills
  vidare", six months' notice, three months when law changes make it necessary. Seed 002 § 6
  ("gäller från 2025-01-01 och tills vidare") states no notice period: a party may only "påkalla
  förändringar", so an exit there is whatever the parties agree (`Notice.agreed_end`).

A termination by one party of a multi-party agreement ends it for that party (DOMAIN.md rule 5):
the others go on, and a fixed term keeps renewing for them. The agreement as a whole ends at the
end of a fixed term without renewal, or when fewer than two of its parties remain (an agreement
needs two sides), which `term_as_of` can only tell when it is given the parties.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from core.errors import Conflict, InvalidInput
from lifecycle.rules.months import MONTHS_PER_YEAR, add_months, add_months_eom, add_years
from lifecycle.rules.swedish import sv_date

ONE_DAY = timedelta(days=1)
# Not from a seed: far enough ahead to show three 3-year renewals of seed 003's agreement.
RENEWAL_HORIZON_YEARS = 10
# Bounds from practice, not from a seed: the seeds' notice periods are 3, 6 and 18 months and
# their renewal 3 years. Five years' notice or a renewal by more than ten years at a time would
# be a typo (or a term that is really "until further notice"), not an agreement.
MAX_NOTICE_MONTHS = 60
MAX_RENEWAL_YEARS = 10


@dataclass(frozen=True, slots=True)
class FixedTerm:
    """A fixed term, renewed by `renewal_years` at a time unless notice is given (seed 003)."""

    start: date
    end: date
    notice_months: int
    renewal_years: int | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput(
                f"Avtalstiden kan inte sluta ({self.end}) innan den börjar ({self.start}).", field="end"
            )
        _check_notice_months(self.notice_months, "notice_months")
        if self.renewal_years is not None and not 1 <= self.renewal_years <= MAX_RENEWAL_YEARS:
            raise InvalidInput(
                f"En förlängning ska vara mellan 1 och {MAX_RENEWAL_YEARS} år i taget.", field="renewal_years"
            )


@dataclass(frozen=True, slots=True)
class UntilFurtherNotice:
    """In force from `start` until further notice (seeds 000, 001, 002).

    `notice_months` None: the agreement states no notice period (seed 002); a party's exit date
    is then agreed between the parties. `law_change_notice_months`: the shorter notice allowed
    when law changes make it necessary (seed 001 § 21: three months).
    """

    start: date
    notice_months: int | None = None
    law_change_notice_months: int | None = None

    def __post_init__(self) -> None:
        if self.notice_months is not None:
            _check_notice_months(self.notice_months, "notice_months")
        if self.law_change_notice_months is None:
            return
        if self.notice_months is None:
            raise InvalidInput(
                "En kortare uppsägningstid vid lagändring förutsätter en ordinarie uppsägningstid.",
                field="law_change_notice_months",
            )
        if not 0 <= self.law_change_notice_months <= self.notice_months:
            raise InvalidInput(
                f"Uppsägningstiden vid lagändring ska ligga mellan 0 och {self.notice_months} månader.",
                field="law_change_notice_months",
            )


def _check_notice_months(months: int, field: str) -> None:
    if not 0 <= months <= MAX_NOTICE_MONTHS:
        raise InvalidInput(
            f"Uppsägningstiden ska vara mellan 0 och {MAX_NOTICE_MONTHS} månader.", field=field
        )


TermRule = FixedTerm | UntilFurtherNotice


class Period(NamedTuple):
    """One stretch of the term, both days included; `end` None: until further notice."""

    start: date
    end: date | None


@dataclass(frozen=True, slots=True)
class Notice:
    """A party's written termination (uppsägning). `agreed_end`: only where no notice period is stated."""

    party_code: str
    given_on: date
    law_change: bool = False
    agreed_end: date | None = None


@dataclass(frozen=True, slots=True)
class TermView:
    """The term as it stands on `as_of`, counting only notices given by then.

    `current`: the period containing `as_of` (the first before the start, the last once ended).
    `runs_until`: the last day the agreement is now bound to run: no notice can end it earlier
    (fixed term), or its known end; None when open-ended. `next_notice_deadline`: the last day a
    notice ends a party's participation at `runs_until`. `ends_on`: the end of the agreement as
    a whole, when known. `party_end_dates`: the last day each party that gave notice is bound.
    """

    as_of: date
    current: Period
    runs_until: date | None
    next_notice_deadline: date | None
    upcoming_renewals: tuple[Period, ...]
    ended: bool
    ends_on: date | None
    party_end_dates: dict[str, date]

    @property
    def started(self) -> bool:
        return self.as_of >= self.current.start


def notice_deadline(period_end: date, notice_months: int) -> date:
    """The last day notice can be given to end at `period_end` (seed 003: "senast arton månader
    innan avtalstiden löper ut"): the last day D with D + notice months (clamped) <= period_end.

    A period ending on a month's last day has its deadline on the last day of the month
    `notice_months` earlier: 2026-12-31 and 18 months give 2025-06-30; 2027-02-28 and 6, 2026-08-31.
    """
    return add_months_eom(period_end, -notice_months)


def periods(rule: TermRule, until: date) -> Iterator[Period]:
    """The term's periods that start on or before `until`, tiling time without gap or overlap."""
    for period in _all_periods(rule, None):
        if period.start > until:
            return
        yield period


def term_as_of(
    rule: TermRule,
    notices: Iterable[Notice],
    as_of: date,
    *,
    parties: Collection[str] | None = None,
    horizon_years: int = RENEWAL_HORIZON_YEARS,
) -> TermView:
    """The term on `as_of` (DOMAIN.md rule 5); renewals listed up to `horizon_years` ahead.

    Every notice is checked, also those dated after `as_of`, which the view leaves out.
    """
    notices = list(notices)
    _resolve(rule, notices, parties)
    party_ends, ends_on = _resolve(rule, [n for n in notices if n.given_on <= as_of], parties)
    ended = ends_on is not None and as_of > ends_on
    if isinstance(rule, UntilFurtherNotice):
        current = Period(rule.start, ends_on)
        return TermView(as_of, current, ends_on, None, (), ended, ends_on, party_ends)
    current: Period | None = None
    runs_until = deadline = None
    renewals: list[Period] = []
    limit = add_years(as_of, horizon_years)
    for index, period in enumerate(_all_periods(rule, ends_on)):
        assert period.end is not None  # a fixed term's periods all end
        if current is None and period.end >= as_of:
            current = period
        # from the current period on, the first one the agreement can still be ended at
        if current is not None and runs_until is None:
            if period.end == ends_on:
                runs_until = ends_on
            elif as_of <= notice_deadline(period.end, rule.notice_months):
                runs_until, deadline = period.end, notice_deadline(period.end, rule.notice_months)
        if index > 0 and as_of < period.start <= limit:
            renewals.append(period)
        if runs_until is not None and period.start > limit:
            break
    else:  # the periods ran out: the agreement has ended, the last period is the current one
        current, runs_until = current or period, runs_until or ends_on
    assert current is not None
    return TermView(as_of, current, runs_until, deadline, tuple(renewals), ended, ends_on, party_ends)


def _all_periods(rule: TermRule, ends_on: date | None) -> Iterator[Period]:
    """Every period, up to the one ending on `ends_on` (None: renewing for ever)."""
    if isinstance(rule, UntilFurtherNotice):
        yield Period(rule.start, ends_on)
        return
    period = Period(rule.start, rule.end)
    while True:
        yield period
        if rule.renewal_years is None or (ends_on is not None and period.end >= ends_on):
            return
        # counted from the end, so a month-end term keeps ending on a month's last day
        period = Period(
            period.end + ONE_DAY, add_months_eom(period.end, rule.renewal_years * MONTHS_PER_YEAR)
        )


def _resolve(
    rule: TermRule, notices: list[Notice], parties: Collection[str] | None
) -> tuple[dict[str, date], date | None]:
    """Check the notices in the order given; return each party's last day and the agreement's end."""
    members = _members(parties)
    ends_on = _agreement_end(rule, {}, members)
    ends: dict[str, date] = {}
    given: dict[str, Notice] = {}
    for notice in sorted(notices, key=lambda n: n.given_on):
        _check_notice(rule, notice, members)
        if (earlier := given.get(notice.party_code)) is not None:
            raise Conflict(
                f"Part {notice.party_code} har redan sagt upp överenskommelsen "
                f"({sv_date(earlier.given_on)}).",
                field="party_code",
            )
        if ends_on is not None and notice.given_on > ends_on:
            raise InvalidInput(
                f"Part {notice.party_code} har redan lämnat överenskommelsen, "
                f"som upphörde {sv_date(ends_on)}.",
                field="given_on",
            )
        given[notice.party_code] = notice
        ends[notice.party_code] = _party_end(rule, notice)
        ends_on = _agreement_end(rule, ends, members)
    party_ends = {code: min(end, ends_on) if ends_on else end for code, end in sorted(ends.items())}
    return party_ends, ends_on


def _members(parties: Collection[str] | None) -> frozenset[str] | None:
    if parties is None:
        return None
    members = frozenset(parties)
    if len(members) < 2:
        raise InvalidInput("En överenskommelse behöver minst två parter.", field="parties")
    return members


def _check_notice(rule: TermRule, notice: Notice, members: frozenset[str] | None) -> None:
    code = notice.party_code
    if members is not None and code not in members:
        raise InvalidInput(f"{code} är inte part i överenskommelsen.", field="party_code")
    if notice.given_on < rule.start:
        raise InvalidInput(
            f"Uppsägningen från part {code} är daterad {notice.given_on}, före avtalstidens början "
            f"{rule.start}.",
            field="given_on",
        )
    if notice.law_change and (isinstance(rule, FixedTerm) or rule.law_change_notice_months is None):
        raise InvalidInput(
            "Överenskommelsen har ingen kortare uppsägningstid vid lagändring.", field="law_change"
        )
    agreed = isinstance(rule, UntilFurtherNotice) and rule.notice_months is None
    if agreed and notice.agreed_end is None:
        raise InvalidInput(
            "Överenskommelsen anger ingen uppsägningstid: ange det slutdatum parterna har kommit överens om.",
            field="agreed_end",
        )
    if not agreed and notice.agreed_end is not None:
        raise InvalidInput(
            "Slutdatumet räknas fram ur överenskommelsens uppsägningstid och kan inte anges.",
            field="agreed_end",
        )
    if notice.agreed_end is not None and notice.agreed_end < notice.given_on:
        raise InvalidInput(
            f"Slutdatumet {notice.agreed_end} ligger före uppsägningen {notice.given_on}.",
            field="agreed_end",
        )


def _party_end(rule: TermRule, notice: Notice) -> date:
    """The last day the notice leaves its party bound (DOMAIN.md rule 5).

    Until further notice: the notice date plus the notice period, clamped (seeds 000, 001), or the
    agreed end (seed 002). Fixed term: the end of the first period whose notice deadline the notice
    meets (seed 003). Without renewal the term end ends everyone, so a late notice changes nothing.
    """
    if isinstance(rule, UntilFurtherNotice):
        if rule.notice_months is None:
            assert notice.agreed_end is not None  # checked by _check_notice
            return notice.agreed_end
        months = rule.law_change_notice_months if notice.law_change else rule.notice_months
        assert months is not None  # checked by _check_notice
        return add_months(notice.given_on, months)
    for period in _all_periods(rule, None):
        assert period.end is not None
        if rule.renewal_years is None or notice.given_on <= notice_deadline(period.end, rule.notice_months):
            return period.end
    raise AssertionError("unreachable: a renewing term has periods without end")


def _agreement_end(rule: TermRule, ends: dict[str, date], members: frozenset[str] | None) -> date | None:
    """The fixed term's end without renewal, or the day fewer than two parties remain."""
    candidates = []
    if isinstance(rule, FixedTerm) and rule.renewal_years is None:
        candidates.append(rule.end)
    if members is not None and len(ends) >= len(members) - 1:
        candidates.append(sorted(ends.values())[len(members) - 2])
    return min(candidates, default=None)


@dataclass(frozen=True, slots=True)
class PartyTerm:
    """One party's term on `as_of` (DOMAIN.md rule 5: a notice ends the agreement for that party).

    `ends_for_party_on`: its last bound day after its notice, None while it stays. `runs_until`:
    that day when it is leaving, else the agreement's. `next_notice_deadline`: None once it has
    given notice (it has nothing more to give) or the agreement has ended for it.
    """

    party_code: str
    as_of: date
    ends_for_party_on: date | None
    runs_until: date | None
    next_notice_deadline: date | None
    has_left: bool


def party_term(view: TermView, party_code: str) -> PartyTerm:
    """The term for one party, from the agreement's `TermView` (whose `party_end_dates` hold
    exactly the parties that had given notice by its `as_of`)."""
    ends = view.party_end_dates.get(party_code)
    given = ends is not None
    last_day = ends if ends is not None else view.ends_on
    left = last_day is not None and view.as_of > last_day
    return PartyTerm(
        party_code=party_code,
        as_of=view.as_of,
        ends_for_party_on=ends,
        runs_until=ends if ends is not None else view.runs_until,
        next_notice_deadline=None if given or left else view.next_notice_deadline,
        has_left=left,
    )


def not_concerned(
    view: TermView, notices: Iterable[Notice], due: date, *, is_notice: bool
) -> tuple[str, ...]:
    """The parties an agreement-wide deadline on `due` no longer concerns, having given notice:
    those bound no later than the day before it, and, for a notice deadline, those that had given
    their notice by then (a party gives notice once). A deadline that passed before a party's
    notice stays in its history."""
    given_on = {n.party_code: n.given_on for n in notices if n.given_on <= view.as_of}
    return tuple(
        code
        for code, end in sorted(view.party_end_dates.items())
        if due > end or (is_notice and code in given_on and due >= given_on[code])
    )
