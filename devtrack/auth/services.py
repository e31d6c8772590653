"""Signing in, slowing guessing down, ending sessions and one-time password links."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Integer, Select, String, bindparam, delete, select, update
from sqlalchemy.orm import undefer

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.auth.models import SigninSession
from devtrack.auth.passwords import hash_password, needs_rehash, verify_password
from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.limits.services import (
    Backoff,
    count_failed_signin,
    forget_attempts,
    seconds_to_wait,
    take_attempt,
)
from devtrack.people.models import PasswordLink, Person


@dataclass(frozen=True)
class SigninOutcome:
    person: Person | None
    # Seconds before this e-mail may try again from here; the same for known and unknown e-mails.
    wait_seconds: int = 0
    # False when the attempt had to wait and the password was not even checked.
    checked: bool = True


PASSWORD_SIGNIN_MODES = ("everyone", "admins", "off")


def password_signin_mode() -> str:
    """Who may sign in with a password (`PASSWORD_SIGNIN`): everyone, administrators, no one."""
    mode = str(current_app.config["PASSWORD_SIGNIN"]).strip().lower()
    return mode if mode in PASSWORD_SIGNIN_MODES else "everyone"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> Person | None:
    return db.session.scalar(
        select(Person)
        .where(Person.email == normalise_email(email))
        .options(undefer(Person.password_hash))
    )


def _backoff(free: int) -> Backoff:
    config = current_app.config
    return Backoff(
        free=free,
        first_wait=int(config["SIGNIN_FIRST_WAIT_SECONDS"]),
        max_wait=int(config["SIGNIN_MAX_WAIT_SECONDS"]),
        memory=int(config["SIGNIN_FAILURE_MEMORY_HOURS"]) * 3600,
    )


def _signin_keys(email: str, address: str) -> list[tuple[str, Backoff]]:
    """Failures are counted per e-mail from one address, and (with a higher limit) per e-mail.

    Keyed by the typed e-mail, not the person, so an unknown e-mail is treated exactly like a
    known one. A guesser's failures slow down the guesser's address; an account is slowed for
    everyone only after many failures from many addresses, and then only for a while.
    """
    config = current_app.config
    return [
        (f"signin:{email}|{address}", _backoff(int(config["SIGNIN_FREE_FAILURES"]))),
        (f"signin:{email}", _backoff(int(config["SIGNIN_ACCOUNT_FREE_FAILURES"]))),
    ]


def authenticate(email: str, password: str, address: str) -> SigninOutcome:
    """Check a sign-in. The outcome never says whether the e-mail exists.

    Every attempt is counted before the password is checked (atomically, in the database, so
    parallel attempts cannot slip past the count); a success forgets the failures.
    """
    email = normalise_email(email)
    keys = _signin_keys(email, address)
    person = find_by_email(email)
    for key, backoff in keys:
        wait = take_attempt(key, backoff)
        if wait:
            log_access(AccessAction.SIGNIN_FAILED, subject=person, actor=person, detail="waiting")
            current_app.logger.warning("Sign-in refused: too many failures, wait %d s", wait)
            return SigninOutcome(None, wait_seconds=wait, checked=False)
    password_ok = verify_password(person.password_hash if person else None, password)
    # With single sign-on in use, passwords may be kept for a break-glass administrator only.
    allowed = person is not None and (password_signin_mode() == "everyone" or person.is_admin)
    if person is None or not password_ok or not person.active or not allowed:
        count_failed_signin()
        if person is None:
            detail = "unknown e-mail"
        elif not person.active:
            detail = "deactivated"
        else:
            detail = "wrong password" if not password_ok else "password sign-in for admins only"
        log_access(AccessAction.SIGNIN_FAILED, subject=person, actor=person, detail=detail)
        current_app.logger.warning("Failed sign-in (%s)", detail)
        db.session.flush()
        return SigninOutcome(None, wait_seconds=max(seconds_to_wait(key) for key, _b in keys))
    forget_attempts(*(key for key, _backoff in keys))
    person.last_signin_at = utcnow()
    if person.password_hash and needs_rehash(person.password_hash):
        person.password_hash = hash_password(password)
    log_access(AccessAction.SIGNIN, subject=person, actor=person)
    db.session.flush()
    return SigninOutcome(person)


def check_current_password(person: Person, password: str) -> SigninOutcome:
    """Changing the password asks for the current one: its guesses are slowed down the same way."""
    key = f"password-change:{person.id}"
    wait = take_attempt(key, _backoff(int(current_app.config["SIGNIN_FREE_FAILURES"])))
    if wait:
        return SigninOutcome(None, wait_seconds=wait, checked=False)
    if not verify_password(person.password_hash, password):
        log_access(
            AccessAction.SIGNIN_FAILED, subject=person, object_type="password", detail="wrong"
        )
        db.session.flush()
        return SigninOutcome(None, wait_seconds=seconds_to_wait(key))
    forget_attempts(key)
    return SigninOutcome(person)


def set_password(person: Person, password: str) -> None:
    """Store a new password and end every session of the person (the caller may start one)."""
    person.password_hash = hash_password(password)
    log_access(AccessAction.UPDATE, subject=person, object_type="password", object_id=person.id)
    end_all_sessions(person)


def start_session(person: Person) -> str:
    """A new signed-in session; the returned token goes in the person's session cookie."""
    # Ended sessions are of no further use: a person keeps only their open ones.
    db.session.execute(
        delete(SigninSession).where(
            SigninSession.person_id == person.id, SigninSession.ended_at.is_not(None)
        )
    )
    token = secrets.token_urlsafe(32)
    db.session.add(SigninSession(person_id=person.id, token_hash=_token_hash(token)))
    db.session.flush()
    return token


