from flask import Blueprint

blueprint = Blueprint("core", __name__, static_folder="../static", static_url_path="/static/app")

from devtrack.core.navigation import layout_helpers

blueprint.app_context_processor(layout_helpers)
