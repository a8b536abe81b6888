"""Input checks shared by the agreement services (messages in Swedish, naming the field)."""

from __future__ import annotations

import re
from datetime import date

from core.errors import InvalidInput, NotFound
from lifecycle.rules.entry import EntryRule
from lifecycle.rules.model import AgreementKind, AgreementStatus, Outcome
from lifecycle.rules.months import add_years
from lifecycle.rules.swedish import sv_date
from lifecycle.rules.term import FixedTerm, TermRule, UntilFurtherNotice
from lifecycle.tables import Agreement
from lifecycle.views import TermIn

MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


def choice(enum_type: type, value: str, field: str, what: str):
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum_type)
        raise InvalidInput(f"Okänt värde för {what}: '{value}'. Tillåtna: {allowed}.", field=field) from None


def kind(value: str) -> AgreementKind:
    return choice(AgreementKind, value, "kind", "typ av dokument")


def status(value: str) -> AgreementStatus:
    return choice(AgreementStatus, value, "status", "status")


def entry_rule(value: str) -> EntryRule:
    return choice(EntryRule, value, "entry_rule", "regel för ikraftträdande")


def outcome(value: str) -> Outcome:
    return choice(Outcome, value, "outcome", "beslut")


def title(value: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput("Överenskommelsen måste ha en titel.", field="title")
    return value


def annual_follow_up(value: str | None) -> str | None:
    if value is None:
        return None
    match = MONTH_DAY.match(value)
    try:
        if not match:
            raise ValueError
        date(2024, int(match[1]), int(match[2]))  # a leap year accepts 02-29
    except ValueError:
        raise InvalidInput(
            f"Årlig uppföljning anges som MM-DD, t.ex. 11-15, inte '{value}'.", field="annual_follow_up"
        ) from None
    return value


def term(value: TermIn) -> TermRule | None:
    """Build the rule from the input; the rule's own checks give the messages."""
    if value.kind == "none":
        return None
    if value.kind == "fixed":
        missing = [n for n in ("start", "end", "notice_months") if getattr(value, n) is None]
        if missing:
            raise InvalidInput(f"En tidsbestämd giltighetstid behöver {', '.join(missing)}.", field="term")
        return FixedTerm(value.start, value.end, value.notice_months, value.renewal_years)
    if value.kind == "until_further_notice":
        if value.start is None:
            raise InvalidInput("En giltighetstid tills vidare behöver ett startdatum (start).", field="term")
        return UntilFurtherNotice(value.start, value.notice_months, value.law_change_notice_months)
    raise InvalidInput(
        f"Okänd typ av giltighetstid '{value.kind}'. Tillåtna: fixed, until_further_notice, none.",
        field="term.kind",
    )


def term_columns(value: TermIn) -> dict:
    term(value)
    return {
        "term_kind": value.kind,
        "term_start": value.start,
        "term_end": value.end,
        "notice_months": value.notice_months,
        "renewal_years": value.renewal_years,
        "law_change_notice_months": value.law_change_notice_months,
    }


def term_input(row: dict) -> TermIn:
    return TermIn(
        kind=row["term_kind"],
        start=row["term_start"],
        end=row["term_end"],
        notice_months=row["notice_months"],
        renewal_years=row["renewal_years"],
        law_change_notice_months=row["law_change_notice_months"],
    )


async def agreement_row(agreement_id: int, *, lock: bool = False) -> dict:
    query = Agreement.select(Agreement.all_columns(), Agreement.structure.slug.as_alias("structure_slug"))
    if lock:
        query = query.lock_rows("update", of=(Agreement,))
    row = await query.where(Agreement.id == agreement_id).first()
    if row is None:
        raise NotFound(f"Det finns ingen överenskommelse med id {agreement_id}.")
    return row


# Not from a seed: far enough back for the oldest agreements in the register (seeds 000 and 001
# run from 2018) and ahead for three renewals of seed 003's term; beyond, a date is a typing error.
AS_OF_YEARS = 30


def as_of_day(value: date | None, today: date) -> date:
    """The day a read model answers for: `today` unless given, within AS_OF_YEARS of it."""
    if value is None:
        return today
    earliest, latest = add_years(today, -AS_OF_YEARS), add_years(today, AS_OF_YEARS)
    if not earliest <= value <= latest:
        raise InvalidInput(
            f"Datumet (as_of) ska ligga mellan {sv_date(earliest)} och {sv_date(latest)}, inte {value}.",
            field="as_of",
        )
    return value
