"""Apps of their own for fault tests: a database that is read-only, full or stopped."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from devtrack.extensions import db
from devtrack.people.models import Person
from devtrack.people.orgfile import parse_org_file
from devtrack.people.services import sync_organisation
from tests.conftest import SMALL_ORG, AppFactory, IsolatedClient, sign_in

CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "SERVER_NAME": None,
    "WRITE_RATE_LIMIT": 100_000,
    "SIGNIN_RATE_LIMIT": 100_000,
}

# Free text a person typed into a form that could not be saved: it must come back to them.
TYPED = "Jeg vil lære at lede et fagligt møde hver måned"


def own_app(make_app: AppFactory, uri: str, **config: Any) -> Flask:
    built = make_app({**CONFIG, "SQLALCHEMY_DATABASE_URI": uri, **config})
    built.test_client_class = IsolatedClient
    return built


def build_small_org(built: Flask) -> None:
    """Migrate the app's own database and fill it with the small organisation."""
    with built.app_context():
        upgrade()
        sync_organisation(parse_org_file(SMALL_ORG.encode("utf-8")))
        db.session.commit()


def signed_in_client(built: Flask, employee_number: str = "E1") -> FlaskClient:
    with built.app_context():
        person = db.session.query(Person).filter_by(employee_number=employee_number).one()
        client = built.test_client()
        sign_in(client, person)
        db.session.remove()
    return client


def save_goal(client: FlaskClient, token: str) -> Any:
    return client.post(
        "/maal/nyt", data={"csrf_token": token, "title": "Mødeledelse", "description": TYPED}
    )


def assert_not_saved_page(response: Any) -> None:
    """The Danish page that says the change was not saved, with the typed text to copy."""
    assert response.status_code == 503, response.text
    assert "Ændringen blev ikke gemt" in response.text
    assert f">{TYPED}</textarea>" in response.text
    assert "Internal Server Error" not in response.text


def assert_unavailable_page(response: Any) -> None:
    assert response.status_code == 503, response.text
    assert "devtrack er ikke tilgængelig lige nu" in response.text
    assert "Internal Server Error" not in response.text
