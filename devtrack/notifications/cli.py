"""`flask devtrack send-mail`: empty the e-mail outbox; run it from cron every few minutes."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from devtrack.cli import database_errors_as_messages
from devtrack.notifications.services import send_outbox


@click.command("send-mail")
@with_appcontext
@database_errors_as_messages
def send_mail() -> None:
    """Send waiting e-mails. What the mail server refuses stays for the next run."""
    if not current_app.config["MAIL_SERVER"]:
        raise click.ClickException(
            "Der er ingen mailserver sat op (DEVTRACK_MAIL_SERVER). Notifikationer vises i "
            "devtrack, men der sendes ingen e-mails."
        )
    report = send_outbox()
    click.echo(f"Sendt: {report.sent}. Ikke sendt: {report.failed}.")
    if report.failed:
        raise click.ClickException(f"Mailserveren svarede: {report.error}. Prøver igen næste gang.")
