"""The API's browsable documentation: Swagger UI, served from this server (no CDN) and started
by a script file of ours, so it runs under the strict Content-Security-Policy."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, send_from_directory
from werkzeug.wrappers import Response

blueprint = Blueprint("api_docs", __name__, url_prefix="/api/v1/docs")

# The only files of the swagger-ui-dist package the page needs.
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js"})


@blueprint.route("/")
def page() -> str:
    return render_template("api/docs.html")


@blueprint.route("/assets/<path:filename>")
def asset(filename: str) -> Response:
    if filename not in ASSETS:
        abort(404)
    return send_from_directory(
        current_app.config["SWAGGER_UI_DIST"], filename, max_age=60 * 60 * 24
    )
