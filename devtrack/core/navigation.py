"""What every page's layout needs: the main menu, the language, the organisation's name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, g, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from devtrack import permissions
from devtrack.core.assets import municipality_logo_path
from devtrack.database import is_unavailable, mark_unavailable, signed_in_user
from devtrack.grundlag.in_use import grundlag_in_use
from devtrack.grundlag.rendering import HELPERS
from devtrack.notifications.services import unread_count_in_request


@dataclass(frozen=True)
class MenuItem:
    text: str
    href: str
    current: bool


def main_menu() -> list[MenuItem]:
    # (endpoint, text, the endpoints whose pages belong under the entry, by prefix)
    entries = [
        ("core.home", _("Forside"), "core.home"),
        ("goals.index", _("Mine mål"), "goals."),
        ("feedback.index", _("Feedback"), "feedback."),
        ("timeline.mine", _("Tidslinje"), "timeline."),
        ("conversations.mine", _("Min MUS"), "conversations."),
        ("grundlag.overview", _("Vores grundlag"), "grundlag."),
    ]
    if permissions.leads_any_unit(current_user):
        entries.append(("team.overview", _("Mine medarbejdere"), "team."))
    if permissions.is_hr(current_user):
        entries.append(("conversations.rounds", _("Samtalerunder"), "conversations.round"))
        entries.append(("reports.index", _("Rapporter"), "reports."))
    if permissions.is_admin(current_user):
        entries += [
            ("people.people_list", _("Personer"), "people.person"),
            ("people.unit_tree", _("Enheder"), "people.unit"),
            ("people.org_import", _("Import"), "people.org_import"),
            ("audit.access_log", _("Adgangslog"), "audit."),
        ]
    endpoint_now = request.endpoint or ""
    owners = [prefix for _endpoint, _text, prefix in entries if endpoint_now.startswith(prefix)]
    # The most specific entry is the current one (a round page is under "Samtalerunder").
    current_prefix = max(owners, key=len) if owners else None
    return [
        MenuItem(text, url_for(endpoint), prefix == current_prefix or endpoint == endpoint_now)
        for endpoint, text, prefix in entries
    ]


def unread_notifications() -> int:
    return unread_count_in_request(current_user) if current_user.is_authenticated else 0


def organisation_name() -> str:
    if "organisation_name" not in g:
        grundlag = None
        if not is_unavailable():
            try:
                grundlag = grundlag_in_use()
            except SQLAlchemyError:
                mark_unavailable()
        g.organisation_name = (
            grundlag.framework.organisation
            if grundlag is not None
            else current_app.config["ORGANISATION_NAME"]
        )
    return str(g.organisation_name)


@dataclass(frozen=True)
class Identity:
    """Who runs this devtrack: the name and, when configured, the logo's address."""

    name: str
    logo_url: str | None


def municipality() -> Identity:
    if "municipality" not in g:
        logo = municipality_logo_path(current_app)
        g.municipality = Identity(
            name=str(current_app.config["MUNICIPALITY_NAME"] or organisation_name()),
            logo_url=url_for("core.municipality_logo", filename=logo.name) if logo else None,
        )
    identity: Identity = g.municipality
    return identity


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def layout_helpers() -> dict[str, Any]:
    return {
        "main_menu": main_menu,
        "organisation_name": organisation_name,
        "municipality": municipality,
        "current_language": current_language,
        "unread_notifications": unread_notifications,
        "signed_in_user": signed_in_user,
        **HELPERS,
    }
