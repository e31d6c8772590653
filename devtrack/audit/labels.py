"""What each kind of access log entry is called on the page."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from devtrack.audit.models import AccessAction

ACTION_LABELS: dict[AccessAction, LazyString] = {
    AccessAction.READ: _l("læst"),
    AccessAction.CREATE: _l("oprettet"),
    AccessAction.UPDATE: _l("ændret"),
    AccessAction.DELETE: _l("slettet"),
    AccessAction.EXPORT: _l("eksporteret"),
    AccessAction.SIGNIN: _l("logget ind"),
    AccessAction.SIGNOUT: _l("logget ud"),
    AccessAction.SIGNIN_FAILED: _l("mislykket login"),
    AccessAction.DENIED: _l("afvist"),
}


# What an entry is about (its object type), as a person reads it.
OBJECT_LABELS: dict[str, LazyString] = {
    "access_log": _l("adgangsloggen"),
    "agreement": _l("en aftale"),
    "api": _l("API'et"),
    "api_client": _l("en API-klient"),
    "conversation": _l("en samtale"),
    "conversation_round": _l("en samtalerunde"),
    "csrf": _l("en formular med forkert sikkerhedskode"),
    "development_plan": _l("en udviklingsplan"),
    "development_plan_pdf": _l("en udviklingsplan som PDF"),
    "feedback": _l("feedback"),
    "feedback_request": _l("en anmodning om feedback"),
    "follow_up": _l("en opfølgning"),
    "goal": _l("et mål"),
    "group_session": _l("en gruppesamtale"),
    "notification": _l("en notifikation"),
    "organisation": _l("organisationen"),
    "password": _l("adgangskoden"),
    "password_link": _l("et link til adgangskode"),
    "person": _l("personoplysninger"),
    "personal_data": _l("Mine data"),
    "preparation": _l("en forberedelse"),
    "retention": _l("sletning efter opbevaringsperioden"),
    "roles": _l("roller"),
    "team_overview": _l("oversigten over medarbejdere"),
    "timeline": _l("en tidslinje"),
}


def action_label(action: AccessAction) -> str:
    return str(ACTION_LABELS[action])


def object_label(object_type: str) -> str:
    """An entry's object type in words; a report's name, or a type not named here, as data."""
    if object_type in OBJECT_LABELS:
        return str(OBJECT_LABELS[object_type])
    if object_type.startswith("report_"):
        return str(_l("en HR-rapport"))
    return str(_l("data")) if object_type else ""
