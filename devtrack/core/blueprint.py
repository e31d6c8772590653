from flask import Blueprint

from devtrack.core.navigation import layout_helpers

blueprint = Blueprint("core", __name__)
blueprint.app_context_processor(layout_helpers)
