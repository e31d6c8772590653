from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length


class SigninForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("Skriv din e-mail.")), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Adgangskode"),
        validators=[DataRequired(_l("Skriv din adgangskode.")), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class NewPasswordForm(FlaskForm):  # type: ignore[misc]
    password = PasswordField(
        _l("Ny adgangskode"),
        validators=[DataRequired(_l("Skriv en ny adgangskode.")), Length(max=1000)],
        description=_l("Mindst 12 tegn. En sætning, du kan huske, er et godt valg."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Gentag den nye adgangskode"),
        validators=[
            DataRequired(_l("Gentag adgangskoden.")),
            EqualTo("password", _l("De to adgangskoder er ikke ens.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        _l("Nuværende adgangskode"),
        validators=[DataRequired(_l("Skriv din nuværende adgangskode.")), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
