"""Who may see and act in a conversation."""

from __future__ import annotations

from devtrack.conversations.models import Conversation, GroupSession, Preparation, PreparationRole
from devtrack.people.hierarchy import is_nearest_leader_of, nearest_leader_ids
from devtrack.people.models import Person


def can_view_conversation(user: Person, conversation: Conversation) -> bool:
    """The employee and their nearest leader now: a new leader inherits at once, the former
    leader no longer sees it."""
    return user.id == conversation.employee_id or is_nearest_leader_of(user, conversation.employee)


def is_conversation_leader(user: Person, conversation: Conversation) -> bool:
    return is_nearest_leader_of(user, conversation.employee)


def is_conversation_employee(user: Person, conversation: Conversation) -> bool:
    return user.id == conversation.employee_id


def may_read_private_preparation(user: Person, preparation: Preparation) -> bool:
    """The whole of a preparation, not only what was shared. The employee's preparation is
    read by whoever may see the conversation; a leader's is private to its author, also
    after a change of leader: the new leader (and the employee) see only its shared notes."""
    if preparation.role == PreparationRole.EMPLOYEE:
        return can_view_conversation(user, preparation.conversation)
    return user.id == preparation.author_id


def can_lead_group(user: Person, group: GroupSession) -> bool:
    """The nearest leader now of everyone in the group meeting."""
    leaders = nearest_leader_ids([conversation.employee_id for conversation in group.conversations])
    return bool(leaders) and user.active and set(leaders.values()) == {user.id}


def can_view_group(user: Person, group: GroupSession) -> bool:
    """The participants and their leader: the notes are the group's."""
    return any(conv.employee_id == user.id for conv in group.conversations) or can_lead_group(
        user, group
    )
