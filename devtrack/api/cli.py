"""`flask devtrack api-client …`: create, list and revoke API clients from the command line."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from devtrack.api.permissions import SCOPES
from devtrack.api.services import all_clients, client_by_id, create_client, revoke
from devtrack.cli import database_errors_as_messages
from devtrack.extensions import db

api_client_cli = AppGroup("api-client", help="API-klienter: systemer med adgang til /api/v1.")


@api_client_cli.command("create")
@click.argument("name")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice(SCOPES),
    help="Hvad klienten må (kan gentages).",
)
@click.option("--days", type=click.IntRange(1, 3650), default=None, help="Gyldighed i dage.")
@click.option("--rate-limit", type=click.IntRange(1, 100_000), default=None, help="Kald/minut.")
@database_errors_as_messages
def create_command(
    name: str, scopes: tuple[str, ...], days: int | None, rate_limit: int | None
) -> None:
    """Opret en API-klient. Nøglen vises denne ene gang; gem den straks."""
    config = current_app.config
    new = create_client(
        name.strip()[:100],
        list(scopes),
        days=days or int(config["API_CLIENT_DAYS"]),
        rate_limit=rate_limit or int(config["API_CLIENT_RATE_LIMIT"]),
    )
    db.session.commit()
    click.echo(
        f"API-klient {new.client.id} ({new.client.name}) er oprettet med {new.client.scopes}, "
        f"gyldig til {new.client.expires_at:%Y-%m-%d}."
    )
    click.echo("Nøgle (vises kun nu):")
    click.echo(new.token)


@api_client_cli.command("list")
@database_errors_as_messages
def list_command() -> None:
    """Vis API-klienterne."""
    for client in all_clients():
        state = "tilbagekaldt" if client.revoked_at else f"udløber {client.expires_at:%Y-%m-%d}"
        click.echo(f"{client.id}\t{client.name}\t{client.scopes}\t{state}")


@api_client_cli.command("revoke")
@click.argument("client_id", type=int)
@database_errors_as_messages
def revoke_command(client_id: int) -> None:
    """Tilbagekald en API-klients nøgle: den virker ikke mere."""
    client = client_by_id(client_id)
    if client is None:
        raise click.ClickException(f"Ingen API-klient med id {client_id}.")
    revoke(client)
    db.session.commit()
    click.echo(f"API-klient {client.id} ({client.name}) er tilbagekaldt.")
