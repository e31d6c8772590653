"""`flask devtrack …`: the administrator's commands. A user's mistake never ends in a traceback."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError

from devtrack.extensions import db

F = TypeVar("F", bound=Callable[..., Any])

devtrack_cli = AppGroup("devtrack", help="devtrack: grundlag, organisation og demo.")
grundlag_cli = AppGroup("grundlag", help="Medarbejder- og ledelsesgrundlaget.")
org_cli = AppGroup("org", help="Organisationen: enheder og personer.")
devtrack_cli.add_command(grundlag_cli)
devtrack_cli.add_command(org_cli)


def database_errors_as_messages(command: F) -> F:
    """Turn an unreachable or un-migrated database into one clear paragraph and exit status 1."""

    @wraps(command)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except OperationalError as error:
            db.session.rollback()
            raise click.ClickException(
                "Databasen kan ikke nås eller er ikke klar "
                f"({current_app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}): "
                f"{str(error.orig).strip()}. Tjek DATABASE_URL, og kør 'flask db upgrade'."
            ) from None
        except ProgrammingError as error:
            db.session.rollback()
            raise click.ClickException(
                f"Databasen mangler tabeller ({str(error.orig).strip()}). Kør 'flask db upgrade'."
            ) from None

    return wrapped  # type: ignore[return-value]


def read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise click.ClickException(f"Filen {path} kan ikke læses: {error.strerror}.") from None


from devtrack import backup as _backup  # noqa: E402,F401
from devtrack import demo  # noqa: E402,F401  (commands register on the groups above)
from devtrack import retention as _retention  # noqa: E402,F401
from devtrack.goals import cli as _goals_cli  # noqa: E402,F401
from devtrack.grundlag import cli as _grundlag_cli  # noqa: E402,F401
from devtrack.notifications import cli as _notifications_cli  # noqa: E402,F401
from devtrack.people import cli as _people_cli  # noqa: E402,F401
