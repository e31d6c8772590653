"""A SQLite database whose disk is full: saves say so and give the typed text back.

The disk is a small tmpfs of its own when the tests run as root (as on CI); otherwise the
database is capped at its current size with SQLite's `max_page_count`, which fails writes
with the same error ("database or disk is full").
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from devtrack.extensions import db
from tests.conftest import AppFactory, csrf_token
from tests.faults.conftest import (
    assert_not_saved_page,
    build_small_org,
    own_app,
    save_goal,
    signed_in_client,
)


def _mount_small_disk(directory: Path) -> bool:
    directory.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(directory)],
        capture_output=True,
        check=False,
    )
    return mounted.returncode == 0


def _fill(directory: Path) -> None:
    with (directory / "filler").open("wb") as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    # Whatever the last full block left: fill it byte by byte.
    with (directory / "filler-tail").open("wb", buffering=0) as tail, contextlib.suppress(OSError):
        while True:
            tail.write(b"\0")


def _cap_at_current_size(built: Flask) -> None:
    """Cap the file at its size, then fill the rate-limit table (every save counts a hit)."""
    with built.app_context():
        engine = db.engine
        with engine.connect() as connection:
            pages = int(connection.exec_driver_sql("PRAGMA page_count").scalar() or 0)
        engine.dispose()

        @event.listens_for(engine, "connect")
        def _cap(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

        with engine.connect() as connection:
            for length in (200, 20, 1):
                for second in itertools.count():
                    try:
                        connection.exec_driver_sql(
                            "INSERT INTO rate_limit_window (key, window_start, hits)"
                            " VALUES (?, ?, 1)",
                            ("k" * length, f"2000-01-01 00:00:{second}"),
                        )
                        connection.commit()
                    except OperationalError:
                        connection.rollback()
                        break


@pytest.fixture
def full_disk_app(make_app: AppFactory, tmp_path: Path) -> Iterator[tuple[Flask, Any]]:
    disk = tmp_path / "disk"
    mounted = _mount_small_disk(disk)
    built = own_app(make_app, f"sqlite:///{disk / 'devtrack.sqlite3'}", HEALTH_MIN_FREE_MB=1)
    build_small_org(built)
    client = signed_in_client(built)
    token = csrf_token(client)
    with built.app_context():
        # Every page of the write-ahead log back in the file: the next write must grow it.
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.engine.dispose()
    if mounted:
        # The app is up and healthy, its connections open, when the disk fills.
        assert built.test_client().get("/healthz").status_code == 200
        _fill(disk)
    else:
        _cap_at_current_size(built)
    try:
        yield built, (client, token)
    finally:
        with built.app_context():
            db.engine.dispose()
        if mounted:
            subprocess.run(["umount", str(disk)], check=True)


def test_a_save_on_a_full_disk_says_it_was_not_saved_and_gives_the_text_back(
    full_disk_app: tuple[Flask, Any],
) -> None:
    _built, (client, token) = full_disk_app
    assert_not_saved_page(save_goal(client, token))


def test_healthz_says_the_disk_is_full(full_disk_app: tuple[Flask, Any]) -> None:
    built, _client = full_disk_app
    response = built.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json is not None
    assert response.json["status"] == "degraded"
    # The probe's row fails to be stored ("not_writable"); a file at its page limit too.
    assert response.json["database"] == "not_writable"
    assert response.json["writable"] is False
