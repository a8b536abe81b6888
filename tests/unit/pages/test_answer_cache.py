"""The anonymous readers' answer cache (api/conditional.py): bounded by bytes, least recently used
first out."""

from __future__ import annotations

from api.conditional import AnswerCache


def test_the_least_recently_used_answer_goes_first_when_the_bytes_run_out() -> None:
    cache = AnswerCache(limit=10)
    cache.put('"a"', "text/html", b"aaaa")
    cache.put('"b"', "text/html", b"bbbb")
    assert cache.get('"a"') == ("text/html", b"aaaa")  # a is now the most recently used
    cache.put('"c"', "application/json", b"cccc")  # 12 bytes: b goes
    assert cache.get('"b"') is None
    assert cache.get('"a"') is not None and cache.get('"c"') == ("application/json", b"cccc")
    assert cache.size == 8


def test_an_answer_is_kept_once_and_a_huge_one_not_at_all() -> None:
    cache = AnswerCache(limit=100 * 1024 * 1024)
    cache.put('"a"', "text/html", b"first")
    cache.put('"a"', "text/html", b"second")
    assert cache.get('"a"') == ("text/html", b"first") and cache.size == 5
    cache.put('"big"', "text/html", b"x" * (9 * 1024 * 1024))
    assert cache.get('"big"') is None and cache.size == 5
    cache.clear()
    assert cache.get('"a"') is None and cache.size == 0
