from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField


class DefaultsForm(FlaskForm):  # type: ignore[misc]
    mus = SelectField(_l("Standard for MUS"), validate_choice=False)
    lus = SelectField(_l("Standard for LUS"), validate_choice=False)
    gus = SelectField(_l("Standard for GUS"), validate_choice=False)
