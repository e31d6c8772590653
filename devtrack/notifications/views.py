from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from devtrack.extensions import db
from devtrack.forms import ActionForm
from devtrack.notifications.blueprint import blueprint
from devtrack.notifications.models import Notification
from devtrack.notifications.services import latest_for, mark_all_read, mark_read, message_for
from devtrack.permissions import get_or_404

SHOWN = 100


@blueprint.app_context_processor
def notification_helpers() -> dict[str, object]:
    return {"notification_message": message_for}


@blueprint.route("/")
@login_required
def index() -> str:
    notifications = latest_for(current_user, SHOWN)
    return render_template("notifications/index.html", notifications=notifications)


@blueprint.route("/laest", methods=["POST"])
@login_required
def read_all() -> Response:
    if ActionForm().validate_on_submit():
        mark_all_read(current_user)
        db.session.commit()
        flash(_("Alle notifikationer er markeret som læst."), "success")
    return redirect(url_for("notifications.index"))


@blueprint.route("/<int:notification_id>/aabn", methods=["POST"])
@login_required
def open_one(notification_id: int) -> Response:
    notification = get_or_404(
        Notification,
        notification_id,
        lambda user, found: found.person_id == user.id,
        subject=lambda found: found.person,
    )
    if not ActionForm().validate_on_submit():
        return redirect(url_for("notifications.index"))
    if notification.read_at is None:
        mark_read(notification)
        db.session.commit()
    # Stored paths are made by url_for; anything else would be an open redirect.
    target = notification.path if notification.path.startswith("/") else "/"
    if target.startswith("//"):
        target = "/"
    return redirect(target)
