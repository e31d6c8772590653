"""Everything stored about one person, as plain data (for the page and the JSON download).

The one thing left out is the leader's private MUS preparation: the domain keeps it the
leader's own, and what the leader chose to share is included.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from devtrack.audit.models import AccessLogEntry
from devtrack.conversations.models import (
    Agreement,
    Conversation,
    DevelopmentPlan,
    Preparation,
    PreparationRole,
)
from devtrack.extensions import db
from devtrack.feedback.models import Feedback, FeedbackRequest
from devtrack.goals.models import Goal, GoalLink
from devtrack.notifications.models import Notification
from devtrack.people.models import Person


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def _reference(item: Any) -> dict[str, Any]:
    return {
        "element": item.element_version.title,
        "statement": item.statement_version.text if item.statement_version else None,
    }


def personal_data(person: Person) -> dict[str, Any]:
    goals = db.session.scalars(
        select(Goal)
        .where(Goal.owner_id == person.id)
        .order_by(Goal.created_at)
        .options(
            selectinload(Goal.links).joinedload(GoalLink.element_version),
            selectinload(Goal.links).joinedload(GoalLink.statement_version),
            selectinload(Goal.events),
        )
    ).all()
    feedback = db.session.scalars(
        select(Feedback)
        .where(or_(Feedback.receiver_id == person.id, Feedback.author_id == person.id))
        .order_by(Feedback.created_at)
        .options(
            joinedload(Feedback.author),
            joinedload(Feedback.receiver),
            joinedload(Feedback.element_version),
            joinedload(Feedback.statement_version),
            selectinload(Feedback.replies),
        )
    ).all()
    requests = db.session.scalars(
        select(FeedbackRequest)
        .where(
            or_(
                FeedbackRequest.requester_id == person.id,
                FeedbackRequest.recipient_id == person.id,
            )
        )
        .options(
            joinedload(FeedbackRequest.requester),
            joinedload(FeedbackRequest.recipient),
            joinedload(FeedbackRequest.element_version),
            joinedload(FeedbackRequest.statement_version),
        )
    ).all()
    conversations = db.session.scalars(
        select(Conversation)
        .where(Conversation.employee_id == person.id)
        .order_by(Conversation.invited_at)
        .options(
            joinedload(Conversation.round),
            selectinload(Conversation.preparations).selectinload(Preparation.topics),
            selectinload(Conversation.plan)
            .selectinload(DevelopmentPlan.agreements)
            .selectinload(Agreement.links),
            selectinload(Conversation.plan)
            .selectinload(DevelopmentPlan.agreements)
            .selectinload(Agreement.follow_ups),
            selectinload(Conversation.plan).selectinload(DevelopmentPlan.amendments),
        )
    ).all()
    notifications = db.session.scalars(
        select(Notification).where(Notification.person_id == person.id)
    ).all()
    access = db.session.scalars(
        select(AccessLogEntry)
        .where(AccessLogEntry.subject_id == person.id)
        .order_by(AccessLogEntry.at)
        .options(joinedload(AccessLogEntry.actor))
    ).all()
    return {
        "person": {
            "name": person.name,
            "email": person.email,
            "employee_number": person.employee_number,
            "unit": person.unit.name,
            "start_date": _value(person.start_date),
            "end_date": _value(person.end_date),
            "active": person.active,
            "hr": person.is_hr,
            "admin": person.is_admin,
            "language": person.language,
            "last_signin_at": _value(person.last_signin_at),
        },
        "goals": [
            {
                "title": goal.title,
                "description": goal.description,
                "status": _value(goal.status),
                "target_date": _value(goal.target_date),
                "shared_at": _value(goal.shared_at),
                "created_at": _value(goal.created_at),
                "grundlag": [_reference(link) for link in goal.links],
                "history": [
                    {
                        "kind": _value(event.kind),
                        "on": _value(event.occurred_on),
                        "text": event.text,
                        "milestone": event.milestone,
                        "old_status": _value(event.old_status),
                        "new_status": _value(event.new_status),
                        "at": _value(event.created_at),
                    }
                    for event in sorted(goal.events, key=lambda e: e.created_at)
                ],
            }
            for goal in goals
        ],
        "feedback": [
            {
                "direction": "received" if item.receiver_id == person.id else "given",
                "from": item.author.name,
                "to": item.receiver.name,
                "source": _value(item.source),
                "text": item.text,
                "situation_date": _value(item.situation_date),
                "shared_with_leader": item.shared_with_leader,
                "created_at": _value(item.created_at),
                "about": _reference(item),
                "replies": [
                    {"text": reply.text, "at": _value(reply.created_at)} for reply in item.replies
                ],
            }
            for item in feedback
        ],
        "feedback_requests": [
            {
                "from": request.requester.name,
                "to": request.recipient.name,
                "message": request.message,
                "status": _value(request.status),
                "about": _reference(request),
                "created_at": _value(request.created_at),
            }
            for request in requests
        ],
        "conversations": [_conversation(conversation) for conversation in conversations],
        "notifications": [
            {"kind": _value(n.kind), "subject": n.subject, "at": _value(n.created_at)}
            for n in notifications
        ],
        "access_log": [
            {
                "at": _value(entry.at),
                "by": entry.actor.name if entry.actor else None,
                "action": _value(entry.action),
                "object": entry.object_type,
                "object_id": entry.object_id,
            }
            for entry in access
        ],
    }


def _conversation(conversation: Conversation) -> dict[str, Any]:
    own = conversation.preparation_by(PreparationRole.EMPLOYEE)
    leader = conversation.preparation_by(PreparationRole.LEADER)
    plan = conversation.plan
    return {
        "round": conversation.round.title,
        "state": _value(conversation.state),
        "booked_for": _value(conversation.booked_for),
        "held_at": _value(conversation.held_at),
        "my_preparation": {
            name: getattr(own, name)
            for name in ("looking_back", "now", "wellbeing", "cooperation", "ahead")
        }
        if own
        else None,
        "shared_by_leader": leader.shared_notes if leader else None,
        "plan": {
            "disagreement": plan.disagreement,
            "employee_acknowledged_at": _value(plan.employee_acknowledged_at),
            "leader_acknowledged_at": _value(plan.leader_acknowledged_at),
            "agreements": [
                {
                    "what": agreement.what,
                    "kind": _value(agreement.kind),
                    "who_does_what": agreement.who_does_what,
                    "deadline": _value(agreement.deadline),
                    "success": agreement.success,
                    "status": _value(agreement.status),
                    "follow_ups": [
                        {"status": _value(f.status), "note": f.note, "on": _value(f.on)}
                        for f in agreement.follow_ups
                    ],
                }
                for agreement in plan.agreements
            ],
            "amendments": [
                {"at": _value(a.created_at), "description": a.description} for a in plan.amendments
            ],
        }
        if plan
        else None,
    }
