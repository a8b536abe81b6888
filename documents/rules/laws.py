"""Law references found in an agreement's own text (DOMAIN.md rule 4: the replaced-law warning).

Two kinds of mention: an SFS number ("2001:453", "SFS 2001:453", "SoL (2001:453)"), found as
`lifecycle.rules.laws.find_sfs_numbers` finds them in the register (agencies' series such as
SOSFS 2008:18 left out), and the short names the agreements use: SoL, HSL, LSS, LPT. A short name
next to a number (within a few characters: "SoL (2001:453)") is that law. A short name alone names
a law by its number only when there has been one law of that name: LSS is 1993:387 and LPT
1991:1128, but SoL (2001:453, 2025:400) and HSL (1982:763, 2017:30) each had two, so "SoL" alone
is offered without a number and the warning, which needs the number, does not guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lifecycle.rules.laws import find_sfs_numbers

# short name -> (the law as cited in running text, its SFS number when only one law had the name)
SHORT_NAMES: dict[str, tuple[str, str | None]] = {
    "SoL": ("socialtjänstlagen", None),
    "HSL": ("hälso- och sjukvårdslagen", None),
    "LSS": ("lagen om stöd och service till vissa funktionshindrade", "1993:387"),
    "LPT": ("lagen om psykiatrisk tvångsvård", "1991:1128"),
}
_SHORT = re.compile(r"(?<![\w-])(SoL|HSL|LSS|LPT)(?![\w-])")
# the number right after a short name: "SoL (2001:453)", "SoL, SFS 2001:453", "LSS 1993:387"
_NUMBER_AFTER = re.compile(r"[\s(,]{0,4}(?:SFS\s?)?((?:18|19|20)\d\d)\s?:\s?(\d{1,4})(?![\d:])")


@dataclass(frozen=True, slots=True)
class FoundLaw:
    label: str  # as offered to the register: "SoL (2001:453)", "2017:30", "LSS (1993:387)"
    sfs: str | None
    short: str | None


def find_laws(text: str) -> list[FoundLaw]:
    """Every law the text mentions, once each, in order of first mention."""
    found: dict[str, FoundLaw] = {}
    shorts_with_number: set[str] = set()
    for match in _SHORT.finditer(text):
        short = match[1]
        near = _NUMBER_AFTER.match(text, match.end())
        sfs = f"{near[1]}:{int(near[2])}" if near else SHORT_NAMES[short][1]
        key = sfs or short
        if sfs is not None:
            shorts_with_number.add(short)
        if key not in found:
            found[key] = FoundLaw(label=f"{short} ({sfs})" if sfs else short, sfs=sfs, short=short)
    for number in find_sfs_numbers(text):
        if number not in found:
            found[number] = FoundLaw(label=number, sfs=number, short=None)
    # "SoL" alone is said by the numbered mention when there is one ("SoL (2001:453)" ... "SoL")
    laws = [law for law in found.values() if law.sfs is not None or law.short not in shorts_with_number]
    return sorted(laws, key=lambda law: _first_mention(text, law))


def _first_mention(text: str, law: FoundLaw) -> int:
    positions = [text.find(part) for part in (law.short, law.sfs) if part]
    positions = [p for p in positions if p >= 0]
    return min(positions) if positions else len(text)


def law_labels(texts: list[str]) -> list[str]:
    """The labels of the laws found in several texts (an agreement's documents), once each."""
    return [law.label for law in find_laws("\n\n".join(texts))]
