"""Webhook signatures: Stripe's scheme, checked the way a receiver checks it."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from notifications.signature import sign, verify

BODY = '{"agreement":{"id":41,"title":"Hälso- och sjukvårdsavtalet"},"kind":"deadline.reminder"}'.encode()
SECRET = "whsec_härryda_2026"
SENT = 1_795_426_200  # 2026-11-23 09:30:00 UTC


def test_the_header_is_the_timestamp_and_the_hmac_of_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET.encode(), b"1795426200." + BODY, hashlib.sha256).hexdigest()

    assert sign(BODY, SECRET, SENT) == f"t=1795426200,v1={expected}"


def test_a_signed_body_verifies_with_the_same_secret() -> None:
    assert verify(BODY, sign(BODY, SECRET, SENT), SECRET, now=SENT + 2) is True


def test_a_tampered_body_fails() -> None:
    header = sign(BODY, SECRET, SENT)

    assert verify(BODY.replace(b"41", b"42"), header, SECRET, now=SENT) is False
    assert verify(BODY + b" ", header, SECRET, now=SENT) is False


def test_another_secret_fails() -> None:
    assert verify(BODY, sign(BODY, SECRET, SENT), "whsec_ale_2026", now=SENT) is False


def test_a_changed_timestamp_fails_even_within_the_tolerance() -> None:
    digest = sign(BODY, SECRET, SENT).partition(",")[2]

    assert verify(BODY, f"t={SENT + 1},{digest}", SECRET, now=SENT) is False


def test_a_signature_five_minutes_old_still_verifies_and_one_second_more_is_stale() -> None:
    header = sign(BODY, SECRET, SENT)

    assert verify(BODY, header, SECRET, now=SENT + 300) is True
    assert verify(BODY, header, SECRET, now=SENT + 301) is False


def test_a_signature_from_too_far_in_the_future_fails() -> None:
    assert verify(BODY, sign(BODY, SECRET, SENT + 301), SECRET, now=SENT) is False


def test_the_tolerance_can_be_narrowed() -> None:
    assert verify(BODY, sign(BODY, SECRET, SENT), SECRET, now=SENT + 31, tolerance=30) is False


def test_during_a_secret_rotation_one_matching_signature_of_several_is_enough() -> None:
    old = sign(BODY, "whsec_old", SENT).partition(",")[2]
    header = f"{sign(BODY, SECRET, SENT)},{old}"

    assert verify(BODY, header, SECRET, now=SENT) is True
    assert verify(BODY, header, "whsec_old", now=SENT) is True


@pytest.mark.parametrize(
    "header",
    [
        "",
        "v1=0123",
        "t=1795426200",
        "t=soon,v1=0123",
        "t=-1795426200,v1=0123",
        "t=１７９５４２６２００,v1=0123",  # full-width digits are digits to str.isdigit
        "garbage",
    ],
)
def test_a_malformed_header_fails(header: str) -> None:
    assert verify(BODY, header, SECRET, now=SENT) is False


def test_a_header_with_a_scheme_we_do_not_know_only_counts_its_v1() -> None:
    header = f"{sign(BODY, SECRET, SENT)},v0=deadbeef"

    assert verify(BODY, header, SECRET, now=SENT) is True
