"""Form pieces every feature uses: Danish messages for WTForms' built-in checks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Length, ValidationError


class ActionForm(FlaskForm):  # type: ignore[misc]
    """A button that changes something: it carries nothing but the CSRF token."""


def at_most(characters: int) -> Length:
    return Length(max=characters, message=_l("Skriv højst %(max)d tegn.", max=characters))


class DayField(DateField):  # type: ignore[misc]
    """A date typed as YYYY-MM-DD (browsers show a date picker), with a Danish message."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, format="%Y-%m-%d", **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = datetime.strptime(str(valuelist[0]).strip(), "%Y-%m-%d").date()
        except ValueError:
            self.data = None
            raise ValueError(str(_l("Skriv datoen som år-måned-dag, fx 2027-03-01."))) from None


class ChoiceField(SelectField):  # type: ignore[misc]
    """A select whose value must be one on the list, refused in the user's language. It is
    therefore required, and the form marks it so (not "optional")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.flags.required = True

    def pre_validate(self, form: Any) -> None:
        values = {str(value) for value, *_rest in (self.choices or [])}
        if str(self.data) not in values:
            raise ValidationError(str(_l("Vælg en af mulighederne på listen.")))


def seen_version(value: str | None) -> int | None:
    """The version a form was opened on; None when it carried none (nothing saved yet).

    Anything that is not a number cannot match a saved version, so it counts as stale:
    the person sees the conflict page with their text kept, never an error.
    """
    text = (value or "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) < 10 else -1


def as_id(value: str | None) -> int | None:
    """A database id typed into a form, or None for anything else (including absurd lengths)."""
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None
