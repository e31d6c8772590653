from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from devtrack.goals.models import GoalEvent, GoalEventKind, GoalStatus

STATUS_LABELS: dict[GoalStatus, LazyString] = {
    GoalStatus.DRAFT: _l("Kladde"),
    GoalStatus.ACTIVE: _l("Aktivt"),
    GoalStatus.PAUSED: _l("Sat på pause"),
    GoalStatus.ACHIEVED: _l("Nået"),
    GoalStatus.DROPPED: _l("Opgivet"),
}


EVENT_KINDS: dict[GoalEventKind, LazyString] = {
    GoalEventKind.CREATED: _l("oprettet"),
    GoalEventKind.SHARED: _l("delt med lederen"),
    GoalEventKind.EDITED: _l("redigeret"),
    GoalEventKind.PROGRESS: _l("fremskridt"),
    GoalEventKind.STATUS: _l("status ændret"),
}


def status_label(status: GoalStatus) -> str:
    return str(STATUS_LABELS[status])


def event_sentence(event: GoalEvent) -> str:
    """What happened to the goal, in a sentence."""
    match event.kind:
        case GoalEventKind.CREATED:
            text = _("Målet blev oprettet.")
        case GoalEventKind.SHARED:
            text = _("Målet blev delt med lederen.")
        case GoalEventKind.EDITED:
            text = _("Målet blev redigeret.")
        case GoalEventKind.PROGRESS:
            text = _("Fremskridt.")
        case GoalEventKind.STATUS:
            text = _(
                "Status ændret fra %(old)s til %(new)s.",
                old=status_label(event.old_status) if event.old_status else "",
                new=status_label(event.new_status) if event.new_status else "",
            )
    return str(text)


HELPERS = {"goal_status_label": status_label, "goal_event_sentence": event_sentence}
