"""A samverkansbrist's handling in an agreement's history reads in Swedish, never as code names."""

from datetime import UTC, datetime

import pytest

from api.pages.history import history_rows

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("action", "what"),
    [
        ("report", "Tog emot rapport om samverkansbrist"),
        ("take", "Tog ansvar för rapport om samverkansbrist"),
        ("send", "Begärde parternas svar på rapport om samverkansbrist"),
        ("answer", "Svarade på rapport om samverkansbrist"),
        ("close", "Stängde rapport om samverkansbrist"),
        ("clear", "Gallrade rapport om samverkansbrist"),
    ],
)
def test_each_step_of_a_reports_handling_has_its_swedish_words(action, what):
    event = {"at": AT, "actor": "x", "action": action, "entity": "failure_report", "after": {}}
    (row,) = history_rows([event])
    assert (row.what, row.party) == (what, "Alla parter")
