"""E-mail addresses are checked before any SMTP server sees them."""

from __future__ import annotations

import pytest

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
