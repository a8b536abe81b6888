"""RFC 5545 content lines: value escaping, value formats and line folding (pure).

Why not `icalendar`'s serializer: a party feed of 5,000 deadlines took 2.6 s (median) through
`icalendar` 7.3's `Calendar.to_ical()` on the build machine, a third of it in its per-character line
folding and the rest in building and serializing property objects, against a budget of 100 ms. This
module writes the same feed in 62 ms (bench/feed_bench.py, 2 CPUs, load 0.7). `icalendar` stays
the reference: the bench checks that icalendar decodes our feed exactly as it decodes its own
rendering of it, and the tests parse every feed back with icalendar and the independent `ics`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache

# RFC 5545 3.1: "Lines of text SHOULD NOT be longer than 75 octets, excluding the line break."
FOLD_LIMIT = 75

# RFC 5545 3.3.11 (TEXT): backslash, semicolon and comma are escaped, a line break becomes "\n".
# Other control characters are not allowed in TEXT at all (TSAFE-CHAR excludes CONTROL except
# HTAB), so text pasted from a word processor (vertical tab, form feed...) loses them.
_TEXT_SPECIAL = re.compile(r"[\\;,\x00-\x1f\x7f]")
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # all but HTAB, after line breaks became \n
_URI_FORBIDDEN = re.compile(r"[\x00-\x20\x7f]")
_ONE_DAY = timedelta(days=1)


def escape_text(value: str) -> str:
    """A TEXT value (SUMMARY, DESCRIPTION, UID, NAME...) escaped for a content line."""
    # Most values need nothing; a search is several times cheaper than the replaces below.
    if _TEXT_SPECIAL.search(value) is None:
        return value
    if "\\" in value:
        value = value.replace("\\", "\\\\")  # first, so that the escapes below stay single
    value = value.replace(";", "\\;").replace(",", "\\,")
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\n", "\\n")
    # isprintable() is false for every control character and scans faster than the search (0.65
    # against 1.1 µs for a 250-character description, measured); a tab or a non-breaking space
    # also makes it false, and then the search decides.
    if value.isprintable() or _CONTROLS.search(value) is None:
        return value
    return _CONTROLS.sub("", value)


def escape_text_list(values: Iterable[str]) -> str:
    """A multi-valued TEXT property (CATEGORIES): values escaped, joined by unescaped commas."""
    items = list(values)
    if _TEXT_SPECIAL.search("".join(items)) is None:  # the usual case: nothing to escape in any
        return ",".join(items)
    return ",".join([escape_text(item) for item in items])


def uri(value: str) -> str:
    """A URI value (URL): written as it is (RFC 5545 3.3.13), so it must not break the line."""
    if _URI_FORBIDDEN.search(value):
        raise ValueError(f"a URI cannot contain spaces or control characters: {value!r}")
    return value


@lru_cache(maxsize=4096)
def all_day(day: date) -> bytes:
    """DTSTART and DTEND of an all-day event on `day` (DTEND is exclusive: the next day).

    Cached: a feed's deadlines share their days (month ends, the same meeting dates).
    """
    return b"DTSTART;VALUE=DATE:%b\r\nDTEND;VALUE=DATE:%b" % (format_date(day), format_date(day + _ONE_DAY))


def format_date(day: date) -> bytes:
    """A DATE value: 20280630. (isoformat is C code; f-string padding was 4x slower, measured.)"""
    return day.isoformat().replace("-", "").encode()


def format_utc(instant: datetime) -> bytes:
    """An aware instant as a UTC DATE-TIME ("form #2", RFC 5545 3.3.5), seconds precision."""
    if instant.tzinfo is None:
        raise ValueError(f"a naive datetime has no defined instant: {instant!r}")
    # gmtime of the POSIX timestamp: a third faster than astimezone(UTC) + formatting (measured)
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(instant.timestamp())).encode()


def fold(line: str) -> bytes:
    """One content line in UTF-8, folded so that no physical line exceeds 75 octets.

    A continuation line starts with one space, which counts towards its 75. Folds never split a
    UTF-8 sequence (RFC 5545 3.1 "SHOULD NOT"), nor a backslash escape (Outlook and some older
    clients mis-read "\\" + fold + ","; icalendar avoids it too, its issue #1501).
    """
    raw = line.encode()
    end = len(raw)
    if end <= FOLD_LIMIT:
        return raw
    parts = []
    start, cut = 0, FOLD_LIMIT
    while cut < end:
        while raw[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back off to its lead byte
            cut -= 1
        if raw[cut - 1] == 0x5C:  # 0x5C is "\\"; an odd run of them ends in an escape
            backslashes = 1
            while raw[cut - 1 - backslashes] == 0x5C:
                backslashes += 1
            cut -= backslashes % 2
        parts.append(raw[start:cut])
        start, cut = cut, cut + FOLD_LIMIT - 1  # the next line's leading space is one of its 75
    parts.append(raw[start:])
    return b"\r\n ".join(parts)
