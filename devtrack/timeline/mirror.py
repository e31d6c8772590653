"""The grundlag as a mirror: on an element's page, what the signed-in person does with it."""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload

from devtrack.extensions import db
from devtrack.feedback.models import Feedback
from devtrack.goals.models import Goal, GoalLink, GoalStatus
from devtrack.grundlag.in_use import ElementView
from devtrack.people.hierarchy import direct_reports

OPEN_SHARED = (GoalStatus.ACTIVE, GoalStatus.PAUSED)


def _linked_to(element_id: int) -> Any:
    """The goal links to the element: a correlated EXISTS, which uses the index on the goal's
    links (an IN list would gather every link to the element first)."""
    return exists().where(GoalLink.goal_id == Goal.id, GoalLink.element_id == element_id)


def element_mirror(element: ElementView) -> Markup:
    """The person's goals and received feedback on the element; for a leader, how many of
    their direct reports work on it."""
    element_id = element.element_id
    goals = db.session.scalars(
        select(Goal)
        .where(
            Goal.owner_id == current_user.id,
            _linked_to(element_id),
        )
        .order_by(Goal.created_at.desc())
    ).all()
    feedback = db.session.scalars(
        select(Feedback)
        .where(Feedback.receiver_id == current_user.id, Feedback.element_id == element_id)
        .order_by(Feedback.created_at.desc())
        .limit(20)
        .options(joinedload(Feedback.author))
    ).all()
    reports = direct_reports(current_user)
    working = 0
    if reports:
        working = int(
            db.session.scalar(
                select(func.count(func.distinct(Goal.owner_id))).where(
                    Goal.owner_id.in_([report.id for report in reports]),
                    Goal.shared_at.is_not(None),
                    Goal.status.in_(OPEN_SHARED),
                    _linked_to(element_id),
                )
            )
            or 0
        )
    return Markup(  # noqa: S704  (a rendered, autoescaped template)
        render_template(
            "timeline/element_mirror.html",
            element=element,
            goals=goals,
            feedback=feedback,
            reports=len(reports),
            working=working,
        )
    )
