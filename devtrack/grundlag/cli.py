"""`flask devtrack grundlag …`: load the medarbejder- og ledelsesgrundlag from a file."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from devtrack.cli import database_errors_as_messages, read_import_file
from devtrack.extensions import db
from devtrack.grundlag.importer import read_grundlag
from devtrack.grundlag.services import framework_in_use, import_grundlag, put_in_use
from devtrack.progress import Progress, quiet_option

grundlag_cli = AppGroup("grundlag", help="Medarbejder- og ledelsesgrundlaget.")


@grundlag_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--use", is_flag=True, help="Gør grundlaget til det, organisationen bruger.")
@quiet_option
@database_errors_as_messages
def import_command(file: str, use: bool, quiet: bool) -> None:
    """Indlæs et grundlag fra FILE (YAML). Intet gemmes, hvis filen har fejl."""
    with Progress("Grundlagsimport", 3, quiet=quiet) as progress:
        document = read_import_file(file, read_grundlag)
        progress.step("filen er kontrolleret")
        result = import_grundlag(document)
        if use or framework_in_use() is None:
            put_in_use(result.framework)
        progress.step("indlæst")
        db.session.commit()
        progress.step("gemt")
    if result.created:
        progress.done(
            f"Indlæst: {result.framework.organisation}, {result.version.title}, "
            f"version {result.version.number} ({len(document.elements())} elementer)."
        )
    else:
        progress.done(f"Uændret: {file} svarer til version {result.version.number}.")
