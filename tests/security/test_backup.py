"""`flask devtrack backup` and `restore` round-trip the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

import pgserver
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from devtrack.extensions import db
from devtrack.goals.models import Goal
from devtrack.people.models import Person
from tests.conftest import (
    AppFactory,
    IsolatedClient,
    World,
    csrf_token,
    form_value,
    outside_app_context,
    sign_in,
)
from tests.faults.conftest import TYPED


def test_backup_and_restore_round_trip(app: Flask, world: World, tmp_path: Path) -> None:
    app.config["PG_BIN_DIR"] = str(Path(pgserver.__file__).parent / "pginstall" / "bin")
    runner = app.test_cli_runner()
    target = tmp_path / "devtrack.backup"
    backup = outside_app_context(runner.invoke, args=["devtrack", "backup", str(target)])
    assert backup.exit_code == 0, backup.output
    assert target.stat().st_size > 0
    again = outside_app_context(runner.invoke, args=["devtrack", "backup", str(target)])
    assert again.exit_code == 1 and "findes allerede" in again.output

    # Something goes badly wrong after the backup.
    db.session.query(Goal).filter(Goal.title == "Et hemmeligt udkast").update({"title": "ødelagt"})
    db.session.commit()
    db.session.remove()
    refused = outside_app_context(runner.invoke, args=["devtrack", "restore", str(target)])
    assert refused.exit_code == 1  # not confirmed
    restore = outside_app_context(runner.invoke, args=["devtrack", "restore", str(target), "--yes"])
    assert restore.exit_code == 0, restore.output
    titles = set(db.session.scalars(select(Goal.title)))
    assert titles == {"Tage ordet på personalemøder", "Et hemmeligt udkast"}
    assert db.session.scalar(select(func.count()).select_from(Goal)) == 2


def test_a_restore_while_people_save_fences_their_writes(
    app: Flask,
    make_app: AppFactory,
    database_url: str,
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    flag = tmp_path / "maintenance"
    monkeypatch.setitem(
        app.config, "PG_BIN_DIR", str(Path(pgserver.__file__).parent / "pginstall" / "bin")
    )
    monkeypatch.setitem(app.config, "MAINTENANCE_FLAG_FILE", str(flag))
    # The people save through an app server of its own (its own pool), as in production: the
    # restore command's process neither shares nor disposes of its connections.
    server = make_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAINTENANCE_FLAG_FILE": str(flag),
            "WRITE_RATE_LIMIT": 100_000,
            "SIGNIN_RATE_LIMIT": 100_000,
        }
    )
    server.test_client_class = IsolatedClient
    runner = app.test_cli_runner()
    target = tmp_path / "devtrack.backup"
    backup = outside_app_context(runner.invoke, args=["devtrack", "backup", str(target)])
    assert backup.exit_code == 0, backup.output
    saver = server.test_client()
    employee = world.employee
    db.session.remove()
    outside_app_context(_sign_in_on, server, saver, employee.email)
    token = csrf_token(saver)
    link = form_value("mod")
    db.session.remove()

    stop = threading.Event()
    answers: list[tuple[int, str]] = []

    def save(number: int) -> None:
        for attempt in itertools.count():
            if stop.is_set():
                return
            response = saver.post(
                "/maal/nyt",
                data={
                    "csrf_token": token,
                    "title": f"Mål {number}-{attempt}",
                    "description": TYPED,
                    "links": link,
                },
            )
            answers.append((response.status_code, response.text))

    savers = [threading.Thread(target=save, args=(number,)) for number in range(3)]
    for thread in savers:
        thread.start()
    time.sleep(0.5)
    restore = outside_app_context(runner.invoke, args=["devtrack", "restore", str(target), "--yes"])
    time.sleep(0.5)
    stop.set()
    for thread in savers:
        thread.join(timeout=60)

    assert restore.exit_code == 0, restore.output
    assert not flag.exists()
    codes = [code for code, _text in answers]
    assert set(codes) <= {302, 503}, codes
    fenced = [text for code, text in answers if code == 503]
    assert fenced, "no save met the fence"
    # Every save during the restore met the maintenance page, never the database being
    # replaced under it (which answers "Ændringen blev ikke gemt", or a 500).
    for text in fenced:
        assert "lukket et øjeblik for vedligeholdelse" in text, text
        assert TYPED in text
    # Saves go on once the restore is done, on the restored data.
    assert codes[-1] == 302
    titles = set(db.session.scalars(select(Goal.title)))
    assert {"Tage ordet på personalemøder", "Et hemmeligt udkast"} <= titles


def _sign_in_on(server: Flask, client: FlaskClient, email: str) -> None:
    with server.app_context():
        person = db.session.scalars(select(Person).where(Person.email == email)).one()
        sign_in(client, person)
        db.session.remove()
