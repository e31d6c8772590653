from flask import Blueprint

blueprint = Blueprint("grundlag", __name__, url_prefix="/grundlag")

# app.extensions key: callables (in_use.ElementView -> Markup) whose output the element page shows.
ELEMENT_PANELS = "devtrack.element_panels"
