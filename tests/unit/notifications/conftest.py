from __future__ import annotations

import dataclasses

import pytest
from ics.grammar.parse import GRAMMAR


@pytest.fixture(scope="session", autouse=True)
def _ics_parses_without_colorama() -> None:
    """ics 0.7 parses each content line with a TatSu grammar whose default config has
    `colorize=True`, so every line calls `colorama.init()`, which wraps `sys.stdout` once more. After
    a few thousand lines, writing to stdout recurses past the limit (seen in the hypothesis tests).
    The colour is only for TatSu's traces, which nothing here turns on."""
    GRAMMAR.config = dataclasses.replace(GRAMMAR.config, colorize=False)
