from __future__ import annotations

from pathlib import Path

from flask import (
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from devtrack.conversations.services import (
    conversations_of,
    leader_todo,
    next_step_of,
    rounds_at_a_glance,
)
from devtrack.core import models as _models  # noqa: F401  (the health probe's table)
from devtrack.core.assets import municipality_logo_path
from devtrack.core.blueprint import blueprint
from devtrack.database import answers, write_problem
from devtrack.extensions import db
from devtrack.feedback.services import open_requests
from devtrack.goals.services import goals_of
from devtrack.grundlag.in_use import grundlag_in_use
from devtrack.i18n import SESSION_KEY, today_in_denmark
from devtrack.people.hierarchy import direct_reports
from devtrack.permissions import is_hr, leads_any_unit
from devtrack.security import safe_redirect_target


@blueprint.route("/")
@login_required
def home() -> str:
    """Everyone's goals, feedback asked of them and their own MUS, with the next step as one
    button; a leader's to-do for their reports; HR's rounds at a glance."""
    today = today_in_denmark()
    to_answer, _asked = open_requests(current_user)
    conversations = conversations_of(current_user)
    todo = None
    if leads_any_unit(current_user):
        reports = direct_reports(current_user)
        todo = leader_todo(reports, today, int(current_app.config["DEADLINE_REMINDER_DAYS"]))
    return render_template(
        "core/home.html",
        version=grundlag_in_use(),
        open_goals=goals_of(current_user, open_only=True),
        to_answer=to_answer,
        conversation=conversations[0] if conversations else None,
        next_step=next_step_of(conversations, len(to_answer)),
        todo=todo,
        rounds=rounds_at_a_glance(today) if is_hr(current_user) else None,
        today=today,
    )


@blueprint.route("/healthz")
def healthz() -> tuple[Response, int]:
    """For load balancers: 200 when the database answers and takes writes, 503 when not.

    `database` says which: "ok", "unreachable", "not_writable" (read-only, at its size
    limit) or "disk_full" (a SQLite file with less than `HEALTH_MIN_FREE_MB` beside it).
    """
    if not answers():
        return jsonify(status="unavailable", database="unreachable", writable=False), 503
    problem = write_problem()
    if problem is not None:
        return jsonify(status="degraded", database=problem, writable=False), 503
    return jsonify(status="ok", database="ok", writable=True), 200


@blueprint.route("/tilgaengelighed")
def accessibility_statement() -> str:
    return render_template("core/accessibility.html")


@blueprint.route("/sprog/<code>", methods=["POST"])
def choose_language(code: str) -> Response:
    """Posted by the language buttons in the header; back to the page the person was on."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session[SESSION_KEY] = code
    if current_user.is_authenticated:
        current_user.language = code
        db.session.commit()
    return redirect(safe_redirect_target(request.form.get("next")))


@blueprint.route("/assets/logo/<filename>")
def municipality_logo(filename: str) -> Response:
    """The municipality's logo from configuration; nothing else in its folder is served."""
    logo = municipality_logo_path(current_app)
    if logo is None or filename != logo.name:
        abort(404)
    return send_from_directory(logo.parent, logo.name, max_age=60 * 60 * 24)


@blueprint.route("/assets/dkfds/<path:filename>")
def dkfds_asset(filename: str) -> Response:
    """The Danish design system, served from where `npm install` put it."""
    directory = Path(current_app.config["DKFDS_DIST"])
    response = send_from_directory(directory, filename, max_age=60 * 60 * 24)
    return response
