"""A person's goals in retention and "Mine data": deleted with their history and links."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from devtrack.extensions import db
from devtrack.goals.models import Goal, GoalEvent, GoalLink
from devtrack.people.models import Person
from devtrack.personal_data import PersonalData, PurgeScope, PurgeStep, grundlag_reference, plain


def purge(scope: PurgeScope) -> list[PurgeStep]:
    goals = select(Goal.id).where(Goal.owner_id.in_(scope.person_ids))
    return [
        ("goal_events", delete(GoalEvent).where(GoalEvent.goal_id.in_(goals))),
        ("goal_links", delete(GoalLink).where(GoalLink.goal_id.in_(goals))),
        ("goals", delete(Goal).where(Goal.id.in_(goals))),
    ]


def export(person: Person) -> dict[str, Any]:
    goals = db.session.scalars(
        select(Goal)
        .where(Goal.owner_id == person.id)
        .order_by(Goal.created_at)
        .options(
            selectinload(Goal.links).joinedload(GoalLink.element_version),
            selectinload(Goal.links).joinedload(GoalLink.statement_version),
            selectinload(Goal.events),
        )
    ).all()
    return {
        "goals": [
            {
                "title": goal.title,
                "description": goal.description,
                "status": plain(goal.status),
                "target_date": plain(goal.target_date),
                "shared_at": plain(goal.shared_at),
                "created_at": plain(goal.created_at),
                "grundlag": [grundlag_reference(link) for link in goal.links],
                "history": [
                    {
                        "kind": plain(event.kind),
                        "on": plain(event.occurred_on),
                        "text": event.text,
                        "milestone": event.milestone,
                        "old_status": plain(event.old_status),
                        "new_status": plain(event.new_status),
                        "at": plain(event.created_at),
                    }
                    for event in sorted(goal.events, key=lambda e: e.created_at)
                ],
            }
            for goal in goals
        ]
    }


# A leader's own entries on someone else's goal (goal_event.author_id) stay with that goal.
PERSONAL_DATA = PersonalData(
    "goals", tables=("goal", "goal_event", "goal_link"), purge=purge, export=export
)
