from datetime import date

from cases.rules.analysis import Counted, analyse, quarter


def _r(cat, parties, received, closed=None, measure=None):
    return Counted(cat, parties, received, closed, measure)


def test_quarters_are_named_by_year_and_number():
    assert quarter(date(2026, 1, 1)) == "2026 kv1" and quarter(date(2026, 12, 31)) == "2026 kv4"


def test_counts_open_closed_and_the_median_days_to_close():
    reports = [
        _r("SIP", ("Härryda",), date(2026, 1, 10), date(2026, 1, 20), "follow_up"),  # 10 days
        _r("SIP", ("Härryda", "Västra Götalandsregionen"), date(2026, 2, 1), date(2026, 3, 3)),  # 30 days
        _r("Utskrivning", ("Mölndal",), date(2026, 2, 5), date(2026, 2, 9)),  # 4 days
        _r("Utskrivning", ("Härryda",), date(2026, 8, 1)),
    ]
    result = analyse(reports, {"follow_up": "Ta upp i uppföljningen"})
    assert (result.total.total, result.total.open, result.total.closed) == (4, 1, 3)
    assert result.total.median_days_to_close == 10.0
    assert [(g.label, g.total, g.median_days_to_close) for g in result.by_category] == [
        ("SIP", 2, 20.0),
        ("Utskrivning", 2, 4.0),
    ]
    assert (result.by_party[0].label, result.by_party[0].total) == ("Härryda", 3)
    # every quarter from the first to the last, the empty ones too
    assert [(g.label, g.total) for g in result.by_quarter] == [
        ("2026 kv1", 3),
        ("2026 kv2", 0),
        ("2026 kv3", 1),
    ]
    assert [(g.label, g.total) for g in result.by_measure] == [("Ta upp i uppföljningen", 1)]


def test_no_reports_no_median_and_no_quarters():
    result = analyse([], {})
    assert result.total.total == 0 and result.total.median_days_to_close is None
    assert result.by_quarter == ()


def test_quarters_run_across_a_new_year():
    reports = [_r("A", (), date(2025, 11, 1)), _r("A", (), date(2026, 2, 1))]
    assert [g.label for g in analyse(reports, {}).by_quarter] == ["2025 kv4", "2026 kv1"]


def test_a_follow_up_looks_back_on_the_twelve_months_up_to_and_including_its_day():
    from cases.rules.analysis import follow_up_period

    assert follow_up_period(date(2025, 11, 15)) == (date(2024, 11, 16), date(2025, 11, 15))
    assert follow_up_period(date(2025, 3, 31)) == (date(2024, 4, 1), date(2025, 3, 31))
    assert follow_up_period(date(2025, 2, 28)) == (date(2024, 2, 29), date(2025, 2, 28))  # 2024 leaps
