"""`flask devtrack …`: the group the factory registers, made of each feature's own commands.

Each feature keeps its commands in its package (`grundlag/cli.py`, `people/cli.py`, …); this
module only puts them under one name. The demo's command is declared here and imports the demo
package inside its body, so a web worker never loads demo code.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext

from devtrack.cli import database_errors_as_messages
from devtrack.progress import Progress, quiet_option

DEMO_GRUNDLAG = ("albertslund", "vallensbaek", "odense")


@click.command("demo")
@click.option(
    "--grundlag",
    "grundlag",
    default="albertslund",
    show_default=True,
    type=click.Choice(DEMO_GRUNDLAG),
    help="Hvilken kommunes grundlag demoen bruger.",
)
@click.option("--if-empty", is_flag=True, help="Gør kun noget, hvis databasen er tom.")
@click.option(
    "--employees",
    type=click.IntRange(min=200),
    default=None,
    help="Byg i stedet en stor kommune med så mange medarbejdere (fx 45000) og tre års data.",
)
@quiet_option
@with_appcontext
@database_errors_as_messages
def demo_command(grundlag: str, if_empty: bool, employees: int | None, quiet: bool) -> None:
    """Opret en demokommune med enheder, ca. 40 personer og et grundlag. Kan køres igen."""
    from devtrack.demo.loader import run_demo  # only when the command runs

    with Progress("Demokommune", 1, quiet=quiet) as progress:
        summary = run_demo(grundlag, if_empty, employees, progress)
        progress.step("klar")
    progress.done(summary)


def devtrack_commands() -> AppGroup:
    """The `flask devtrack` group with every feature's commands, as the factory registers it."""
    from devtrack.api.cli import api_client_cli
    from devtrack.backup import backup_command, restore_command
    from devtrack.conversation_templates.cli import template_cli
    from devtrack.grundlag.cli import grundlag_cli
    from devtrack.notifications.cli import remind, send_mail
    from devtrack.people.cli import org_cli
    from devtrack.retention import retention_command

    group = AppGroup("devtrack", help="devtrack: grundlag, organisation og demo.")
    for command in (
        grundlag_cli,
        template_cli,
        org_cli,
        remind,
        send_mail,
        retention_command,
        backup_command,
        restore_command,
        demo_command,
        api_client_cli,
    ):
        group.add_command(command)
    return group
