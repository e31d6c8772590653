"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _


class _Hashing(NamedTuple):
    hasher: PasswordHasher
    # Verified when the e-mail is unknown, so a wrong e-mail costs the same time as a wrong
    # password.
    dummy_hash: str


@cache
def _hashing_with(time_cost: int, memory_kib: int, parallelism: int) -> _Hashing:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
    return _Hashing(hasher, hasher.hash("devtrack-timing-equaliser"))


def _hashing() -> _Hashing:
    """argon2id at the costs the configuration names (PASSWORD_HASH_*)."""
    config = current_app.config
    return _hashing_with(
        int(config["PASSWORD_HASH_TIME_COST"]),
        int(config["PASSWORD_HASH_MEMORY_KIB"]),
        int(config["PASSWORD_HASH_PARALLELISM"]),
    )


def hash_password(password: str) -> str:
    return _hashing().hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    hasher, dummy_hash = _hashing()
    try:
        return hasher.verify(password_hash or dummy_hash, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hashing().hasher.check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """What is wrong with a proposed password, in the user's language; empty when it is fine."""
    problems = []
    minimum = int(current_app.config["PASSWORD_MIN_LENGTH"])
    if len(password) < minimum:
        problems.append(_("Adgangskoden skal være på mindst %(count)d tegn.", count=minimum))
    lowered = password.lower()
    core = re.sub(r"[\d\W_]+$", "", lowered)  # "sommer2026!" is still "sommer"
    common = common_passwords()
    if lowered in common or (core and core in common) or len(set(lowered)) <= 2:
        problems.append(
            _("Adgangskoden er for almindelig og nem at gætte. Vælg en anden, fx en sætning.")
        )
    personal = [part for part in re.split(r"[\s@.]+", f"{email} {name}".lower()) if len(part) >= 4]
    if any(part in lowered for part in personal):
        problems.append(_("Adgangskoden må ikke indeholde dit navn eller din e-mail."))
    return problems
