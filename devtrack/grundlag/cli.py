"""`flask devtrack grundlag …`: load the medarbejder- og ledelsesgrundlag from a file."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from devtrack.cli import database_errors_as_messages, read_file
from devtrack.extensions import db
from devtrack.grundlag.importer import GrundlagFileError, read_grundlag
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
    limit = int(current_app.config["IMPORT_MAX_MB"]) * 1024 * 1024
    with Progress("Grundlagsimport", 3, quiet=quiet) as progress:
        raw = read_file(file, max_bytes=limit)
        try:
            document = read_grundlag(raw, limit)
        except GrundlagFileError as error:
            lines = "\n".join(f"  - {problem}" for problem in error.problems)
            raise click.ClickException(
                f"{file} har {len(error.problems)} fejl, og intet er gemt:\n{lines}"
            ) from None
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
