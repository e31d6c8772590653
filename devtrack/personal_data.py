"""Each feature says how its share of a person's data is purged and exported.

A feature registers one `PersonalData` with the factory: the tables it answers for, a `purge`
that returns the bulk statements retention runs (in registration order), and an `export` that
returns its part of "Mine data". `devtrack/retention.py` and `devtrack/mydata` only call what is
registered, so a new table of personal data is handled by the feature that adds it, and
tests/test_personal_data.py fails when a table with a foreign key to `person` is claimed by no
feature.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Flask, current_app
from sqlalchemy.sql.dml import UpdateBase

from devtrack.people.models import Person

EXTENSION_KEY = "devtrack.personal_data"


@dataclass(frozen=True)
class PurgeScope:
    """What retention purges: these people's content, and shared logs older than a moment."""

    person_ids: Sequence[int]
    start_of_today: datetime  # Denmark's midnight
    access_log_before: datetime


# One bulk statement, named for the run's counts ("goals", "feedback_replies", …).
PurgeStep = tuple[str, UpdateBase]


@dataclass(frozen=True)
class PersonalData:
    feature: str
    # Every table of the feature that holds a person's data or points at a person; what the
    # purge does not delete or empty there is kept on purpose (see the feature's module).
    tables: tuple[str, ...]
    purge: Callable[[PurgeScope], list[PurgeStep]] | None = None
    export: Callable[[Person], dict[str, Any]] | None = None


def register(app: Flask, *hooks: PersonalData) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).extend(hooks)


def registered() -> list[PersonalData]:
    hooks: list[PersonalData] = current_app.extensions.get(EXTENSION_KEY, [])
    return hooks


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates as ISO text, enums as their value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def grundlag_reference(item: Any) -> dict[str, Any]:
    """What an object linked to the grundlag is about, by the texts the person saw."""
    return {
        "element": item.element_version.title,
        "statement": item.statement_version.text if item.statement_version else None,
    }
