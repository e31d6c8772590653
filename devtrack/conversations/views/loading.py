"""What every conversation page starts with: the conversation, loaded for the page once the
signed-in person may see it, and the side they are on."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user

from devtrack.conversations.models import Conversation, PreparationRole, RoundKind
from devtrack.conversations.permissions import can_view_conversation, is_conversation_employee
from devtrack.conversations.services import conversation_for_page
from devtrack.grundlag.links import ChoiceGroup, choice_groups, version_for_choices
from devtrack.grundlag.models import Audience
from devtrack.permissions import get_or_404


def load(conversation_id: int, need: Any = can_view_conversation) -> Conversation:
    found = get_or_404(Conversation, conversation_id, need, subject=lambda conv: conv.employee)
    conversation = conversation_for_page(found.id)
    if conversation is None:  # pragma: no cover  (just fetched)
        abort(404)
    return conversation


def role_of(conversation: Conversation) -> PreparationRole:
    if is_conversation_employee(current_user, conversation):
        return PreparationRole.EMPLOYEE
    return PreparationRole.LEADER


def groups_for(conversation: Conversation) -> list[ChoiceGroup]:
    """The grundlag to choose from; a LUS is about the leadership part."""
    groups = choice_groups(version_for_choices())
    if conversation.round.kind == RoundKind.LUS:
        leadership = [group for group in groups if group.part.audience == Audience.LEADERS]
        return leadership or groups
    return groups