def session_token_hash(token: str) -> str:
    return _token_hash(token)


def open_session_statement(extras: Sequence[Any] = ()) -> Select[Any]:
    """The query `person_of_open_session` runs, with the `extras` (scalar subqueries of the
    person) in it. Every request runs it: build it once and hand it over (building it costs
    more than running it)."""
    return (
        select(Person, *extras)
        .join(SigninSession, SigninSession.person_id == Person.id)
        .where(
            Person.id == bindparam("person_id", type_=Integer),
            SigninSession.token_hash == bindparam("token_hash", type_=String),
            SigninSession.ended_at.is_(None),
        )
    )


def person_of_open_session(
    person_id: int, token: str, statement: Select[Any] | None = None
) -> tuple[Person, tuple[Any, ...]] | None:
    """The person whose session `token` is still open on the server (signing out ends it
    there), with the extras of `statement` (see `open_session_statement`), or None."""
    found = db.session.execute(
        statement if statement is not None else open_session_statement(),
        {"person_id": person_id, "token_hash": _token_hash(token)},
    ).first()
    if found is None:
        return None
    return found[0], tuple(found[1:])


def end_session(token: str) -> None:
    """Sign-out: the session ends on the server, so a copy of the cookie opens nothing."""
    db.session.execute(
        update(SigninSession)
        .where(SigninSession.token_hash == _token_hash(token), SigninSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    db.session.flush()


def end_all_sessions(person: Person) -> None:
    """Sign out everywhere: every browser the person is signed in on, this one included."""
    person.session_version += 1
    db.session.execute(
        update(SigninSession)
        .where(SigninSession.person_id == person.id, SigninSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    db.session.flush()


def open_sessions(person: Person) -> int:
    return len(
        db.session.scalars(
            select(SigninSession.id).where(
                SigninSession.person_id == person.id, SigninSession.ended_at.is_(None)
            )
        ).all()
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_password_link(person: Person, issued_by: Person | None) -> str:
    """Create a one-time link token; only its hash is stored. Older unused links stop working."""
    now = utcnow()
    for link in db.session.scalars(
        select(PasswordLink).where(
            PasswordLink.person_id == person.id, PasswordLink.used_at.is_(None)
        )
    ):
        link.used_at = now
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordLink(
            person=person,
            token_hash=_token_hash(token),
            created_by_id=issued_by.id if issued_by else None,
            expires_at=now + timedelta(hours=int(current_app.config["PASSWORD_LINK_HOURS"])),
        )
    )
    log_access(
        AccessAction.CREATE, subject=person, object_type="password_link", object_id=person.id
    )
    db.session.flush()
    return token


def valid_password_link(token: str) -> PasswordLink | None:
    link: PasswordLink | None = db.session.scalar(
        select(PasswordLink).where(PasswordLink.token_hash == _token_hash(token))
    )
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    if not link.person.active:
        return None
    return link


def use_password_link(link: PasswordLink, password: str) -> None:
    link.used_at = utcnow()
    set_password(link.person, password)
