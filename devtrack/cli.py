"""Helpers for the `flask devtrack …` commands: a user's mistake never ends in a traceback.

A leaf: it imports no feature. Each feature keeps its own commands (`<feature>/cli.py`) and the
factory puts them together under `flask devtrack` (`devtrack/commands.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import current_app
from sqlalchemy.exc import OperationalError, ProgrammingError

from devtrack.extensions import db
from devtrack.importfiles import ImportFileError, UnreadableFile, check_size

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


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


def read_file(path: str, max_bytes: int | None = None) -> bytes:
    """The file's bytes; with `max_bytes`, a larger file is refused before it is read."""
    try:
        if max_bytes is not None:
            check_size(Path(path).stat().st_size, max_bytes)
        return Path(path).read_bytes()
    except OSError as error:
        raise click.ClickException(f"Filen {path} kan ikke læses: {error.strerror}.") from None
    except UnreadableFile as error:
        raise click.ClickException(f"{path}: {error.problem}. Intet er gemt.") from None


def file_refused(path: str, problems: Sequence[object]) -> click.ClickException:
    """An imported file's mistakes, one a line, and that nothing of it was saved."""
    lines = "\n".join(f"  - {problem}" for problem in problems)
    return click.ClickException(f"{path} har {len(problems)} fejl, og intet er gemt:\n{lines}")


def read_import_file(path: str, read: Callable[[bytes, int], T]) -> T:
    """A grundlag or template file checked whole by `read` (the importer's reader) within the
    `IMPORT_MAX_MB` limit; any mistake ends the command with every mistake listed."""
    limit = int(current_app.config["IMPORT_MAX_MB"]) * 1024 * 1024
    raw = read_file(path, max_bytes=limit)
    try:
        return read(raw, limit)
    except ImportFileError as error:
        raise file_refused(path, error.problems) from None
