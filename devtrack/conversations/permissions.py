"""Who may see and act in a conversation."""

from __future__ import annotations

from devtrack.conversations.models import Conversation
from devtrack.people.hierarchy import is_nearest_leader_of
from devtrack.people.models import Person


def can_view_conversation(user: Person, conversation: Conversation) -> bool:
    """The employee and their nearest leader now: a new leader inherits at once, the former
    leader no longer sees it."""
    return user.id == conversation.employee_id or is_nearest_leader_of(user, conversation.employee)


def is_conversation_leader(user: Person, conversation: Conversation) -> bool:
    return is_nearest_leader_of(user, conversation.employee)


def is_conversation_employee(user: Person, conversation: Conversation) -> bool:
    return user.id == conversation.employee_id
