"""The schema comes only from Alembic migrations, and they match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from devtrack.extensions import db
from tests.conftest import World


def test_models_and_migrations_agree(app: Flask) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models and migrations disagree: {differences}"


def test_access_log_refuses_updates_in_the_database(app: Flask) -> None:
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO access_log"
                " (at, action, object_type, object_id, client_address, detail)"
                " VALUES (CURRENT_TIMESTAMP, 'read', '', '', '', '')"
            )
        )
    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text("UPDATE access_log SET detail = 'changed'"))


def test_the_newest_migration_goes_down_and_up_again_with_people_in_the_database(
    app: Flask, world: World
) -> None:
    """An upgrade on a live database: people, and rows that point at them, are kept."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select

    from devtrack.goals.models import Goal
    from devtrack.people.models import Person

    def counts() -> tuple[int, int]:
        people = db.session.scalar(select(func.count(Person.id)))
        goals = db.session.scalar(select(func.count(Goal.id)))
        db.session.remove()  # no transaction of the test's may hold the tables
        return int(people or 0), int(goals or 0)

    before = counts()
    downgrade(revision="-1")
    upgrade()
    assert counts() == before
    assert db.session.get(Person, world.employee.id) is not None
