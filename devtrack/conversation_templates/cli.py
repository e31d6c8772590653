"""`flask devtrack template import FILE`: load a conversation template (MUS-skema)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from devtrack.cli import database_errors_as_messages, read_import_file
from devtrack.conversation_templates.importer import read_template
from devtrack.conversation_templates.models import TemplateKind
from devtrack.conversation_templates.services import import_template, make_default
from devtrack.extensions import db
from devtrack.progress import Progress, quiet_option

template_cli = AppGroup("template", help="Samtaleskabeloner (MUS-, LUS- og GUS-skemaer).")


@template_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--default-for",
    type=click.Choice([kind.value for kind in TemplateKind]),
    default=None,
    help="Gør skabelonen til standard for den slags samtale (skal passe til skabelonens kind).",
)
@quiet_option
@database_errors_as_messages
def import_command(file: str, default_for: str | None, quiet: bool) -> None:
    """Indlæs en samtaleskabelon fra FILE (YAML). Intet gemmes, hvis filen har fejl."""
    with Progress("Skabelonimport", 3, quiet=quiet) as progress:
        document = read_import_file(file, read_template)
        if default_for is not None and default_for != document.kind.value:
            raise click.ClickException(
                f"{file} er en {document.kind.value.upper()}-skabelon og kan ikke være standard "
                f"for {default_for.upper()}. Intet er gemt."
            )
        progress.step("filen er kontrolleret")
        result = import_template(document)
        if default_for is not None:
            make_default(result.template)
        progress.step("indlæst")
        db.session.commit()
        progress.step("gemt")
    default = " Standard for " + default_for.upper() + "." if default_for else ""
    if result.created:
        progress.done(
            f"Indlæst: {result.version.title}, version {result.version.number} "
            f"({len(document.questions())} spørgsmål).{default}"
        )
    else:
        progress.done(f"Uændret: {file} svarer til version {result.version.number}.{default}")
