"""Who may open a person's profile."""

from __future__ import annotations

from devtrack.people.hierarchy import is_nearest_leader_of
from devtrack.people.models import Person
from devtrack.permissions import is_admin


def can_view_person(user: Person, person: Person) -> bool:
    """A person's own page; their nearest leader; HR and admin for the person's basic record."""
    return user.id == person.id or is_nearest_leader_of(user, person) or is_admin(user)
