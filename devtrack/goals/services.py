"""Changing goals. Every change leaves an event; services flush, the request commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import select, true
from sqlalchemy.orm import joinedload, selectinload

from devtrack.extensions import db
from devtrack.goals.models import (
    OPEN_STATUSES,
    Goal,
    GoalEvent,
    GoalEventKind,
    GoalLink,
    GoalStatus,
)
from devtrack.grundlag.models import ElementVersion, GrundlagChoice, sync_references
from devtrack.i18n import today_in_denmark, utcnow
from devtrack.notifications.models import NotificationKind
from devtrack.notifications.services import Reminder, notify_once
from devtrack.people.models import Person

# Where a goal may go from each status; a draft becomes active by being shared.
NEXT_STATUSES: dict[GoalStatus, tuple[GoalStatus, ...]] = {
    GoalStatus.DRAFT: (GoalStatus.DROPPED,),
    GoalStatus.ACTIVE: (GoalStatus.PAUSED, GoalStatus.ACHIEVED, GoalStatus.DROPPED),
    GoalStatus.PAUSED: (GoalStatus.ACTIVE, GoalStatus.ACHIEVED, GoalStatus.DROPPED),
    GoalStatus.ACHIEVED: (GoalStatus.ACTIVE,),
    GoalStatus.DROPPED: (GoalStatus.ACTIVE,),
}


class GoalConflict(Exception):
    """Someone saved the goal after this form was opened."""


def _event(goal: Goal, author: Person, kind: GoalEventKind, **values: object) -> GoalEvent:
    event = GoalEvent(
        author=author,
        kind=kind,
        occurred_on=values.pop("occurred_on", today_in_denmark()),
        **values,
    )
    goal.events.append(event)
    return event


def create_goal(
    owner: Person,
    *,
    title: str,
    description: str,
    target_date: date | None,
    choices: Sequence[GrundlagChoice],
    share: bool,
) -> Goal:
    goal = Goal(
        owner=owner,
        title=title,
        description=description,
        target_date=target_date,
        status=GoalStatus.DRAFT,
        links=[],
    )
    sync_references(goal.links, choices, GoalLink)
    db.session.add(goal)
    _event(goal, owner, GoalEventKind.CREATED)
    if share:
        share_goal(goal, owner)
    db.session.flush()
    return goal


def update_goal(
    goal: Goal,
    editor: Person,
    *,
    seen_version: int,
    title: str,
    description: str,
    target_date: date | None,
    choices: Sequence[GrundlagChoice],
) -> None:
    if seen_version != goal.version:
        raise GoalConflict
    goal.title = title
    goal.description = description
    goal.target_date = target_date
    sync_references(goal.links, choices, GoalLink)
    _event(goal, editor, GoalEventKind.EDITED)
    db.session.flush()


def share_goal(goal: Goal, owner: Person) -> None:
    if goal.shared_at is not None:
        return
    goal.shared_at = utcnow()
    if goal.status == GoalStatus.DRAFT:
        goal.status = GoalStatus.ACTIVE
    _event(goal, owner, GoalEventKind.SHARED)
    db.session.flush()


def add_progress(
    goal: Goal, author: Person, *, text: str, occurred_on: date, milestone: bool
) -> GoalEvent:
    event = _event(
        goal,
        author,
        GoalEventKind.PROGRESS,
        text=text,
        occurred_on=occurred_on,
        milestone=milestone,
    )
    db.session.flush()
    return event


def change_status(goal: Goal, author: Person, new_status: GoalStatus, note: str) -> None:
    if new_status not in NEXT_STATUSES[goal.status]:
        raise ValueError(f"a goal cannot go from {goal.status} to {new_status}")
    _event(
        goal,
        author,
        GoalEventKind.STATUS,
        old_status=goal.status,
        new_status=new_status,
        text=note,
    )
    goal.status = new_status
    db.session.flush()


def goal_for_page(goal_id: int) -> Goal | None:
    """A goal with everything its page shows, in a fixed number of queries."""
    return db.session.scalar(
        select(Goal)
        .where(Goal.id == goal_id)
        .options(
            joinedload(Goal.owner).joinedload(Person.unit),
            selectinload(Goal.links)
            .joinedload(GoalLink.element_version)
            .joinedload(ElementVersion.element),
            selectinload(Goal.links).joinedload(GoalLink.statement_version),
            selectinload(Goal.events).joinedload(GoalEvent.author),
        )
    )


def goals_of(owner: Person, *, open_only: bool = False) -> list[Goal]:
    """The owner's goals (or only the open ones), open ones first, each with its links."""
    goals = db.session.scalars(
        select(Goal)
        .where(Goal.owner_id == owner.id)
        .where(Goal.status.in_(OPEN_STATUSES) if open_only else true())
        .order_by(Goal.created_at.desc(), Goal.id.desc())
        .options(
            selectinload(Goal.links)
            .joinedload(GoalLink.element_version)
            .joinedload(ElementVersion.element),
            selectinload(Goal.links).joinedload(GoalLink.statement_version),
        )
    ).all()
    return sorted(goals, key=lambda goal: not goal.is_open)


def remind_deadlines(today: date, days: int) -> int:
    """Notify owners of active goals whose target date is within `days`; once per goal and date."""
    due = db.session.scalars(
        select(Goal)
        .where(
            Goal.status == GoalStatus.ACTIVE,
            Goal.target_date.is_not(None),
            Goal.target_date >= today,
            Goal.target_date <= today + timedelta(days=days),
        )
        .options(joinedload(Goal.owner))
    ).all()
    sent = notify_once(
        [
            Reminder(
                goal.owner,
                NotificationKind.DEADLINE_CLOSE,
                endpoint="goals.detail",
                url_values={"goal_id": goal.id},
                subject=goal.title,
                dedupe_key=f"goal-deadline:{goal.id}:{goal.target_date}",
            )
            for goal in due
        ]
    )
    db.session.flush()
    return sent
