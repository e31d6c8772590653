"""Names of the grundlag's kinds and audiences in the user's language."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from devtrack.grundlag.models import Audience, ElementKind

KIND_LABELS: dict[ElementKind, LazyString] = {
    ElementKind.VALUE: _l("Værdi"),
    ElementKind.THEME: _l("Tema"),
    ElementKind.COMMITMENT: _l("Forpligtelse"),
    ElementKind.COMPETENCY: _l("Ledelseskompetence"),
    ElementKind.PEJLEMAERKE: _l("Pejlemærke"),
    ElementKind.EXPECTATION_GROUP: _l("Forventninger"),
    ElementKind.FOUNDATION: _l("Fundament"),
}

AUDIENCE_LABELS: dict[Audience, LazyString] = {
    Audience.ALL: _l("Alle medarbejdere"),
    Audience.LEADERS: _l("Ledere"),
}
