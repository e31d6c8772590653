"""Per-connection database settings, and how the app carries on when the database fails."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_app_context
from flask_login import current_user
from sqlalchemy import delete, event, insert, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from devtrack.extensions import db

_UNAVAILABLE = "database_unavailable"
# A probe row of about one page (4 KB): a database that cannot grow fails to store it.
_PROBE_PAYLOAD = "x" * 4096


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    busy_timeout = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets readers run beside a writer; foreign keys are off by default in SQLite.
        cursor = dbapi_connection.cursor()
        # A read-only file keeps the mode it has; reads still work.
        with contextlib.suppress(sqlite3.DatabaseError):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


LIKE_ESCAPE = "\\"


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its `%` and `_` taken literally.

    Use with `.like(pattern, escape=LIKE_ESCAPE)`.
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def mark_unavailable() -> None:
    """The database failed in this request: the rest of it (the error page) must not use it."""
    g.setdefault(_UNAVAILABLE, True)
    # Flask-Login hands every template the signed-in person; it must not ask the database.
    if "_login_user" not in g:
        g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    try:
        db.session.rollback()
    except SQLAlchemyError:
        current_app.logger.warning("Rollback after a database failure failed too")


def is_unavailable() -> bool:
    return has_app_context() and bool(g.get(_UNAVAILABLE))


def signed_in_user() -> Any | None:
    """The signed-in person for the layout, or None, also when the database cannot say."""
    if is_unavailable():
        return None
    try:
        return current_user._get_current_object() if current_user.is_authenticated else None
    except SQLAlchemyError:
        mark_unavailable()
        return None


def _sqlite_free_bytes() -> int | None:
    database = db.engine.url.database
    if db.engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    path = Path(database.removeprefix("file:").split("?", 1)[0])
    return shutil.disk_usage(path.parent).free


def answers() -> bool:
    """Whether the database answers a trivial query; the request's session is left clean."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("Health check: the database is unreachable")
        return False
    db.session.rollback()
    return True


def write_problem() -> str | None:
    """Why the database cannot take a write now, or None when it can.

    A row of about one page is written, committed and deleted on a connection of its own: a
    read-only database, a stopped server and a database at its size limit all fail that. A
    SQLite file whose disk is (nearly) full may still take one small row, so its free disk
    space is checked as well.
    """
    from devtrack.core.models import HealthProbe

    table = HealthProbe.__table__
    try:
        with db.engine.begin() as connection:
            probe_id = connection.execute(
                insert(table).values(payload=_PROBE_PAYLOAD).returning(table.c.id)
            ).scalar_one()
        with db.engine.begin() as connection:
            connection.execute(delete(table).where(table.c.id == probe_id))
    except SQLAlchemyError as error:
        current_app.logger.warning("Health check: the database takes no writes: %s", error)
        return "not_writable"
    free = _sqlite_free_bytes()
    if free is not None and free < int(current_app.config["HEALTH_MIN_FREE_MB"]) * 1024 * 1024:
        current_app.logger.warning("Health check: %d bytes free beside the database", free)
        return "disk_full"
    return None


# Ids in one `IN (…)` list: well within every database's limit on bound values.
IN_LIST_SIZE = 1000


def in_chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    """The ids, `IN_LIST_SIZE` at a time, for statements that name them in an `IN (…)` list."""
    for start in range(0, len(ids), IN_LIST_SIZE):
        yield ids[start : start + IN_LIST_SIZE]


def insert_new_rows(model: Any, rows: list[dict[str, Any]], unique: list[str]) -> int:
    """Insert the rows the `unique` columns do not already hold; return how many went in.

    The database's unique constraint decides, not a check before the insert: two requests
    doing the same at the same moment both succeed, and each row is there once.
    """
    return len(insert_new_rows_returning(model, rows, unique))


def insert_new_rows_returning(
    model: Any, rows: list[dict[str, Any]], unique: list[str]
) -> list[tuple[Any, ...]]:
    """As `insert_new_rows`, returning the `unique` columns of the rows that went in."""
    if not rows:
        return []
    dialect = db.session.get_bind().dialect.name
    insert_for = postgresql_insert if dialect == "postgresql" else sqlite_insert
    inserted: list[tuple[Any, ...]] = []
    # SQLite takes at most 32,766 bound values in one statement.
    per_statement = max(1, 30_000 // len(rows[0]))
    for start in range(0, len(rows), per_statement):
        statement = (
            insert_for(model)
            .values(rows[start : start + per_statement])
            .on_conflict_do_nothing(index_elements=unique)
            .returning(*(getattr(model, column) for column in unique))
        )
        # Counted from RETURNING: PostgreSQL's driver reports rowcount -1 for this statement.
        inserted += [tuple(row) for row in db.session.execute(statement).all()]
    return inserted
