"""The conversation feature's pages, one module per sub-feature: HR's rounds, the leader's
team, one conversation with its preparation, and the agreed plan with its follow-up."""

from typing import Any

from flask_login import current_user

from devtrack.conversations.blueprint import blueprint, team_blueprint
from devtrack.conversations.labels import HELPERS
from devtrack.conversations.models import Preparation
from devtrack.conversations.permissions import may_read_private_preparation
from devtrack.conversations.views import conversation, group, plan, rounds, team

__all__ = ["blueprint", "conversation", "group", "plan", "rounds", "team", "team_blueprint"]


@blueprint.app_context_processor
def conversation_helpers() -> dict[str, Any]:
    return {
        **HELPERS,
        "may_read_private_preparation": lambda preparation: (
            isinstance(preparation, Preparation)
            and may_read_private_preparation(current_user, preparation)
        ),
    }
