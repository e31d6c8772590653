"""`flask devtrack send-mail`: empty the e-mail outbox; run it from cron every few minutes.
`flask devtrack remind`: make the day's reminders (each once); run it daily from cron."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from devtrack.cli import database_errors_as_messages
from devtrack.extensions import db
from devtrack.i18n import today_in_denmark
from devtrack.notifications.reminders import run_reminders
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


@click.command("remind")
@with_appcontext
@database_errors_as_messages
def remind() -> None:
    """Make the day's reminders: goals' deadlines and every step of a MUS round. Each is made
    once, however often (and on however many hosts) this runs."""
    lines = run_reminders(today_in_denmark())
    db.session.commit()
    for what, count in lines:
        click.echo(f"{what}: {count}.")
