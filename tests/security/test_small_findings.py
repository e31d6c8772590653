"""Smaller findings of the security review, one test each (each failed before its fix)."""

from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from devtrack import backup
from devtrack.exports import neutralise_cell
from devtrack.extensions import db
from devtrack.reports.tables import as_xlsx
from tests.conftest import AppFactory, Org, World, sign_in


def test_a_nul_in_any_value_of_a_repeated_parameter_is_refused(
    client: FlaskClient, org: Org
) -> None:
    assert client.get("/tilgaengelighed?a=x&a=%00").status_code == 400
    assert client.get("/tilgaengelighed?a=x&%00=y").status_code == 400
    assert client.post("/log-ind", data={"a": ["x", "\x00"]}).status_code == 400
    assert client.get("/tilgaengelighed?a=x&a=y").status_code == 200


def test_backup_keeps_the_postgresql_password_off_the_command_line(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app = make_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "postgresql://devtrack:s3cret-pw@db.example:5432/devtrack",
            "PG_BIN_DIR": str(tmp_path),
        }
    )
    calls: list[tuple[list[str], dict[str, str]]] = []

    def run(arguments: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append((arguments, kwargs.get("env") or {}))
        return subprocess.CompletedProcess(arguments, 0, "", "")

    monkeypatch.setattr(subprocess, "run", run)
    with app.app_context():
        backup.backup_to(tmp_path / "copy.backup")
        backup.restore_from(tmp_path / "copy.backup")
    assert len(calls) == 2
    for arguments, environment in calls:
        assert not any("s3cret-pw" in argument for argument in arguments), arguments
        assert any("db.example" in argument for argument in arguments)
        assert environment.get("PGPASSWORD") == "s3cret-pw"


def test_backup_of_a_relative_sqlite_url_copies_the_real_database(
    make_app: AppFactory, tmp_path: Path
) -> None:
    name = f"relative-backup-test-{tmp_path.name}.sqlite3"
    app = make_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{name}"})
    real = Path(app.instance_path) / name  # where Flask-SQLAlchemy puts a relative file
    try:
        with app.app_context():
            with db.engine.begin() as connection:
                connection.exec_driver_sql("CREATE TABLE kept (word TEXT)")
                connection.exec_driver_sql("INSERT INTO kept VALUES ('æble')")
            target = tmp_path / "copy.sqlite3"
            backup.backup_to(target)
        copied = sqlite3.connect(target)
        try:
            assert copied.execute("SELECT word FROM kept").fetchall() == [("æble",)]
        finally:
            copied.close()
    finally:
        real.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            real.with_name(real.name + suffix).unlink(missing_ok=True)


FORMULAS = ['=HYPERLINK("http://evil")', " =1+1", "\t=1+1", "+1", "-1+2", "@SUM(A1)", " \u00a0@x"]


def test_xlsx_marks_formula_like_text_as_text_without_an_apostrophe() -> None:
    rows: list[list[object]] = [[text] for text in FORMULAS]
    rows += [["Almindelig tekst"], [3]]
    data = as_xlsx((["Enhed"], rows), "t")
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells[: len(FORMULAS)]] == FORMULAS  # shown exactly as typed
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells[: len(FORMULAS)])
    assert cells[-2].value == "Almindelig tekst" and cells[-1].value == 3


def test_csv_catches_leading_whitespace_before_a_formula() -> None:
    for text in FORMULAS:
        assert neutralise_cell(text) == "'" + text
    assert neutralise_cell("Team Æblehaven") == "Team Æblehaven"


def test_searches_take_percent_and_underscore_literally(client: FlaskClient, world: World) -> None:
    sign_in(client, world.admin)
    for wildcard in ("%", "_"):
        people = client.get(f"/admin/personer?q={wildcard.replace('%', '%25')}").text
        assert "Emma Åkjær" not in people, wildcard
        log = client.get(f"/admin/adgangslog/?person={wildcard.replace('%', '%25')}").text
        assert "Emma Åkjær" not in log, wildcard
    assert "Emma Åkjær" in client.get("/admin/personer?q=emma").text


def test_the_access_log_export_refuses_an_invalid_date_next_to_the_field(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, world.admin)
    response = client.get("/admin/adgangslog/eksport.csv?fra=nonsens&til=2026-13-40")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    page = response.text
    assert 'id="fra-error"' in page and 'id="til-error"' in page
    assert "Fra-datoen skal skrives som ÅÅÅÅ-MM-DD." in page
    assert 'value="nonsens"' in page  # what was typed is kept


def test_csv_responses_send_their_charset_once(
    client: FlaskClient, world: World, app: Flask
) -> None:
    sign_in(client, world.admin)
    audit = client.get("/admin/adgangslog/eksport.csv")
    assert audit.headers["Content-Type"] == "text/csv; charset=utf-8"
    hr = app.test_client()
    sign_in(hr, world.hr)
    report = hr.get("/hr/rapporter/daekning.csv")
    assert report.status_code == 200
    assert report.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert list(csv.reader(io.StringIO(report.data.decode("utf-8-sig")), delimiter=";"))
