"""`flask devtrack backup` and `restore` round-trip the database, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pgserver
from flask import Flask
from sqlalchemy import func, select

from devtrack.extensions import db
from devtrack.goals.models import Goal
from tests.conftest import World, outside_app_context


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
