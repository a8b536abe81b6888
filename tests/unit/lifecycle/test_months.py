"""Month arithmetic (DOMAIN.md rule 5: "31 August + 6 months = 28/29 February")."""

from __future__ import annotations

import ast
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifecycle.rules.months import (
    add_months,
    add_months_eom,
    add_years,
    days_in_month,
    is_month_end,
    month_end,
)

DAYS = st.dates(date(2000, 1, 1), date(2100, 12, 31))
MONTHS = st.integers(-1200, 1200)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 8, 31), 6, date(2025, 2, 28)),  # DOMAIN.md rule 5
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # ... into a leap year
        (date(2029, 12, 31), -18, date(2028, 6, 30)),  # seed 003's second notice deadline
        (date(2026, 12, 31), -18, date(2025, 6, 30)),  # seed 003's first notice deadline
        (date(2018, 4, 1), 6, date(2018, 10, 1)),  # seeds 000/001: six months' notice from the start
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2025, 11, 15), 2, date(2026, 1, 15)),
        (date(2026, 1, 15), -2, date(2025, 11, 15)),
        (date(2025, 3, 15), 0, date(2025, 3, 15)),
        (date(2025, 12, 31), 12, date(2026, 12, 31)),
        (date(2025, 5, 31), -3, date(2025, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2027, 1, 1), 3, date(2030, 1, 1)),
        (date(2025, 6, 30), -1, date(2024, 6, 30)),
    ],
)
def test_add_years_moves_29_february_to_28_february_in_a_common_year(start, years, expected):
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 6, 30), 18, date(2026, 12, 31)),
        (date(2026, 12, 31), -18, date(2025, 6, 30)),
        (date(2027, 2, 28), -6, date(2026, 8, 31)),
        (date(2023, 2, 28), 12, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 28), 12, date(2025, 2, 28)),  # not a month end in a leap year
        (date(2025, 6, 15), 18, date(2026, 12, 15)),
    ],
)
def test_add_months_eom_keeps_a_month_end_on_the_month_end(start, months, expected):
    assert add_months_eom(start, months) == expected


@pytest.mark.parametrize(
    ("day", "end", "is_end"),
    [
        (date(2024, 2, 10), date(2024, 2, 29), False),
        (date(2024, 2, 29), date(2024, 2, 29), True),
        (date(2025, 2, 28), date(2025, 2, 28), True),
        (date(2025, 4, 30), date(2025, 4, 30), True),
        (date(2025, 12, 1), date(2025, 12, 31), False),
    ],
)
def test_month_end_is_the_last_day_of_the_month(day, end, is_end):
    assert month_end(day) == end
    assert is_month_end(day) is is_end


@given(DAYS, MONTHS)
def test_add_months_moves_whole_months_and_never_overflows_the_month_end(start, months):
    moved = add_months(start, months)

    assert (moved.year * 12 + moved.month) - (start.year * 12 + start.month) == months
    assert moved.day == min(start.day, days_in_month(moved.year, moved.month))


@given(DAYS.filter(lambda d: d.day <= 28), MONTHS)
def test_add_months_round_trips_for_days_that_every_month_has(start, months):
    assert add_months(add_months(start, months), -months) == start


@given(DAYS, MONTHS)
def test_add_months_eom_maps_month_ends_to_month_ends_and_round_trips_them(start, months):
    end = month_end(start)

    assert is_month_end(add_months_eom(end, months))
    assert add_months_eom(add_months_eom(end, months), -months) == end


# The modules this suite covers; STYLE.md: keep lifecycle/ pure by a check, not by memory.
RULE_MODULES = ("months", "term", "entry", "laws", "validity", "versions", "deadlines", "reminders")
RULES_DIR = Path(__file__).resolve().parents[3] / "lifecycle" / "rules"


@pytest.mark.parametrize("module", RULE_MODULES)
def test_rule_module_imports_only_the_standard_library_core_errors_and_other_rules(module):
    tree = ast.parse((RULES_DIR / f"{module}.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}

    foreign = {
        name
        for name in imported
        if name.split(".")[0] not in sys.stdlib_module_names
        and name != "core.errors"
        and not name.startswith("lifecycle.rules.")
    }
    assert foreign == set()


@pytest.mark.parametrize("module", RULE_MODULES)
def test_rule_module_never_reads_the_clock(module):
    source = (RULES_DIR / f"{module}.py").read_text(encoding="utf-8")

    for clock in ("today(", "now(", "time.time", "core.clock", "utcnow"):
        assert clock not in source
