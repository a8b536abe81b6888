"""The users' words for dates and parties in the rules' messages (warnings, refusals, deadlines).

A clerk reads "Essunga (1445)" and "1 januari 2023", never a bare code or an ISO date. The web
pages' labels use the same `sv_date`, so a date reads the same on a page and in a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


# What a body did at one meeting, as the decision form, the history and the e-mails say it.
OUTCOMES = {
    "planned": "Planerat sammanträde",
    "adopted": "Antagen",
    "adopted_with_reservation": "Antagen med reservation",
    "rejected": "Avslagen",
    "referred_back": "Återremitterad",
    "postponed": "Bordlagd",
}


def sv_date(value: date) -> str:
    """ "1 januari 2023", as Swedish prose writes a date (Språkrådet: no leading zero, no dot)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def party_label(code: str, names: Mapping[str, str]) -> str:
    """ "Essunga (1445)": the name a clerk knows and the code a register keys by; "part 1445"
    when the name is not known."""
    name = names.get(code)
    return f"{name} ({code})" if name else f"part {code}"


def capitalised(text: str) -> str:
    """The sentence's first letter in upper case: "part 1445 har ..." → "Part 1445 har ..."."""
    return text[:1].upper() + text[1:]


def genitive(name: str) -> str:
    """ "GR:s", "Fyrbodals", "Boråsregionens": Swedish genitive, with a colon after an
    abbreviation and no extra s after s, x or z (Språkrådet)."""
    if name.isupper():
        return f"{name}:s"
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"
