"""'Mine data' in words: each field of the export by a name a person reads, each stored value
(a status, a kind, yes or no, a date) as the rest of devtrack shows it.

The JSON download keeps the export's own keys and values; only the page goes through here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from devtrack.audit.labels import action_label, object_label
from devtrack.audit.models import AccessAction
from devtrack.conversations.labels import AGREEMENT_STATUSES, DEVELOPMENT_KINDS, STATES
from devtrack.conversations.models import AgreementStatus, ConversationState, DevelopmentKind
from devtrack.feedback.labels import REQUEST_STATUSES, source_label
from devtrack.feedback.models import FeedbackSource, RequestStatus
from devtrack.goals.labels import EVENT_KINDS, status_label
from devtrack.goals.models import GoalEventKind, GoalStatus
from devtrack.i18n import readable
from devtrack.notifications.labels import kind_label
from devtrack.notifications.models import NotificationKind

FIELDS: dict[str, LazyString] = {
    # About you
    "name": _l("Navn"),
    "email": _l("E-mail"),
    "employee_number": _l("Medarbejdernummer"),
    "unit": _l("Enhed"),
    "start_date": _l("Ansat fra"),
    "end_date": _l("Ansat til"),
    "active": _l("Aktiv"),
    "hr": _l("HR"),
    "admin": _l("Administrator"),
    "language": _l("Sprog"),
    "last_signin_at": _l("Sidst logget ind"),
    # Goals
    "title": _l("Titel"),
    "description": _l("Beskrivelse"),
    "status": _l("Status"),
    "target_date": _l("Måldato"),
    "shared_at": _l("Delt med lederen"),
    "created_at": _l("Oprettet"),
    "kind": _l("Slags"),
    "on": _l("Dato"),
    "text": _l("Tekst"),
    "milestone": _l("Milepæl"),
    "old_status": _l("Tidligere status"),
    "new_status": _l("Ny status"),
    "at": _l("Tidspunkt"),
    # Feedback
    "direction": _l("Retning"),
    "from": _l("Fra"),
    "to": _l("Til"),
    "source": _l("Fra hvem"),
    "situation_date": _l("Situationens dato"),
    "shared_with_leader": _l("Delt med lederen"),
    "message": _l("Besked"),
    # Conversations and plans
    "round": _l("Runde"),
    "state": _l("Status"),
    "booked_for": _l("Booket til"),
    "held_at": _l("Afholdt"),
    "shared_by_leader": _l("Noter, lederen har delt"),
    "individual_mus_requested_at": _l("Du bad om en individuel MUS"),
    "group_meeting": _l("Gruppesamtale"),
    "place": _l("Sted"),
    "notes": _l("Noter"),
    "looking_back": _l("Set tilbage"),
    "now": _l("Nu"),
    "wellbeing": _l("Trivsel"),
    "cooperation": _l("Samarbejdet med din leder"),
    "ahead": _l("Fremad"),
    "summary": _l("Referat"),
    "disagreement": _l("Din bemærkning om uenighed"),
    "employee_acknowledged_at": _l("Du kvitterede"),
    "leader_acknowledged_at": _l("Lederen kvitterede"),
    "what": _l("Aftalen"),
    "who_does_what": _l("Hvem gør hvad"),
    "deadline": _l("Frist"),
    "success": _l("Sådan ser succes ud"),
    "note": _l("Bemærkning"),
    "agreement": _l("Aftale nr."),
    "my_preparation": _l("Din forberedelse"),
    "template": _l("Samtaleskabelon"),
    "plan": _l("Udviklingsplan"),
    # What a goal, feedback or request is about
    "element": _l("Element"),
    "statement": _l("Udsagn"),
    # Notifications and the access log
    "subject": _l("Om"),
    "by": _l("Hvem"),
    "action": _l("Handling"),
    "object": _l("Hvad"),
    "object_id": _l("Nummer"),
}


def _direction(value: str) -> str:
    return str(_("modtaget") if value == "received" else _("givet"))


def _language(value: str) -> str:
    return str({"da": _("Dansk"), "en": _("Engelsk")}.get(value, value))


def _goal_status(value: str) -> str:
    return status_label(GoalStatus(value))


# The values stored as machine words, by the section and field they stand in.
VALUES: dict[tuple[str, str], Callable[[Any], str]] = {
    ("person", "language"): _language,
    ("goals", "status"): _goal_status,
    ("history", "kind"): lambda value: str(EVENT_KINDS[GoalEventKind(value)]),
    ("history", "old_status"): _goal_status,
    ("history", "new_status"): _goal_status,
    ("feedback", "direction"): _direction,
    ("feedback", "source"): lambda value: source_label(FeedbackSource(value)),
    ("feedback_requests", "status"): lambda value: str(REQUEST_STATUSES[RequestStatus(value)]),
    ("conversations", "state"): lambda value: str(STATES[ConversationState(value)]),
    ("agreements", "kind"): lambda value: str(DEVELOPMENT_KINDS[DevelopmentKind(value)]),
    ("agreements", "status"): lambda value: str(AGREEMENT_STATUSES[AgreementStatus(value)]),
    ("follow_ups", "status"): lambda value: str(AGREEMENT_STATUSES[AgreementStatus(value)]),
    ("notifications", "kind"): lambda value: kind_label(NotificationKind(value)),
    ("access_log", "action"): lambda value: action_label(AccessAction(value)),
    ("access_log", "object"): object_label,
}


def field_label(key: str) -> str:
    return str(FIELDS[key]) if key in FIELDS else key


def value_text(section: str, key: str, value: Any) -> str:
    """A stored value as the page shows it."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("Ja") if value else _("Nej"))
    show = VALUES.get((section, key))
    if show is not None:
        return show(value)
    return str(readable(value))


def facts(section: str, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The simple fields of one part of the export, as (label, value) pairs to list."""
    return [
        (field_label(key), value_text(section, key, value))
        for key, value in values.items()
        if value not in (None, "", [], {}) and not isinstance(value, list | dict)
    ]


HELPERS = {"my_data_facts": facts, "my_data_value": value_text}
