"""`flask devtrack remind`: tell people their deadlines are close; run it daily from cron."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from devtrack.cli import database_errors_as_messages
from devtrack.extensions import db
from devtrack.goals.services import remind_deadlines
from devtrack.i18n import today_in_denmark


@click.command("remind")
@with_appcontext
@database_errors_as_messages
def remind() -> None:
    """Notify owners of goals whose target date is near (once per goal and date)."""
    days = int(current_app.config["DEADLINE_REMINDER_DAYS"])
    count = remind_deadlines(today_in_denmark(), days)
    db.session.commit()
    click.echo(f"Påmindelser om frister inden for {days} dage: {count}.")
