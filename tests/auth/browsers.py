"""Several browsers of one person, shared by the sign-in and session tests."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from devtrack.people.models import Person
from tests.conftest import PASSWORD, post, sign_in

NEW_PASSWORD = "en ny og lang sætning om æbler"


def another_browser(app: Flask, person: Person) -> FlaskClient:
    """A second browser (a phone, a laptop) where the person is signed in too."""
    browser = app.test_client()
    sign_in(browser, person)
    return browser


def change_password(client: FlaskClient) -> Any:
    """The signed-in person changes their password to NEW_PASSWORD on the password page."""
    return post(
        client,
        "/adgangskode",
        {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
