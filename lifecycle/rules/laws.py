"""Swedish laws that agreements cite and that have since been replaced (DOMAIN.md rule 4).

Laws are named by their SFS number (Svensk författningssamling, "år:löpnummer"). Seed 004 notes
that "i vissa fall är hänvisningarna föråldrade": seeds 000 and 002 cite socialtjänstlagen
(2001:453), replaced on 2025-07-01. The table is small on purpose; add a law with its source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class ReplacedLaw:
    sfs: str
    title: str  # as cited in running Swedish text, definite form
    replaced_by: str
    replaced_by_title: str
    replaced_on: date  # the day the new law entered into force
    source: str


_TABLE = (
    ReplacedLaw(
        sfs="2001:453",
        title="socialtjänstlagen",
        replaced_by="2025:400",
        replaced_by_title="socialtjänstlagen",
        replaced_on=date(2025, 7, 1),
        source="Socialtjänstlag (2025:400), i kraft 2025-07-01; DOMAIN.md rule 4",
    ),
    ReplacedLaw(
        sfs="1982:763",
        title="hälso- och sjukvårdslagen",
        replaced_by="2017:30",
        replaced_by_title="hälso- och sjukvårdslagen",
        replaced_on=date(2017, 4, 1),
        source="Hälso- och sjukvårdslag (2017:30), i kraft 2017-04-01",
    ),
    ReplacedLaw(
        sfs="1991:900",
        title="kommunallagen",
        replaced_by="2017:725",
        replaced_by_title="kommunallagen",
        replaced_on=date(2018, 1, 1),
        source="Kommunallag (2017:725), i kraft 2018-01-01",
    ),
    ReplacedLaw(
        sfs="1990:1404",
        title="lagen om kommunernas betalningsansvar för viss hälso- och sjukvård",
        replaced_by="2017:612",
        replaced_by_title="lagen om samverkan vid utskrivning från sluten hälso- och sjukvård",
        replaced_on=date(2018, 1, 1),
        source="Lag (2017:612) om samverkan vid utskrivning från sluten hälso- och sjukvård, "
        "i kraft 2018-01-01; den upphävde lag (1990:1404)",
    ),
)
REPLACED_LAWS: dict[str, ReplacedLaw] = {law.sfs: law for law in _TABLE}

# "2001:453", also "SFS 2001:453" and "SoL (2001:453)"; not part of "prop. 2009/10:116"
_SFS = re.compile(r"(?<![\d:/])((?:18|19|20)\d\d)\s?:\s?(\d{1,4})(?![\d:])")
# Agencies' regulation series use the same "år:nummer" (SOSFS 2008:18, HSLF-FS 2016:40, AFS 2001:1)
_AGENCY_SERIES = re.compile(r"\b(?!SFS\b)[A-ZÅÄÖ][A-ZÅÄÖ-]*FS[\s(]*$")


def find_sfs_numbers(text: str) -> list[str]:
    """Every SFS number in free text, normalised ("2001:453"), in order of first mention."""
    found: list[str] = []
    for match in _SFS.finditer(text):
        if _AGENCY_SERIES.search(text[max(0, match.start() - 20) : match.start()]):
            continue
        number = f"{match[1]}:{int(match[2])}"
        if number not in found:
            found.append(number)
    return found


def parse_sfs(text: str) -> str | None:
    """The first SFS number in `text`: parse_sfs("SoL (2001:453)") == "2001:453"."""
    numbers = find_sfs_numbers(text)
    return numbers[0] if numbers else None


def replaced_law(ref: str, as_of: date) -> ReplacedLaw | None:
    """The replacement of the first law `ref` cites, if it had been replaced by `as_of`."""
    number = parse_sfs(ref)
    law = REPLACED_LAWS.get(number) if number else None
    return law if law is not None and law.replaced_on <= as_of else None


def replaced_laws(refs: list[str], as_of: date) -> list[ReplacedLaw]:
    """Every replaced law that `refs` cite (several per reference allowed), once, in order."""
    numbers = dict.fromkeys(number for ref in refs for number in find_sfs_numbers(ref))
    laws = (REPLACED_LAWS.get(number) for number in numbers)
    return [law for law in laws if law is not None and law.replaced_on <= as_of]
