"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106's second recommendation).

Hashing takes tens of milliseconds on purpose; it runs in a thread so the event loop keeps
serving. A sign-in for an unknown address verifies against a dummy hash, so it takes as long as a
wrong password for a known one and the answer does not tell which addresses have accounts.
"""

from __future__ import annotations

import asyncio
import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.errors import InvalidInput

# NIST SP 800-63B 5.1.1.2: at least 8 characters; 10 here because the accounts reach public records'
# source data. No composition rules (same source): length is what counts.
MIN_LENGTH = 10
MAX_LENGTH = 1024  # argon2 would hash a megabyte happily; nobody types one

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("samverkan: no account has this password")


def check_policy(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"Lösenordet måste ha minst {MIN_LENGTH} tecken.", field="password")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"Lösenordet får ha högst {MAX_LENGTH} tecken.", field="password")


async def hash_password(password: str) -> str:
    check_policy(password)
    return await asyncio.to_thread(_hasher.hash, password)


async def rehash(password: str) -> str:
    """A fresh hash of a password that just verified (after the hashing parameters changed)."""
    return await asyncio.to_thread(_hasher.hash, password)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(stored: str | None, password: str) -> bool:
    """True if `password` matches `stored`; with no stored hash, spend the same time and say no."""
    return await asyncio.to_thread(_verify, stored, password[:MAX_LENGTH])


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)
