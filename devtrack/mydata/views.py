from __future__ import annotations

import json
from typing import Any

from flask import Response, render_template
from flask_login import current_user, login_required

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.mydata.blueprint import blueprint
from devtrack.mydata.labels import HELPERS
from devtrack.mydata.services import personal_data


@blueprint.context_processor
def my_data_helpers() -> dict[str, Any]:
    return HELPERS


@blueprint.route("/")
@login_required
def page() -> str:
    return render_template("mydata/page.html", data=personal_data(current_user))


@blueprint.route("/mine-data.json")
@login_required
def download() -> Response:
    data = personal_data(current_user)
    log_access(AccessAction.EXPORT, subject=current_user, object_type="personal_data")
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="devtrack-mine-data.json"'},
    )
