"""What every conversation page starts with: the conversation, loaded for the page once the
signed-in person may see it, and the side they are on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_login import current_user

from devtrack.conversations.models import Conversation, PreparationRole, RoundKind
from devtrack.conversations.permissions import can_view_conversation, is_conversation_employee
from devtrack.conversations.services import (
    conversation_for_page,
    conversation_with_previous_for_page,
)
from devtrack.grundlag.links import ChoiceGroup, choice_groups
from devtrack.grundlag.models import Audience
from devtrack.permissions import get_or_404


def load(
    conversation_id: int,
    need: Any = can_view_conversation,
    loader: Callable[[int], Conversation | None] = conversation_for_page,
) -> Conversation:
    # What the page shows (`loader`) is loaded first, in one go; the permission check then
    # finds the conversation in the session (held here: the session keeps it only while it is
    # in use) without asking the database again.
    shown = loader(conversation_id)
    found = get_or_404(Conversation, conversation_id, need, subject=lambda conv: conv.employee)
    return shown or found


def load_with_previous(conversation_id: int) -> tuple[Conversation, Conversation | None]:
    """The conversation and the employee's previous one with a plan, in one statement."""
    shown, previous = conversation_with_previous_for_page(conversation_id)
    found = get_or_404(
        Conversation, conversation_id, can_view_conversation, subject=lambda conv: conv.employee
    )
    return shown or found, previous


def role_of(conversation: Conversation) -> PreparationRole:
    if is_conversation_employee(current_user, conversation):
        return PreparationRole.EMPLOYEE
    return PreparationRole.LEADER


def groups_for(conversation: Conversation) -> list[ChoiceGroup]:
    """The grundlag to choose from; a LUS is about the leadership part."""
    groups = choice_groups()
    if conversation.round.kind == RoundKind.LUS:
        leadership = [group for group in groups if group.part.audience == Audience.LEADERS]
        return leadership or groups
    return groups
