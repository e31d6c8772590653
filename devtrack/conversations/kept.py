"""Labels for what the session-expired page shows back: each preparation answer under its
question (in the wording of the side that wrote it), each section note under its section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from devtrack.conversation_templates.models import Side, TemplateVersion
from devtrack.conversations.forms import TOPIC_SLOTS, answer_field, note_field
from devtrack.conversations.services import template_of


def _template(view_args: Mapping[str, Any]) -> TemplateVersion | None:
    conversation_id = view_args.get("conversation_id")
    return template_of(conversation_id) if isinstance(conversation_id, int) else None


def preparation_labels(
    view_args: Mapping[str, Any], form: Mapping[str, str]
) -> dict[str, str] | None:
    template = _template(view_args)
    if template is None:
        return None
    side = Side.LEADER if form.get("side") == Side.LEADER.value else Side.EMPLOYEE
    labels = {
        answer_field(question.key): question.text(side)
        for question in template.questions()
        if question.asks(side)
    }
    for slot in range(TOPIC_SLOTS):
        labels[f"topics-{slot}-text"] = _("Det vil jeg tale om, punkt %(number)d", number=slot + 1)
    return labels


def notes_labels(view_args: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, str] | None:
    template = _template(view_args)
    if template is None:
        return None
    return {note_field(section.key): section.title for section in template.sections}


LABELS = {"conversations.prepare": preparation_labels, "conversations.notes": notes_labels}
