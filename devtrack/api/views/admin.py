"""The administrators' page for API clients: create one (its key shown once), revoke one."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from devtrack.api.forms import SCOPE_LABELS, ApiClientForm
from devtrack.api.services import all_clients, client_by_id, create_client, revoke
from devtrack.extensions import db
from devtrack.forms import ActionForm
from devtrack.i18n import utcnow
from devtrack.permissions import is_admin, require

blueprint = Blueprint("api_clients", __name__, url_prefix="/admin/api-klienter")


def _page(form: ApiClientForm, token: str | None = None) -> str:
    return render_template(
        "api/clients.html",
        form=form,
        clients=all_clients(),
        token=token,
        now=utcnow(),
        action=ActionForm(),
        scope_labels=SCOPE_LABELS,
    )


@blueprint.route("/", methods=["GET", "POST"])
@require(is_admin)
def clients() -> str:
    form = ApiClientForm()
    if not form.validate_on_submit():
        return _page(form)
    new = create_client(
        form.name.data.strip(),
        list(form.scopes.data),
        days=int(form.days.data),
        rate_limit=int(current_app.config["API_CLIENT_RATE_LIMIT"]),
    )
    db.session.commit()
    return _page(ApiClientForm(formdata=None), token=new.token)


@blueprint.route("/<int:client_id>/tilbagekald", methods=["POST"])
@require(is_admin)
def revoke_client(client_id: int) -> Response:
    client = client_by_id(client_id)
    if client is None:
        abort(404)
    if ActionForm().validate_on_submit():
        revoke(client)
        db.session.commit()
        flash(_("Nøglen til %(name)s er tilbagekaldt.", name=client.name), "success")
    return redirect(url_for("api_clients.clients"))
