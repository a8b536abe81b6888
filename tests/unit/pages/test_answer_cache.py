"""What a process keeps (core/kept.py), as the anonymous readers' answer cache of
api/conditional.py uses it: bounded by bytes, least recently used first out."""

from __future__ import annotations

from api.conditional import _LARGEST
from core.kept import Kept


def answers(limit: int) -> Kept[str, tuple[str, bytes]]:
    """As api.conditional.answers: (content type, body) by ETag, counted by the body."""
    return Kept(limit, size=lambda a: len(a[1]), largest=_LARGEST)


def test_the_least_recently_used_answer_goes_first_when_the_bytes_run_out() -> None:
    cache = answers(limit=10)
    cache.put('"a"', ("text/html", b"aaaa"))
    cache.put('"b"', ("text/html", b"bbbb"))
    assert cache.get('"a"') == ("text/html", b"aaaa")  # a is now the most recently used
    cache.put('"c"', ("application/json", b"cccc"))  # 12 bytes: b goes
    assert cache.get('"b"') is None
    assert cache.get('"a"') is not None and cache.get('"c"') == ("application/json", b"cccc")
    assert cache.size == 8


def test_an_answer_is_kept_once_and_a_huge_one_not_at_all() -> None:
    cache = answers(limit=100 * 1024 * 1024)
    cache.put('"a"', ("text/html", b"first"))
    cache.put('"a"', ("text/html", b"second"))
    assert cache.get('"a"') == ("text/html", b"first") and cache.size == 5
    cache.put('"big"', ("text/html", b"x" * (9 * 1024 * 1024)))
    assert cache.get('"big"') is None and cache.size == 5
    cache.clear()
    assert cache.get('"a"') is None and cache.size == 0


def test_a_kept_value_is_replaced_in_place_and_counted_anew() -> None:
    cache = answers(limit=100)
    cache.replace('"none"', ("text/html", b"x"))  # nothing kept under it: nothing to replace
    assert cache.get('"none"') is None and cache.size == 0
    cache.put('"a"', ("text/html", b"four"))
    cache.replace('"a"', ("text/html", b"eight!!!"))
    assert cache.get('"a"') == ("text/html", b"eight!!!") and cache.size == 8
