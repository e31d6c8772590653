"""`flask devtrack backup FILE` and `flask devtrack restore FILE`.

SQLite: the online backup API, so a running devtrack can be copied consistently. PostgreSQL:
`pg_dump` in its custom format and `pg_restore` in one transaction; set `DEVTRACK_PG_BIN_DIR`
when the right versions of those tools are not first on PATH (they must match the server).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from devtrack.extensions import db
from devtrack.maintenance import fenced
from devtrack.progress import Progress, quiet_option


def _url() -> URL:
    """The URL the engine really uses: Flask-SQLAlchemy puts a relative SQLite file in the
    instance folder, so the configured text may name a different (empty) file."""
    return db.engine.url


def _pg_tool(name: str) -> str:
    directory = current_app.config.get("PG_BIN_DIR")
    if directory:
        return str(Path(directory) / name)
    found = shutil.which(name)
    if found is None:
        raise click.ClickException(
            f"{name} findes ikke. Installér PostgreSQL-klienten, eller sæt DEVTRACK_PG_BIN_DIR."
        )
    return found


def _libpq_url() -> str:
    """The address for pg_dump/pg_restore, without the password: that goes in PGPASSWORD, as
    anything on a command line can be read by every user of the machine (`ps`)."""
    url = _url()
    without_password = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    )
    return without_password.render_as_string(hide_password=False)


def _run(arguments: list[str]) -> None:
    environment = dict(os.environ)
    password = _url().password
    if password:
        environment["PGPASSWORD"] = str(password)
    result = subprocess.run(  # noqa: S603
        arguments, capture_output=True, text=True, check=False, env=environment
    )
    if result.returncode != 0:
        raise click.ClickException(f"{Path(arguments[0]).name} fejlede: {result.stderr.strip()}")


def _sqlite_path() -> str:
    database = _url().database
    if not database:
        raise click.ClickException("Databasen er ikke en SQLite-fil.")
    return database


def backup_to(target: Path) -> None:
    if _url().get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path())
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)
        finally:
            destination.close()
            source.close()
    else:
        _run([_pg_tool("pg_dump"), "--format=custom", f"--file={target}", _libpq_url()])


def _end_other_sessions() -> None:
    """PostgreSQL: end every other connection to the database (the app's pools, a stuck
    transaction), so the restore's DROP and CREATE wait for no lock and deadlock with none."""
    try:
        with db.engine.connect() as connection:
            connection.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            connection.commit()
    except OperationalError:
        pass  # the server cannot be reached: pg_restore says so in its own words
    db.engine.dispose()


def restore_from(source_file: Path) -> None:
    """Replace the database with the backup while the app is fenced (`devtrack.maintenance`):
    every request meanwhile gets the maintenance page, none reaches the database."""
    with fenced("restore"):
        # Nothing of ours may hold the database while it is replaced.
        db.session.remove()
        db.engine.dispose()
        if _url().get_backend_name() == "sqlite":
            source = sqlite3.connect(source_file)
            destination = sqlite3.connect(_sqlite_path(), timeout=60)
            try:
                source.backup(destination)
            finally:
                destination.close()
                source.close()
        else:
            _end_other_sessions()
            _run(
                [
                    _pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    f"--dbname={_libpq_url()}",
                    str(source_file),
                ]
            )


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@quiet_option
def backup_command(file: Path, quiet: bool) -> None:
    """Tag en sikkerhedskopi af databasen til FILE (mens devtrack kører)."""
    if file.exists():
        raise click.ClickException(f"{file} findes allerede; vælg et nyt filnavn.")
    with Progress("Sikkerhedskopi", 1, quiet=quiet) as progress:
        backup_to(file)
        progress.step("gemt")
    progress.done(f"Sikkerhedskopien er gemt i {file} ({file.stat().st_size} bytes).")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Bekræft, at databasen skal erstattes.")
@quiet_option
def restore_command(file: Path, yes: bool, quiet: bool) -> None:
    """Erstat hele databasen med sikkerhedskopien i FILE."""
    if not yes:
        click.confirm("Hele databasen erstattes med sikkerhedskopien. Fortsæt?", abort=True)
    with Progress("Gendannelse", 1, quiet=quiet) as progress:
        restore_from(file)
        progress.step("gendannet")
    progress.done(f"Databasen er gendannet fra {file}.")
