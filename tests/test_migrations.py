"""The schema comes only from Alembic migrations, and they match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from devtrack.extensions import db


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
