"""E-mail addresses are checked before any SMTP server sees them."""

from __future__ import annotations

import pytest

from accounts.users import normalise_email
from core.addresses import email_address
from core.errors import InvalidInput
from notifications.addresses import checked_address
from notifications.errors import PermanentDeliveryError


@pytest.mark.parametrize(
    ("address", "checked"),
    [
        ("asa.oberg@harryda.se", "asa.oberg@harryda.se"),
        ("Registrator.KS@Ockero.SE", "Registrator.KS@ockero.se"),  # only the domain is case-free
        ("kommun+samverkan@ale.se", "kommun+samverkan@ale.se"),
        ("  registrator@vgregion.se ", "registrator@vgregion.se"),
        ("info@härryda.se", "info@xn--hrryda-bua.se"),  # IDNA
        ("info@öckerö.se", "info@xn--cker-4qae.se"),
    ],
)
def test_a_valid_address_comes_back_ready_for_the_envelope(address: str, checked: str) -> None:
    assert checked_address(address) == checked


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("", "adressen är tom"),
        ("asa oberg@harryda.se", "den innehåller mellanslag eller styrtecken"),
        ("asa@harryda.se\r\nBcc: x@y.se", "den innehåller mellanslag eller styrtecken"),
        ("Åsa <asa@harryda.se>", "den innehåller mellanslag eller styrtecken"),
        ("asa@harryda.se,bo@ale.se", "den är inte en ensam adress av formen namn@domän"),
        ("asa.harryda.se", "den saknar @ eller delen före eller efter @"),
        ("@harryda.se", "den saknar @ eller delen före eller efter @"),
        ("åsa@harryda.se", "tecken som å, ä och ö före @ kan inte skickas (SMTPUTF8 stöds inte)"),
        ("asa..oberg@harryda.se", "delen före @ är inte giltig"),
        (".asa@harryda.se", "delen före @ är inte giltig"),
        ("a(b)@harryda.se", "den är inte en ensam adress av formen namn@domän"),
        ("asa@harryda", "domänen efter @ är inte ett giltigt domännamn"),
        ("asa@harryda..se", "domänen efter @ är inte ett giltigt domännamn"),
        ("asa@-harryda.se", "domänen efter @ är inte ett giltigt domännamn"),
        ("asa@harryda_kommun.se", "domänen efter @ är inte ett giltigt domännamn"),
        ("asa@10.0.0.1", "domänen efter @ är inte ett giltigt domännamn"),
        ("asa@harryda.s", "domänen efter @ är inte ett giltigt domännamn"),
        ("a" * 65 + "@harryda.se", "delen före @ är inte giltig"),
        ("asa@" + "k" * 64 + ".se", "domänen efter @ är inte ett giltigt domännamn"),
        ("asa@" + ".".join(["kommun"] * 40) + ".se", "adressen är för lång"),
    ],
)
def test_a_broken_address_is_a_permanent_error_saying_what_is_wrong(address: str, problem: str) -> None:
    with pytest.raises(PermanentDeliveryError) as caught:
        checked_address(address)

    assert caught.value.reason == f"Ogiltig e-postadress {address!r}: {problem}."
    assert caught.value.code is None


@pytest.mark.parametrize(
    ("store", "address", "field"),
    [
        (lambda a: email_address(a, "stewards"), "forvaltare@vgregion", "stewards"),
        (email_address, "asa oberg@harryda.se", "email"),
    ],
)
def test_the_same_check_refuses_an_address_as_input_naming_the_field(store, address: str, field: str) -> None:
    # the product's one check: what a sender refuses, a form or the API refuses before storing it
    with pytest.raises(PermanentDeliveryError) as sent:
        checked_address(address)
    with pytest.raises(InvalidInput) as stored:
        store(address)

    assert stored.value.message == sent.value.reason
    assert stored.value.field == field


def test_a_user_address_is_checked_as_any_and_then_lower_cased_in_whole() -> None:
    # users are looked up by address, so theirs is lower-cased in whole; the others keep the
    # local part as written
    assert normalise_email(" Asa.Oberg@Härryda.SE ") == "asa.oberg@xn--hrryda-bua.se"
    with pytest.raises(InvalidInput) as caught:
        normalise_email("asa@harryda")
    assert (
        caught.value.message
        == "Ogiltig e-postadress 'asa@harryda': domänen efter @ är inte ett giltigt domännamn."
    )
