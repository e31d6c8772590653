from flask import Blueprint

blueprint = Blueprint("core", __name__)

from devtrack.core.navigation import layout_helpers

blueprint.app_context_processor(layout_helpers)
