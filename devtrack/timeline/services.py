"""The timeline as one SQL query over every kind of entry, then one query per kind to load
the page's entries: a fixed number of queries however many years a person has.

Each feature contributes a *source*: a function that, given who looks at whose timeline and
the filters, returns a SELECT of (kind, id, at) rows the viewer may see, or None when the
filters rule that kind out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, literal, or_, select, union_all
from sqlalchemy.orm import joinedload

from devtrack.extensions import db
from devtrack.feedback.models import Feedback, FeedbackSource
from devtrack.goals.models import Goal, GoalEvent, GoalEventKind, GoalLink
from devtrack.grundlag.models import ElementVersion
from devtrack.people.models import Person


class EntryKind:
    GOAL = "goal"
    PROGRESS = "progress"
    FEEDBACK = "feedback"
    CONVERSATION = "conversation"


@dataclass(frozen=True)
class TimelineFilter:
    element_id: int | None = None
    kind: str | None = None
    since: datetime | None = None


@dataclass
class TimelineEntry:
    kind: str
    at: datetime
    item: Any


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    page: int
    has_older: bool
    sources_used: list[str] = field(default_factory=list)


Source = Callable[[Person, Person, TimelineFilter], "Select[*tuple[Any, ...]] | None"]
Loader = Callable[[list[int]], dict[int, Any]]


def _goal_events(
    viewer: Person, person: Person, filters: TimelineFilter
) -> Select[str, int, datetime] | None:
    if filters.kind not in (None, EntryKind.GOAL, EntryKind.PROGRESS):
        return None
    is_progress = GoalEvent.kind == GoalEventKind.PROGRESS
    query = (
        select(
            literal(EntryKind.GOAL).label("kind"),
            GoalEvent.id.label("id"),
            GoalEvent.created_at.label("at"),
        )
        .join(Goal, GoalEvent.goal_id == Goal.id)
        .where(Goal.owner_id == person.id)
    )
    if viewer.id != person.id:
        query = query.where(Goal.shared_at.is_not(None))
    if filters.kind == EntryKind.PROGRESS:
        query = query.where(is_progress)
    elif filters.kind == EntryKind.GOAL:
        query = query.where(~is_progress)
    if filters.element_id is not None:
        query = query.where(
            exists().where(GoalLink.goal_id == Goal.id, GoalLink.element_id == filters.element_id)
        )
    if filters.since is not None:
        query = query.where(GoalEvent.created_at >= filters.since)
    return query


def _feedback(
    viewer: Person, person: Person, filters: TimelineFilter
) -> Select[str, int, datetime] | None:
    if filters.kind not in (None, EntryKind.FEEDBACK):
        return None
    query = select(
        literal(EntryKind.FEEDBACK).label("kind"),
        Feedback.id.label("id"),
        Feedback.created_at.label("at"),
    ).where(Feedback.receiver_id == person.id)
    if viewer.id != person.id:
        query = query.where(
            or_(
                Feedback.source == FeedbackSource.LEADER,
                Feedback.shared_with_leader.is_(True),
                Feedback.author_id == viewer.id,
            )
        )
    if filters.element_id is not None:
        query = query.where(Feedback.element_id == filters.element_id)
    if filters.since is not None:
        query = query.where(Feedback.created_at >= filters.since)
    return query


def _load_goal_events(ids: list[int]) -> dict[int, Any]:
    events = db.session.scalars(
        select(GoalEvent)
        .where(GoalEvent.id.in_(ids))
        .options(joinedload(GoalEvent.goal), joinedload(GoalEvent.author))
    )
    return {event.id: event for event in events}


def _load_feedback(ids: list[int]) -> dict[int, Any]:
    found = db.session.scalars(
        select(Feedback)
        .where(Feedback.id.in_(ids))
        .options(
            joinedload(Feedback.author),
            joinedload(Feedback.element_version).joinedload(ElementVersion.element),
            joinedload(Feedback.statement_version),
        )
    )
    return {feedback.id: feedback for feedback in found}


SOURCES: dict[str, tuple[Source, Loader]] = {
    "goal_events": (_goal_events, _load_goal_events),
    "feedback": (_feedback, _load_feedback),
}
# Which source a row's kind came from (progress notes are goal events).
KIND_SOURCE = {EntryKind.GOAL: "goal_events", EntryKind.FEEDBACK: "feedback"}


def register_source(name: str, kind: str, source: Source, loader: Loader) -> None:
    """Let a feature above the timeline (the conversations) add its entries."""
    SOURCES[name] = (source, loader)
    KIND_SOURCE[kind] = name


def timeline_page(
    viewer: Person, person: Person, filters: TimelineFilter, page: int, page_size: int
) -> TimelinePage:
    selects = [
        query
        for source, _loader in SOURCES.values()
        if (query := source(viewer, person, filters)) is not None
    ]
    if not selects:
        return TimelinePage([], page, has_older=False)
    combined = union_all(*selects).subquery()
    rows = db.session.execute(
        select(combined.c.kind, combined.c.id, combined.c.at)
        .order_by(combined.c.at.desc(), combined.c.kind, combined.c.id.desc())
        .limit(page_size + 1)
        .offset((page - 1) * page_size)
    ).all()
    has_older = len(rows) > page_size
    rows = rows[:page_size]
    wanted: dict[str, list[int]] = {}
    for kind, row_id, _at in rows:
        wanted.setdefault(KIND_SOURCE[kind], []).append(row_id)
    loaded = {name: SOURCES[name][1](ids) for name, ids in wanted.items()}
    entries = []
    for kind, row_id, at in rows:
        item = loaded[KIND_SOURCE[kind]].get(row_id)
        if item is not None:
            entry_kind = kind
            if kind == EntryKind.GOAL and item.kind == GoalEventKind.PROGRESS:
                entry_kind = EntryKind.PROGRESS
            entries.append(TimelineEntry(entry_kind, at, item))
    return TimelinePage(entries, page, has_older)


# When the person's last MUS was held; the conversations feature provides it.
_last_conversation: list[Callable[[Person], datetime | None]] = []


def register_last_conversation(finder: Callable[[Person], datetime | None]) -> None:
    _last_conversation[:] = [finder]


def last_conversation_at(person: Person) -> datetime | None:
    return _last_conversation[0](person) if _last_conversation else None
