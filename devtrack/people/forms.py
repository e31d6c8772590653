from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length


class OrgImportForm(FlaskForm):  # type: ignore[misc]
    file = FileField(
        _l("Organisationsfil (CSV)"),
        validators=[
            FileRequired(_l("Vælg en fil.")),
            FileAllowed(["csv", "txt"], _l("Filen skal være en CSV-fil.")),
        ],
        description=_l("Semikolonsepareret CSV fra HR-systemet, som Excel gemmer den."),
    )


class PersonForm(FlaskForm):  # type: ignore[misc]
    employee_number = StringField(
        _l("Medarbejdernummer"),
        validators=[DataRequired(_l("Skriv medarbejdernummeret.")), Length(max=64)],
    )
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv navnet.")), Length(max=200)])
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(_l("Skriv e-mailen.")),
            Email(_l("Skriv en gyldig e-mail, fx navn@kommune.dk.")),
            Length(max=254),
        ],
    )
    unit_id = SelectField(_l("Enhed"), coerce=int)
