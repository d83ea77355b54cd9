"""Password hashes: Argon2id (argon2-cffi) with the parameters OWASP's Password Storage Cheat Sheet gives first
(19 MiB of memory, 2 passes, 1 lane), about 25 ms of one core per hash or check here, where Werkzeug's default
scrypt (2^15, 8, 1: below OWASP's minimum of 2^17 for scrypt) took 110 ms.

Hashes made before (Werkzeug's `scrypt:...` and `pbkdf2:...`) are still checked, and replaced at the next login
(`needs_rehash`). The settings `ARGON2_TIME_COST`, `ARGON2_MEMORY_KIB` and `ARGON2_PARALLELISM` choose the
parameters; the test suite lowers them, since every account it makes would cost 25 ms otherwise."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, has_app_context
from werkzeug.security import check_password_hash

OWASP_TIME_COST = 2
OWASP_MEMORY_KIB = 19 * 1024
OWASP_PARALLELISM = 1


class Passwords:
    """One app's hasher, and a hash of nothing to check against when the phone has no account (the same cost)."""

    def __init__(self, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self.hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)

    @cached_property
    def dummy(self) -> str:
        return self.hasher.hash("not-a-password")


_DEFAULT: Passwords | None = None


def init_app(app: Flask) -> None:
    app.extensions["passwords"] = Passwords(
        int(app.config.get("ARGON2_TIME_COST", OWASP_TIME_COST)),
        int(app.config.get("ARGON2_MEMORY_KIB", OWASP_MEMORY_KIB)),
        int(app.config.get("ARGON2_PARALLELISM", OWASP_PARALLELISM)),
    )


def _passwords() -> Passwords:
    global _DEFAULT
    if has_app_context():
        found: Any = current_app.extensions.get("passwords")
        if found is not None:
            return found  # type: ignore[no-any-return]
    if _DEFAULT is None:
        _DEFAULT = Passwords(OWASP_TIME_COST, OWASP_MEMORY_KIB, OWASP_PARALLELISM)
    return _DEFAULT


def hash_password(password: str) -> str:
    return _passwords().hasher.hash(password)


def _is_argon2(stored: str) -> bool:
    return stored.startswith("$argon2")


def verify_password(stored: str, password: str) -> bool:
    """Whether `password` is the one `stored` was made from; an unusable hash ("!", an empty one) matches nothing."""
    if _is_argon2(stored):
        try:
            return _passwords().hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    if stored.startswith(("scrypt:", "pbkdf2:")):
        return check_password_hash(stored, password)
    return False


def spend_a_check(password: str) -> None:
    """As long as a check of a real hash: the answer for an unknown phone must not come sooner."""
    verify_password(_passwords().dummy, password)


def needs_rehash(stored: str) -> bool:
    """A hash made another way or with other parameters, to be replaced once the password is known."""
    return not _is_argon2(stored) or _passwords().hasher.check_needs_rehash(stored)
