"""Who may read a person's timeline."""

from __future__ import annotations

from devtrack.people.hierarchy import is_nearest_leader_of
from devtrack.people.models import Person


def can_view_timeline(user: Person, person: Person) -> bool:
    """A person's timeline: the person and their nearest leader (not HR, not admin)."""
    return user.id == person.id or is_nearest_leader_of(user, person)
