"""Password hashing: the policy, and no shortcut for addresses without an account."""

from __future__ import annotations

import pytest

from accounts import passwords
from core.errors import InvalidInput


async def test_a_hash_verifies_its_password_and_no_other():
    stored = await passwords.hash_password("rätt-hästbatteri")
    assert stored.startswith("$argon2id$")
    assert await passwords.verify_password(stored, "rätt-hästbatteri") is True
    assert await passwords.verify_password(stored, "fel-hästbatteri") is False


async def test_no_stored_hash_costs_a_verification_all_the_same(monkeypatch):
    # the timing of "unknown address" must match "wrong password": both run argon2 once
    dummy = passwords._dummy_hash()
    calls = []
    real = passwords._hasher

    class Spy:
        def verify(self, stored: str, password: str) -> bool:
            calls.append(stored)
            return real.verify(stored, password)

    monkeypatch.setattr(passwords, "_hasher", Spy())
    assert await passwords.verify_password(None, "vad som helst") is False
    assert calls == [dummy]


async def test_the_dummy_password_itself_signs_nobody_in():
    assert await passwords.verify_password(None, "samverkan: no account has this password") is False


def test_a_password_shorter_than_ten_characters_is_refused():
    with pytest.raises(InvalidInput, match="minst 10 tecken"):
        passwords.check_policy("kort-nio1")
    passwords.check_policy("tio-tecken")
