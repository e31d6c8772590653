"""What each kind of notification is called where it is listed by kind ("Mine data")."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from devtrack.notifications.models import NotificationKind

KIND_LABELS: dict[NotificationKind, LazyString] = {
    NotificationKind.FEEDBACK_RECEIVED: _l("Feedback til dig"),
    NotificationKind.FEEDBACK_REPLY: _l("Svar på feedback"),
    NotificationKind.FEEDBACK_REQUESTED: _l("Anmodning om feedback"),
    NotificationKind.PLAN_AWAITING_ACKNOWLEDGEMENT: _l("Plan venter på kvittering"),
    NotificationKind.PLAN_AMENDED: _l("Plan ændret"),
    NotificationKind.INDIVIDUAL_MUS_REQUESTED: _l("Ønske om individuel MUS"),
    NotificationKind.DEADLINE_CLOSE: _l("Frist tæt på"),
}


def kind_label(kind: NotificationKind) -> str:
    return str(KIND_LABELS[kind])
