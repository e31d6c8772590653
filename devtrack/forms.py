"""Form pieces every feature uses: Danish messages for WTForms' built-in checks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField, SelectField
from wtforms.validators import Length, ValidationError
from wtforms.widgets import core as widgets

from devtrack.i18n import today_in_denmark


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


def required_day(field: DayField) -> date:
    """The day a required DayField holds once its form has validated."""
    day: date | None = field.data
    if day is None:  # pragma: no cover  (DataRequired refuses an empty day first)
        raise ValueError(f"{field.name} holds no day; validate the form first")
    return day


class DayBeside:
    """A day on one side of today, a Danish day (today itself is always allowed).

    The day the form was opened with may stay (`field.object_data`): an agreement whose
    deadline has passed can still be edited without moving the deadline.
    """

    def __init__(self, side: Literal["past", "future"], message: Any) -> None:
        self.side = side
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        day: date | None = field.data
        if day is None or day == field.object_data:
            return
        today = today_in_denmark()
        if (day < today) if self.side == "future" else (day > today):
            raise ValidationError(str(self.message))


def not_in_the_past(message: Any = None) -> DayBeside:
    """Today or later, e.g. a deadline or a booking."""
    return DayBeside("future", message or _l("Datoen ligger i fortiden."))


def not_in_the_future(message: Any = None) -> DayBeside:
    """Today or earlier, e.g. the day something happened."""
    return DayBeside("past", message or _l("Datoen ligger i fremtiden."))


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


# WTForms writes each attribute of each field and option with `Markup.format`, which parses its
# format string again every time: a page with a dozen fields (the plan has a follow-up form per
# agreement) spent more on that than on the rest of its forms. `html_params` writes the same
# attributes, byte for byte (tests/test_forms_render.py compares it with WTForms' own).
WTFORMS_HTML_PARAMS = widgets.html_params


def html_params(**kwargs: Any) -> Markup:
    """WTForms' `html_params` (widgets/core.py): sorted `key="escaped value"` pairs, a True value
    as the bare key, a False one left out, `class_` as `class`, `data_`/`aria_` with hyphens."""
    params: list[str] = []
    for key, value in sorted(kwargs.items()):
        name = escape(widgets.clean_key(key))
        if value is True:
            params.append(name)
        elif value is not False:
            params.append(f'{name}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))  # noqa: S704  (every name and value is escaped above)


def render_fields_faster() -> None:
    """Every widget writes its attributes with `html_params` above (done once, by the factory)."""
    widgets.html_params = html_params
    for widget in (widgets.Input, widgets.Button):
        widget.html_params = staticmethod(html_params)
