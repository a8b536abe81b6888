"""The identity-number check of the report form: what counts, what does not, and the message."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cases.rules.personnummer import find_identity_numbers, luhn_ok, refusal_sv


def _texts(text: str) -> list[str]:
    return [f.text for f in find_identity_numbers(text)]


def test_skatteverkets_example_number_is_found_with_a_hyphen():
    assert _texts("Patienten 121212-1212 skrevs ut") == ["121212-1212"]


def test_a_number_with_the_century_and_no_separator_is_found():
    assert _texts("pnr 191212121212.") == ["191212121212"]


def test_a_number_with_the_century_and_a_hyphen_is_found():
    assert _texts("19121212-1212") == ["19121212-1212"]


def test_a_ten_digit_number_without_separator_is_found():
    assert _texts("nr 8112289874 i journalen") == ["8112289874"]


def test_a_plus_sign_for_someone_over_a_hundred_is_found():
    assert _texts("född 121212+1212") == ["121212+1212"]


def test_a_space_around_the_separator_is_still_a_number():
    assert _texts("811228 - 9874") == ["811228 - 9874"]


def test_a_wrong_check_digit_is_not_an_identity_number():
    assert _texts("121212-1213 och 811228-9875") == []


def test_a_samordningsnummer_has_sixty_added_to_the_day():
    (finding,) = find_identity_numbers("samordningsnummer 701063-2391")
    assert finding.samordningsnummer and finding.text == "701063-2391"


def test_a_day_past_ninety_one_is_no_samordningsnummer():
    ten = _with_check_digit("701092239")  # day 92 - 60 = 32: no month has it
    assert _texts(f"{ten[:6]}-{ten[6:]}") == []


def test_a_date_that_does_not_exist_is_not_an_identity_number_even_with_a_right_check_digit():
    # 1981-02-30 does not exist; the check digit is computed to pass
    digits = "810230123"
    check = next(str(d) for d in range(10) if luhn_ok(digits + str(d)))
    assert _texts(f"{digits[:6]}-{digits[6:]}{check}") == []


def test_the_29th_of_february_counts_only_in_a_leap_year_when_the_century_is_written():
    digits = "000229123"
    check = next(str(d) for d in range(10) if luhn_ok(digits + str(d)))
    assert _texts(f"20{digits}{check}") == [f"20{digits}{check}"]
    assert _texts(f"19{digits}{check}") == []  # 1900 was no leap year


def test_dates_and_case_numbers_are_not_identity_numbers():
    text = "Händelsen 2026-11-23, dnr 2021-00198, KS 2022/123, tel 08-123 456 78, 20261123"
    assert _texts(text) == []


def test_a_longer_run_of_digits_is_not_cut_into_a_number():
    assert _texts("kontonummer 1121212121212") == []


def test_the_refusal_says_which_part_to_remove():
    message = refusal_sv("Vad hände", find_identity_numbers("Hon (19121212-1212) fick vänta"))
    assert message.startswith("Vad hände innehåller ett personnummer (”19121212-1212”). Ta bort det")


def _with_check_digit(nine: str) -> str:
    return nine + next(str(d) for d in range(10) if luhn_ok(nine + str(d)))


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 12, 31)),
    serial=st.integers(min_value=0, max_value=999),
    samordning=st.booleans(),
    form=st.sampled_from(["short-hyphen", "short-bare", "long-bare", "long-hyphen"]),
    before=st.text(alphabet="abc ,.()åäö", max_size=20),
    after=st.text(alphabet="abc ,.()åäö", max_size=20),
)
def test_a_generated_valid_number_is_always_found(born, serial, samordning, form, before, after):
    day = born.day + (60 if samordning else 0)
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    ten = _with_check_digit(nine)
    written = {
        "short-hyphen": f"{ten[:6]}-{ten[6:]}",
        "short-bare": ten,
        "long-bare": f"{born.year // 100}{ten}",
        "long-hyphen": f"{born.year // 100}{ten[:6]}-{ten[6:]}",
    }[form]
    findings = find_identity_numbers(f"{before} {written} {after}")
    assert [f.text for f in findings] == [written]
    assert findings[0].samordningsnummer is samordning


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_an_iso_date_alone_is_never_refused(day):
    assert _texts(f"den {day.isoformat()} och {day + timedelta(days=1):%Y%m%d}") == []
