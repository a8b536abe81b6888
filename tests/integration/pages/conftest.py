from __future__ import annotations

from datetime import date

import pytest

from core.clock import freeze

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today():
    with freeze(TODAY):
        yield
