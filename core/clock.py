"""The one clock of the code base.

Every `now`/`today` in samverkan comes from here; rules take `today` as a parameter and never read
the clock themselves. Calendar dates are Swedish dates: `today()` is the date in Europe/Stockholm.

Tests and demos move time with `freeze(...)` (in-process) or the `SAMVERKAN_TODAY` setting
(a whole process, e.g. a worker started for a demo of a reminder two years ahead).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

_frozen: datetime | None = None


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    if _frozen is not None:
        return _frozen
    from core.settings import get_settings  # settings import nothing of ours; kept lazy for tests

    fixed = get_settings().today
    if fixed is not None:
        # noon in Stockholm on the fixed day: far from both midnights and DST changes
        return datetime.combine(fixed, time(12), STOCKHOLM).astimezone(UTC)
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Europe/Stockholm."""
    return now().astimezone(STOCKHOLM).date()


@contextlib.contextmanager
def freeze(at: datetime | date) -> Iterator[None]:
    """Hold the clock at `at` (a date means noon in Stockholm that day) inside the block."""
    global _frozen
    if isinstance(at, datetime):
        instant = at if at.tzinfo else at.replace(tzinfo=STOCKHOLM)
    else:
        instant = datetime.combine(at, time(12), STOCKHOLM)
    previous, _frozen = _frozen, instant.astimezone(UTC)
    try:
        yield
    finally:
        _frozen = previous
