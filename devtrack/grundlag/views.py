from __future__ import annotations

from flask import abort, current_app, render_template
from flask_login import login_required

from devtrack.grundlag.blueprint import ELEMENT_PANELS, blueprint
from devtrack.grundlag.services import current_version, element_in_version


@blueprint.route("/")
@login_required
def overview() -> str:
    return render_template("grundlag/overview.html", version=current_version())


@blueprint.route("/<key>")
@login_required
def element(key: str) -> str:
    version = current_version()
    if version is None:
        abort(404)
    element_version = element_in_version(version, key)
    if element_version is None:
        abort(404)
    # Features above the grundlag (goals, feedback) add what the person does with the element.
    panels = [panel(element_version) for panel in current_app.extensions[ELEMENT_PANELS]]
    return render_template(
        "grundlag/element.html", version=version, element=element_version, panels=panels
    )
