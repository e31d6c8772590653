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
        _preparations_move_into_answers_and_back()
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


# The conversation templates' migration and the one before it.
TEMPLATES_REVISION = "7d4e2a9c1b30"
BEFORE_TEMPLATES = "5d2e8c1f7a90"
OLD_COLUMNS = ("looking_back", "now", "ahead", "wellbeing", "cooperation", "shared_notes")


def _preparations_move_into_answers_and_back() -> None:
    """Preparations written before templates existed (fixed columns) become answers per question
    key of the template 'devtrack-standard' version 1, which asks what was asked then; going
    down again puts every text back in its column."""
    from sqlalchemy import text

    downgrade(revision=BEFORE_TEMPLATES)
    texts = {column: f"{column}: én tekst, også ét ord" for column in OLD_COLUMNS}
    texts["now"] = "Travlt"  # a one-word answer is kept too
    with db.engine.begin() as connection:
        conversation_id, employee_id, leader_id = connection.execute(
            text("SELECT id, employee_id, leader_id FROM conversation ORDER BY id LIMIT 1")
        ).one()
        for role, author in (("employee", employee_id), ("leader", leader_id)):
            connection.execute(
                text(
                    "INSERT INTO preparation (conversation_id, role, author_id, "  # noqa: S608
                    + ", ".join(OLD_COLUMNS)
                    + ", updated_at, version) VALUES (:conversation, :role, :author, "
                    + ", ".join(f":{column}" for column in OLD_COLUMNS)
                    + ", CURRENT_TIMESTAMP, 1)"
                ),
                {"conversation": conversation_id, "role": role, "author": author, **texts},
            )
    upgrade(revision=TEMPLATES_REVISION)
    with db.engine.connect() as connection:
        answers = connection.execute(
            text(
                "SELECT p.role, a.question_key, a.text FROM preparation_answer a"
                " JOIN preparation p ON p.id = a.preparation_id WHERE p.conversation_id = :id"
            ),
            {"id": conversation_id},
        ).all()
        asked: dict[str, str] = dict(
            connection.execute(
                text(
                    "SELECT q.key, q.employee_text FROM template_question q"
                    " JOIN template_section s ON s.id = q.section_id"
                    " JOIN template_version v ON v.id = s.version_id"
                    " JOIN conversation_template t ON t.id = v.template_id"
                    " JOIN conversation_round r ON r.template_version_id = v.id"
                    " JOIN conversation c ON c.round_id = r.id"
                    " WHERE c.id = :id AND t.key = 'devtrack-standard' AND v.number = 1"
                ),
                {"id": conversation_id},
            ).all()
        )
    keys = ("set-tilbage", "nu", "fremad", "trivsel", "samarbejde", "delte-noter")
    expected = {
        (role, key, texts[column])
        for role in ("employee", "leader")
        for column, key in zip(OLD_COLUMNS, keys, strict=True)
    }
    assert set(answers) == expected
    assert asked["trivsel"] == "Hvordan trives du på arbejdet?"
    downgrade(revision=BEFORE_TEMPLATES)
    with db.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT "  # noqa: S608  (our own column names)
                + ", ".join(OLD_COLUMNS)
                + " FROM preparation WHERE conversation_id = :id"
            ),
            {"id": conversation_id},
        ).all()
    assert [tuple(row) for row in rows] == [tuple(texts[column] for column in OLD_COLUMNS)] * 2
    upgrade()
    db.session.remove()
