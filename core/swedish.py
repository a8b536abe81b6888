"""Swedish dates as people write them: "30 juni 2028", "1 juli 2026 kl. 00.30" (pure).

Shared by the web pages, the e-mails and the rules' messages, so every place writes a date the
same way.
"""

from __future__ import annotations

from datetime import date, datetime

from core.clock import STOCKHOLM

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


def sv_date(value: date | datetime | None, empty: str = "–") -> str:
    """ "23 november 2026"; an instant as its date in Stockholm."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = value.astimezone(STOCKHOLM).date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def sv_datetime(value: datetime | None) -> str:
    if value is None:
        return "–"
    local = value.astimezone(STOCKHOLM)
    return f"{sv_date(local.date())} kl. {local:%H.%M}"
