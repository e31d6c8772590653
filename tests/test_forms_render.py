"""Form fields render exactly as WTForms renders them, only faster (devtrack/forms.py)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from devtrack.forms import WTFORMS_HTML_PARAMS, html_params

ATTRIBUTES: list[dict[str, Any]] = [
    {},
    {"name": "what", "id": "what", "class": "form-input"},
    {"class_": "form-input input-width-s", "required": True, "disabled": False},
    {"value": 'Mødet "om" <mål> & feedback', "aria_describedby": "a-hint a-error"},
    {"data_none": "Intet i grundlaget matcher søgningen.", "aria_invalid": "true"},
    {"value": Markup('<b>allerede "sikker"</b>'), "selected": True, "maxlength": 4000},
    {"value": None, "type": "date", "for_": "on", "min": 0},
]


@pytest.mark.parametrize("attributes", ATTRIBUTES)
def test_attributes_are_written_as_wtforms_writes_them(attributes: dict[str, Any]) -> None:
    ours, theirs = html_params(**attributes), WTFORMS_HTML_PARAMS(**attributes)
    assert (ours, type(ours)) == (theirs, type(theirs))


def test_translated_attribute_values_are_written_as_wtforms_writes_them(app: Flask) -> None:
    with app.test_request_context():
        attributes = {"placeholder": _l("Aftalen"), "title": _l("Sådan ser succes ud")}
        assert html_params(**attributes) == WTFORMS_HTML_PARAMS(**attributes)
