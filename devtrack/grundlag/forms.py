"""A form field for choosing elements or behaviour statements of the grundlag."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.validators import StopValidation

from devtrack.grundlag.links import GrundlagChoiceError, resolve_choice, version_for_choices
from devtrack.grundlag.models import GrundlagChoice

MAX_CHOICES = 20


class GrundlagChoicesField(Field):  # type: ignore[misc]
    """One (`multiple=False`) or several elements or statements, as `e<id>` / `s<id>` values.

    Rendered by the `grundlag_choices` macro; after validation `resolved` holds the choices
    in the current version of the grundlag.
    """

    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        multiple: bool = True,
        required_message: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.multiple = multiple
        self.required_message = required_message or _l("Vælg mindst ét element fra grundlaget.")
        self.resolved: list[GrundlagChoice] = []
        self.flags.required = True

    def process_data(self, value: Any) -> None:
        self.data = list(value or [])

    def process_formdata(self, valuelist: list[Any]) -> None:
        values = [str(value) for value in valuelist if str(value).strip()]
        self.data = list(dict.fromkeys(values))
        if not self.multiple:
            self.data = self.data[:1]

    def pre_validate(self, form: Any) -> None:
        self.resolved = []
        if not self.data:
            raise StopValidation(str(self.required_message))
        if len(self.data) > MAX_CHOICES:
            raise StopValidation(str(_l("Vælg højst %(count)d elementer.", count=MAX_CHOICES)))
        version = version_for_choices()
        for value in self.data:
            try:
                self.resolved.append(resolve_choice(value, version))
            except GrundlagChoiceError as error:
                raise StopValidation(str(error)) from None
