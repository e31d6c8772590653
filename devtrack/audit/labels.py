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


def action_label(action: AccessAction) -> str:
    return str(ACTION_LABELS[action])
