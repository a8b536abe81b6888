"""Reminder policies as stored JSON: labels, layers, and the rows the sweep reads."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import InvalidInput
from lifecycle.rules.reminders import DEFAULT_POLICY, Lead
from notifications.policy import DEFAULT, build_rows, parse_lead, parse_policy, policy_json


@pytest.mark.parametrize(
    ("label", "lead"),
    [
        ("6m", Lead(6)),
        ("1m", Lead(1)),
        ("7d", Lead(0, 7)),
        ("0d", Lead()),
        ("1m7d", Lead(1, 7)),
        (" 24m ", Lead(24)),
    ],
)
def test_a_lead_label_reads_as_months_and_days(label, lead):
    assert parse_lead(label) == lead


@pytest.mark.parametrize("label", ["", "m", "6", "7d1m", "sex", "-1m", "1y", "1m 7d", 6])
def test_a_lead_label_that_is_not_months_and_days_is_refused_in_swedish(label):
    with pytest.raises(InvalidInput, match="Ogiltig ledtid"):
        parse_lead(label)


@given(st.integers(0, 999), st.integers(0, 9999))
def test_a_lead_reads_back_from_its_own_label(months, days):
    lead = Lead(months, days)
    assert parse_lead(lead.label) == lead


def test_a_policy_is_checked_and_its_leads_sorted_latest_first():
    assert parse_policy({"notice": ["0d", "6m", "7d", "6m"], "planned_meeting": []}) == {
        "notice": (Lead(6), Lead(0, 7), Lead()),
        "planned_meeting": (),
    }
    assert parse_policy('{"notice:6": ["3m"]}') == {"notice:6": (Lead(3),)}
    assert parse_policy("{}") == {}


@pytest.mark.parametrize(
    "raw", [[], {"notice": "6m"}, {"fika": ["1m"]}, {"term_end:6": ["1m"]}, {"notice:x": []}]
)
def test_a_policy_of_the_wrong_shape_or_kind_is_refused(raw):
    with pytest.raises(InvalidInput):
        parse_policy(raw)


def test_the_default_policy_as_json_is_the_domains_lead_times():
    as_json = policy_json(DEFAULT_POLICY)
    assert as_json["notice"] == ["6m", "1m", "7d", "0d"]  # 24, 19, 18 months before the end
    assert as_json["notice:6"] == ["3m", "1m", "7d", "0d"]  # 9, 7, 6 months before the end
    assert as_json["follow_up_implementation"] == ["1m"]


def test_rows_name_each_merged_policy_and_keep_an_emptied_kind_as_a_row_without_a_lead():
    rows = build_rows([(7, {"planned_meeting": []}), (8, {})], [(42, 7, {"notice": ["2m"]}), (43, 8, "{}")])
    # structures and agreements without overrides use the default rows
    assert rows.by_structure == {7: "s7"}
    assert rows.by_agreement == {42: "a42"}
    table = list(zip(rows.name, rows.key, rows.months, rows.days, rows.label, strict=True))
    assert ("s7", "planned_meeting", None, None, None) in table
    assert ("a42", "planned_meeting", None, None, None) in table  # the structure's layer holds
    assert [r for r in table if r[0] == "a42" and r[1] == "notice"] == [("a42", "notice", 2, 0, "2m")]
    # "notice:6" stays the default's for the agreement: its own "notice" entry does not replace it
    assert ("a42", "notice:6", 3, 0, "3m") in table
    assert (DEFAULT, "notice", 6, 0, "6m") in table
    assert (rows.max_months(), rows.max_days()) == (6, 7)


def test_a_broken_agreement_override_falls_back_to_the_defaults_instead_of_stopping_the_sweep():
    rows = build_rows([], [(42, 1, {"notice": ["sex månader"]})])
    assert rows.by_agreement == {}
