"""The browser's side of a signed-in session, shared by every way of signing in.

Passwords (`auth.views`) and single sign-on (`devtrack.sso`) both start and end the browser's
session here, so a session started by either is revoked and signed out the same way.
"""

from __future__ import annotations

from flask import session
from flask_login import login_user, logout_user

from devtrack.auth.services import password_signin_mode, start_session
from devtrack.i18n import SESSION_KEY as LANGUAGE_KEY
from devtrack.people.models import Person

SESSION_TOKEN_KEY = "signin"  # noqa: S105 (the key the token is kept under, not a secret)

__all__ = [
    "SESSION_TOKEN_KEY",
    "begin_browser_session",
    "end_browser_session",
    "password_signin_mode",
]


def begin_browser_session(person: Person) -> None:
    """A fresh session cookie (nothing planted before sign-in survives) tied to a server row."""
    language = session.get(LANGUAGE_KEY)
    session.clear()
    if language:
        session[LANGUAGE_KEY] = language
    login_user(person)
    session[SESSION_TOKEN_KEY] = start_session(person)


def end_browser_session() -> None:
    logout_user()
    language = session.get(LANGUAGE_KEY)
    session.clear()
    if language:
        session[LANGUAGE_KEY] = language
