from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from devtrack.audit.services import log_read_of_other
from devtrack.extensions import db
from devtrack.forms import ActionForm, required_day, seen_version
from devtrack.goals.blueprint import blueprint
from devtrack.goals.forms import GoalForm, ProgressForm, StatusForm
from devtrack.goals.labels import HELPERS, STATUS_LABELS
from devtrack.goals.models import Goal, GoalStatus
from devtrack.goals.permissions import can_edit_goal, can_view_goal
from devtrack.goals.services import (
    NEXT_STATUSES,
    GoalConflict,
    add_progress,
    change_status,
    create_goal,
    goal_for_page,
    goals_of,
    share_goal,
    update_goal,
)
from devtrack.grundlag.links import choice_groups
from devtrack.i18n import today_in_denmark
from devtrack.permissions import get_or_404


@blueprint.app_context_processor
def goal_helpers() -> dict[str, Any]:
    return HELPERS


def _load(goal_id: int, need: object) -> Goal:
    goal = get_or_404(Goal, goal_id, need, subject=lambda goal: goal.owner)  # type: ignore[arg-type]
    loaded = goal_for_page(goal.id)
    if loaded is None:  # pragma: no cover  (just fetched)
        abort(404)
    return loaded


def _status_form(goal: Goal) -> StatusForm:
    form = StatusForm(prefix="status")
    form.status.choices = [
        (status.value, str(STATUS_LABELS[status])) for status in NEXT_STATUSES[goal.status]
    ]
    return form


def _render_goal(
    goal: Goal, progress: ProgressForm | None = None, status: StatusForm | None = None
) -> str:
    if progress is None:
        progress = ProgressForm(prefix="progress", formdata=None)
        progress.occurred_on.data = today_in_denmark()
    return render_template(
        "goals/detail.html",
        goal=goal,
        may_edit=can_edit_goal(current_user, goal),
        progress_form=progress,
        status_form=status or _status_form(goal),
    )


@blueprint.route("/")
@login_required
def index() -> str:
    return render_template("goals/index.html", goals=goals_of(current_user))


@blueprint.route("/nyt", methods=["GET", "POST"])
@login_required
def new() -> str | Response:
    form = GoalForm()
    if form.validate_on_submit():
        goal = create_goal(
            current_user,
            title=form.title.data.strip(),
            description=(form.description.data or "").strip(),
            target_date=form.target_date.data,
            choices=form.links.resolved,
            share=form.share.data,
        )
        db.session.commit()
        flash(_("Målet er gemt."), "success")
        return redirect(url_for("goals.detail", goal_id=goal.id))
    return render_template(
        "goals/form.html", form=form, groups=choice_groups(), goal=None, conflict=None
    )


@blueprint.route("/<int:goal_id>")
@login_required
def detail(goal_id: int) -> str:
    goal = _load(goal_id, can_view_goal)
    log_read_of_other(goal.owner, "goal", goal.id)
    page = _render_goal(goal)
    return page


@blueprint.route("/<int:goal_id>/rediger", methods=["GET", "POST"])
@login_required
def edit(goal_id: int) -> str | Response:
    goal = _load(goal_id, can_edit_goal)
    form = GoalForm(target_date=goal.target_date)  # a passed target date may stay
    conflict: Goal | None = None
    if not form.is_submitted():
        form.title.data = goal.title
        form.description.data = goal.description
        form.target_date.data = goal.target_date
        form.links.data = [link.reference_key for link in goal.links]
        form.version.data = str(goal.version)
    elif form.validate():
        try:
            update_goal(
                goal,
                current_user,
                seen_version=seen_version(form.version.data) or 0,
                title=form.title.data.strip(),
                description=(form.description.data or "").strip(),
                target_date=form.target_date.data,
                choices=form.links.resolved,
            )
            if form.share.data:
                share_goal(goal, current_user)
            db.session.commit()
        except (GoalConflict, StaleDataError):
            db.session.rollback()
            conflict = goal_for_page(goal_id)
        else:
            flash(_("Ændringerne er gemt."), "success")
            return redirect(url_for("goals.detail", goal_id=goal.id))
    if conflict is not None:
        # Keep what the person typed; show what was saved meanwhile; the next save wins.
        form.version.data = str(conflict.version)
    return render_template(
        "goals/form.html", form=form, groups=choice_groups(), goal=goal, conflict=conflict
    )


@blueprint.route("/<int:goal_id>/fremskridt", methods=["POST"])
@login_required
def progress(goal_id: int) -> str | Response:
    goal = _load(goal_id, can_edit_goal)
    form = ProgressForm(prefix="progress")
    if form.validate_on_submit():
        add_progress(
            goal,
            current_user,
            text=form.text.data.strip(),
            occurred_on=required_day(form.occurred_on),
            milestone=form.milestone.data,
        )
        db.session.commit()
        flash(_("Fremskridtet er noteret."), "success")
        return redirect(url_for("goals.detail", goal_id=goal.id))
    return _render_goal(goal, progress=form)


@blueprint.route("/<int:goal_id>/status", methods=["POST"])
@login_required
def status(goal_id: int) -> str | Response:
    goal = _load(goal_id, can_edit_goal)
    form = _status_form(goal)
    if form.validate_on_submit():
        change_status(
            goal, current_user, GoalStatus(form.status.data), (form.note.data or "").strip()
        )
        db.session.commit()
        flash(_("Status er ændret."), "success")
        return redirect(url_for("goals.detail", goal_id=goal.id))
    return _render_goal(goal, status=form)


@blueprint.route("/<int:goal_id>/del", methods=["POST"])
@login_required
def share(goal_id: int) -> Response:
    goal = _load(goal_id, can_edit_goal)
    if ActionForm().validate_on_submit():
        share_goal(goal, current_user)
        db.session.commit()
        flash(_("Målet er delt med din leder."), "success")
    return redirect(url_for("goals.detail", goal_id=goal.id))
