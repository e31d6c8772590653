"""Who may see and change a goal."""

from __future__ import annotations

from devtrack.goals.models import Goal
from devtrack.people.hierarchy import is_nearest_leader_of
from devtrack.people.models import Person


def can_view_goal(user: Person, goal: Goal) -> bool:
    """A draft is its owner's alone; a shared goal is seen by the owner's nearest leader too."""
    return user.id == goal.owner_id or (
        goal.shared_at is not None and is_nearest_leader_of(user, goal.owner)
    )


def can_edit_goal(user: Person, goal: Goal) -> bool:
    return user.id == goal.owner_id
