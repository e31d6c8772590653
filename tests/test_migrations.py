"""The schema comes only from Alembic migrations, and they match the models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, make_url, select

from devtrack.extensions import db
from devtrack.people.models import Person
from tests.conftest import AppFactory, World, outside_app_context

# The first migration: grundlag, people, sign-in and the access log.
FIRST_REVISION = "ac4d04079bc2"


def test_models_and_migrations_agree(app: Flask) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models and migrations disagree: {differences}"


def test_access_log_refuses_updates_in_the_database(app: Flask) -> None:
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


@pytest.fixture
def roundtrip_url(app: Flask, database_url: str, tmp_path: Path) -> Iterator[str]:
    """A database of its own, beside the suite's (a SQLite file, or a PostgreSQL database)."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}"
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("DROP DATABASE IF EXISTS devtrack_roundtrip")
        connection.exec_driver_sql("CREATE DATABASE devtrack_roundtrip")
    yield make_url(database_url).set(database="devtrack_roundtrip").render_as_string(False)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("DROP DATABASE devtrack_roundtrip")


def _people() -> int:
    """How many people the database holds; the session is closed so no lock stays behind."""
    count = int(db.session.scalar(select(func.count()).select_from(Person)) or 0)
    db.session.remove()
    return count


def test_a_populated_demo_database_downgrades_and_upgrades(
    make_app: AppFactory, roundtrip_url: str
) -> None:
    built = make_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": roundtrip_url})
    with built.app_context():
        upgrade()
    result = outside_app_context(built.test_cli_runner().invoke, args=["devtrack", "demo"])
    assert result.exit_code == 0, result.output
    with built.app_context():
        people = _people()
        assert people > 20
        # Down to the first migration: every later table altered or dropped with rows in them.
        downgrade(revision=FIRST_REVISION)
        assert _people() == people
        upgrade()
        assert _people() == people
        downgrade(revision="base")
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            assert compare_metadata(context, db.metadata) == []
            if connection.dialect.name == "sqlite":
                leftovers = connection.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE name LIKE '_alembic_tmp%'"
                ).all()
                assert leftovers == []
        db.session.remove()
        db.engine.dispose()
