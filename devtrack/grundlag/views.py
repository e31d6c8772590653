from __future__ import annotations

from flask import abort, current_app, render_template
from flask_login import login_required

from devtrack.grundlag.blueprint import ELEMENT_PANELS, blueprint
from devtrack.grundlag.in_use import grundlag_in_use


@blueprint.route("/")
@login_required
def overview() -> str:
    return render_template("grundlag/overview.html", version=grundlag_in_use())


@blueprint.route("/<key>")
@login_required
def element(key: str) -> str:
    version = grundlag_in_use()
    element_version = version.element(key) if version is not None else None
    if element_version is None:
        abort(404)
    # Features above the grundlag (goals, feedback) add what the person does with the element.
    panels = [panel(element_version) for panel in current_app.extensions[ELEMENT_PANELS]]
    return render_template(
        "grundlag/element.html", version=version, element=element_version, panels=panels
    )
