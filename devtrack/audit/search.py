"""Finding entries in the access log: by whom, about whom, between two Danish days."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased, joinedload

from devtrack.audit.models import AccessLogEntry
from devtrack.database import LIKE_ESCAPE, like_pattern
from devtrack.extensions import db
from devtrack.i18n import DANISH_TIME
from devtrack.people.models import Person


@dataclass(frozen=True)
class LogFilter:
    """`person` and `actor` match a name or e-mail in part, or an employee number exactly."""

    person: str = ""
    actor: str = ""
    start: date | None = None
    end: date | None = None


def _matching_people(text: str) -> Select[Any]:
    who = aliased(Person)
    pattern = like_pattern(text.lower())
    return select(who.id).where(
        or_(
            who.email.like(pattern, escape=LIKE_ESCAPE),
            who.name.ilike(pattern, escape=LIKE_ESCAPE),
            who.employee_number == text,
        )
    )


def _statement(chosen: LogFilter) -> Select[Any]:
    statement = select(AccessLogEntry).options(
        joinedload(AccessLogEntry.actor), joinedload(AccessLogEntry.subject)
    )
    if chosen.person:
        statement = statement.where(AccessLogEntry.subject_id.in_(_matching_people(chosen.person)))
    if chosen.actor:
        statement = statement.where(AccessLogEntry.actor_id.in_(_matching_people(chosen.actor)))
    if chosen.start:
        statement = statement.where(
            AccessLogEntry.at >= datetime.combine(chosen.start, time.min, DANISH_TIME)
        )
    if chosen.end:
        after = chosen.end + timedelta(days=1)
        statement = statement.where(
            AccessLogEntry.at < datetime.combine(after, time.min, DANISH_TIME)
        )
    return statement.order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc())


def log_entries(chosen: LogFilter, *, limit: int, offset: int = 0) -> list[AccessLogEntry]:
    """One page of matching entries, the newest first, each with its actor and subject."""
    return list(db.session.scalars(_statement(chosen).limit(limit).offset(offset)))


def each_log_entry(chosen: LogFilter, *, limit: int) -> Iterator[AccessLogEntry]:
    """Matching entries for an export, streamed rather than held in a list."""
    yield from db.session.scalars(_statement(chosen).limit(limit))
