"""Signing in, slowing guessing down, ending sessions and one-time password links."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.auth.models import SigninSession
from devtrack.auth.passwords import hash_password, needs_rehash, verify_password
from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.people.models import PasswordLink, Person


@dataclass(frozen=True)
class SigninOutcome:
    person: Person | None
    locked: bool = False


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == normalise_email(email)))


def authenticate(email: str, password: str) -> SigninOutcome:
    """Check a sign-in. The outcome never says whether the e-mail exists.

    Failures count on the person's row, in the database, so a lock holds across workers and
    hosts. A locked account refuses even the right password until the lock runs out.
    """
    person = find_by_email(email)
    password_ok = verify_password(person.password_hash if person else None, password)
    now = utcnow()
    if person is None:
        log_access(AccessAction.SIGNIN_FAILED, detail="unknown e-mail")
        current_app.logger.warning("Failed sign-in for an unknown e-mail")
        return SigninOutcome(None)
    if person.locked_until is not None and person.locked_until > now:
        log_access(AccessAction.SIGNIN_FAILED, subject=person, actor=person, detail="locked")
        current_app.logger.warning("Sign-in refused: account %s is locked", person.id)
        return SigninOutcome(None, locked=True)
    if not password_ok or not person.active:
        person.failed_signins += 1
        detail = "wrong password" if person.active else "deactivated"
        if person.failed_signins >= int(current_app.config["SIGNIN_MAX_FAILURES"]):
            person.locked_until = now + timedelta(
                minutes=int(current_app.config["SIGNIN_LOCK_MINUTES"])
            )
            person.failed_signins = 0
            detail += ", account locked"
        log_access(AccessAction.SIGNIN_FAILED, subject=person, actor=person, detail=detail)
        current_app.logger.warning("Failed sign-in for person %s (%s)", person.id, detail)
        db.session.flush()
        return SigninOutcome(
            None, locked=person.locked_until is not None and person.locked_until > now
        )
    person.failed_signins = 0
    person.locked_until = None
    person.last_signin_at = now
    if person.password_hash and needs_rehash(person.password_hash):
        person.password_hash = hash_password(password)
    log_access(AccessAction.SIGNIN, subject=person, actor=person)
    db.session.flush()
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
