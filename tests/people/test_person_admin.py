"""Creating a person from the admin pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from devtrack.extensions import db
from devtrack.people.models import OrgUnit, Person
from tests.conftest import Org, post, sign_in


def _form(**overrides: Any) -> dict[str, Any]:
    unit = db.session.scalar(select(OrgUnit.id).where(OrgUnit.external_id == "3"))
    return {
        "employee_number": "N1",
        "name": "Nina Nørby",
        "email": "nina@test.dk",
        "unit_id": str(unit),
    } | overrides


def _people() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Person)) or 0)


def test_a_taken_email_or_employee_number_is_said_at_the_field(
    client: FlaskClient, org: Org
) -> None:
    sign_in(client, org.admin)
    before = _people()
    response = post(client, "/admin/personer/ny", _form(email="Emma@test.dk", employee_number="E2"))
    assert response.status_code == 200
    assert "Der findes allerede en person med denne e-mail." in response.text
    assert "Medarbejdernummeret er allerede i brug." in response.text
    assert _people() == before


@pytest.fixture
def someone_else_creates_nina_first(org: Org) -> Iterator[None]:
    """Another admin's request saves the same person between this request's checks and its
    insert: the moment before the insert reaches the database."""
    done: list[bool] = []
    unit_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.external_id == "4"))

    def race(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if done or not statement.lstrip().upper().startswith("INSERT INTO PERSON "):
            return
        done.append(True)
        with db.engine.connect() as other:
            other.execute(
                Person.__table__.insert().values(
                    employee_number="N1",
                    name="Nina Nørby",
                    email="nina@test.dk",
                    unit_id=unit_id,
                )
            )
            other.commit()

    event.listen(db.engine, "before_cursor_execute", race)
    yield
    event.remove(db.engine, "before_cursor_execute", race)
    assert done, "the race never ran"


def test_two_admins_creating_the_same_person_at_once_get_a_form_error_not_500(
    client: FlaskClient, org: Org, someone_else_creates_nina_first: None
) -> None:
    sign_in(client, org.admin)
    response = post(client, "/admin/personer/ny", _form())
    assert response.status_code == 200
    assert "Der findes allerede en person med denne e-mail." in response.text
    assert "Medarbejdernummeret er allerede i brug." in response.text
    assert db.session.scalar(select(func.count()).where(Person.email == "nina@test.dk")) == 1
