"""Finding Swedish personal identity numbers in free text, so a report holds no patient data.

A personnummer (folkbokföringslagen 1991:481, 18 §; Skatteverket SKV 704) is the date of birth
ÅÅMMDD, a separator ("-", or "+" from the year a person turns 100), three birth digits and a
check digit computed with the Luhn algorithm over the ten digits ÅÅMMDDNNN. Written with the
century it is ÅÅÅÅMMDDNNNN (the check digit is still over the last ten). A samordningsnummer
(18 a §) is the same with 60 added to the day (61–91).

A sequence of digits counts only when its date is a real date and its check digit is right, so
a diarienummer, a phone number or a date of an event is not refused by mistake (one in ten such
numbers does pass the check; refusing one too many is the safe way round).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

# Digits not part of a longer run of digits; the separator may stand with or without spaces.
_CANDIDATE = re.compile(r"(?<![\d])(\d{2})?(\d{2})(\d{2})(\d{2})\s?([-+])?\s?(\d{4})(?![\d])")
SAMORDNING_OFFSET = 60  # folkbokföringslagen 18 a §: the day of birth plus 60


@dataclass(frozen=True, slots=True)
class Finding:
    start: int
    end: int
    text: str  # exactly as written in the text
    samordningsnummer: bool

    @property
    def what_sv(self) -> str:
        return "ett samordningsnummer" if self.samordningsnummer else "ett personnummer"


def luhn_ok(digits: str) -> bool:
    """The Luhn check (ISO/IEC 7812-1) that Skatteverket uses for the tenth digit."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _date_ok(century: str | None, yy: str, mm: str, dd: str) -> tuple[bool, bool]:
    """(a real date of birth, a samordningsnummer). Without the century both 19ÅÅ and 20ÅÅ are
    tried (29 February needs a leap year), and 18ÅÅ for a '+' number is not needed: 1800 is no
    leap year but 29 February 18ÅÅ is also a leap day only where 19ÅÅ or 20ÅÅ is."""
    month, day = int(mm), int(dd)
    samordning = day > SAMORDNING_OFFSET
    if samordning:
        day -= SAMORDNING_OFFSET
    if not 1 <= month <= 12 or day < 1:
        return False, samordning
    years = [int(century + yy)] if century else [1900 + int(yy), 2000 + int(yy)]
    return any(day <= calendar.monthrange(y, month)[1] for y in years), samordning


def find_identity_numbers(text: str) -> list[Finding]:
    """Every personnummer and samordningsnummer in `text`, in the order they stand."""
    found = []
    for m in _CANDIDATE.finditer(text):
        century, yy, mm, dd, _sep, tail = m.groups()
        if century is not None and century not in ("18", "19", "20"):
            continue
        real_date, samordning = _date_ok(century, yy, mm, dd)
        if real_date and luhn_ok(yy + mm + dd + tail):
            found.append(Finding(m.start(), m.end(), m.group(0), samordning))
    return found


def refusal_sv(field_label: str, findings: list[Finding]) -> str:
    """What the form says: which part of which field to remove, and why."""
    parts = " och ".join(f"{f.what_sv} (”{f.text}”)" for f in findings)
    return (
        f"{field_label} innehåller {parts}. Ta bort det och skriv utan uppgifter som kan "
        "identifiera personen: rapporten får inte innehålla patient- eller klientuppgifter."
    )
