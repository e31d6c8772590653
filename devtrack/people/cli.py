"""`flask devtrack org …`: keep the organisation in step with the HR system's file."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from devtrack.cli import database_errors_as_messages, file_refused, read_file
from devtrack.extensions import db
from devtrack.people.orgfile import OrgFileError, parse_org_file
from devtrack.people.services import OrganisationChanged, sync_organisation
from devtrack.progress import Progress, quiet_option

org_cli = AppGroup("org", help="Organisationen: enheder og personer.")


@org_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@quiet_option
@database_errors_as_messages
def import_command(file: str, quiet: bool) -> None:
    """Synkronisér organisationen med FILE (CSV fra HR-systemet). Intet gemmes ved fejl."""
    with Progress("Organisationsimport", 3, quiet=quiet) as progress:
        try:
            org = parse_org_file(
                read_file(file, max_bytes=int(current_app.config["ORG_FILE_MAX_MB"]) * 1024 * 1024)
            )
        except OrgFileError as error:
            raise file_refused(file, error.problems) from None
        progress.step("filen er kontrolleret")
        try:
            report = sync_organisation(org, progress=progress)
        except OrganisationChanged:
            raise click.ClickException(
                "En anden synkronisering ændrede organisationen undervejs. Intet fra "
                f"{file} er gemt; kør kommandoen igen."
            ) from None
        progress.step("gemmer")
        db.session.commit()
        progress.step("gemt")
    changes = report.changes
    for old, new in changes.units_renamed:
        click.echo(f"  - {old} hedder nu {new}")
    if changes.removed_people:
        click.echo(
            f"{len(changes.removed_people)} personer i filen er slettet efter "
            "opbevaringsperioden og er ikke oprettet igen: " + ", ".join(changes.removed_people)
        )
    progress.done(
        f"Organisationen er opdateret: {len(changes.units_created)} nye enheder, "
        f"{len(changes.created)} nye personer, {len(changes.updated)} ændrede, "
        f"{len(changes.moved)} flyttede, {len(changes.deactivated)} deaktiverede, "
        f"{len(changes.leader_changes)} lederskift, {len(changes.units_renamed)} omdøbte enheder."
    )
