from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from devtrack.api.permissions import SCOPES

SCOPE_LABELS = {
    "org:write": _l("org:write – skriv organisationen (enheder og personer)"),
    "grundlag:read": _l("grundlag:read – læs grundlagets versioner"),
    "rounds:read": _l("rounds:read – læs runder og gennemførelse pr. enhed"),
    "reports:read": _l("reports:read – læs dækningsrapporten (med anonymitetsreglen)"),
}


class ApiClientForm(FlaskForm):  # type: ignore[misc]
    name = StringField(
        _l("Navn"),
        validators=[DataRequired(_l("Skriv, hvilket system klienten er.")), Length(max=100)],
        description=_l("Fx SOFD, intranettet eller BI-værktøjet."),
    )
    scopes = SelectMultipleField(
        _l("Adgang"),
        choices=[SelectChoice(scope, SCOPE_LABELS[scope]) for scope in SCOPES],
        validators=[DataRequired(_l("Vælg mindst én adgang."))],
        validate_choice=True,
    )
    days = IntegerField(
        _l("Gyldig i dage"),
        default=365,
        validators=[
            InputRequired(_l("Skriv, hvor mange dage nøglen skal virke.")),
            NumberRange(1, 3650, _l("Mellem 1 og 3650 dage.")),
        ],
    )
