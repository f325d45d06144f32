"""Staff passwords: argon2id hashes (argon2-cffi), verified off the event loop."""

from __future__ import annotations

import asyncio
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from bot.errors import InvalidInput

MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024
_HASHER = PasswordHasher()


def check_password_rules(password: str) -> None:
    """Raise ``InvalidInput`` for a password too short or too long to accept."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise InvalidInput(f"the password must have at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise InvalidInput(f"the password must have at most {MAX_PASSWORD_CHARS} characters")


def hash_password(password: str) -> str:
    check_password_rules(password)
    return _HASHER.hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _HASHER.hash("not a real password, only for equal timing")


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an unknown account costs the same time as a wrong password."""
    if len(password) > MAX_PASSWORD_CHARS:
        return False
    try:
        return _HASHER.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    # argon2 takes tens of milliseconds of CPU by design; keep the event loop answering meanwhile.
    return await asyncio.to_thread(verify_password, password_hash, password)
