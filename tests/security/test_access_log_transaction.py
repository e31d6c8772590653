"""The access log is written in its own transaction when the request ends, whatever happened.

So a refused or failed request is still logged, nothing the request left unsaved is saved with
the log, and no permission loader ever commits.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login import login_user
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.audit.services import log_access
from devtrack.extensions import db
from devtrack.people.models import Person
from devtrack.permissions import get_person_or_404
from devtrack.timeline.permissions import can_view_timeline
from tests.conftest import AppFactory, Org, World, sign_in


def _entries(action: AccessAction) -> list[tuple[int | None, int | None, str]]:
    return [
        (entry.actor_id, entry.subject_id, entry.object_type)
        for entry in db.session.scalars(
            select(AccessLogEntry)
            .where(AccessLogEntry.action == action)
            .order_by(AccessLogEntry.id)
        )
    ]


def _name_in_database(person_id: int) -> str | None:
    """What another connection sees: only what was committed."""
    with db.engine.connect() as connection:
        return connection.scalar(select(Person.name).where(Person.id == person_id))


def test_a_refused_request_is_logged(client: FlaskClient, world: World) -> None:
    sign_in(client, world.colleague)
    assert client.get(f"/maal/{world.shared_goal_id}").status_code == 404
    assert client.get("/admin/adgangslog/").status_code == 403
    assert _entries(AccessAction.DENIED) == [
        (world.colleague.id, world.employee.id, "goal"),
        (world.colleague.id, None, ""),
    ]


def test_a_failing_request_still_logs_and_saves_nothing_else(
    make_app: AppFactory, database_url: str, org: Org
) -> None:
    app = make_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    employee_id = org.employee.id

    @app.route("/fejl")
    def failing() -> str:
        person = db.session.get(Person, employee_id)
        assert person is not None
        log_access(AccessAction.READ, subject=person, object_type="test")
        person.name = "Halvt gemt"
        db.session.flush()
        raise RuntimeError("midt i det hele")

    assert app.test_client().get("/fejl").status_code == 500
    assert _entries(AccessAction.READ) == [(None, employee_id, "test")]
    assert _name_in_database(employee_id) == org.employee.name


def test_a_loader_called_after_staged_changes_commits_nothing(app: Flask, org: Org) -> None:
    employee_id, name = org.employee.id, org.employee.name
    with app.test_request_context():
        login_user(org.colleague)
        org.employee.name = "Ikke gemt endnu"
        with pytest.raises(NotFound):
            get_person_or_404(employee_id, can_view_timeline)
        assert _name_in_database(employee_id) == name
        assert _entries(AccessAction.DENIED) == []  # written when the request ends
    assert _name_in_database(employee_id) == name
    assert _entries(AccessAction.DENIED) == [(org.colleague.id, employee_id, "person")]


def test_a_person_whose_creation_failed_is_named_by_no_entry(
    make_app: AppFactory, database_url: str, org: Org
) -> None:
    app = make_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    # Read before the request: the test's objects belong to the test's session, which would
    # load an expired attribute through the other app's engine and keep that connection.
    unit_id = org.employee.unit_id

    @app.route("/ny")
    def create() -> str:
        person = Person(name="Ny", email="ny@test.dk", employee_number="N1", unit_id=unit_id)
        db.session.add(person)
        db.session.flush()
        log_access(AccessAction.CREATE, subject=person, object_type="person")
        raise RuntimeError("rullet tilbage")

    assert app.test_client().get("/ny").status_code == 500
    assert _entries(AccessAction.CREATE) == [(None, None, "person")]
    assert db.session.scalar(select(Person).where(Person.email == "ny@test.dk")) is None
