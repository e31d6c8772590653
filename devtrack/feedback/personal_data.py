"""Feedback in retention and "Mine data": what a person received and asked for is deleted.

Feedback a person gave to someone still employed stays with its receiver (it is theirs), and so
do replies written by the person on such feedback.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from devtrack.extensions import db
from devtrack.feedback.models import Feedback, FeedbackReply, FeedbackRequest
from devtrack.people.models import Person
from devtrack.personal_data import PersonalData, PurgeScope, PurgeStep, grundlag_reference, plain


def purge(scope: PurgeScope) -> list[PurgeStep]:
    ids = scope.person_ids
    feedback = select(Feedback.id).where(Feedback.receiver_id.in_(ids))
    requests = select(FeedbackRequest.id).where(
        (FeedbackRequest.requester_id.in_(ids)) | (FeedbackRequest.recipient_id.in_(ids))
    )
    return [
        ("feedback_replies", delete(FeedbackReply).where(FeedbackReply.feedback_id.in_(feedback))),
        (
            "feedback_answers_unlinked",
            update(Feedback).where(Feedback.request_id.in_(requests)).values(request_id=None),
        ),
        ("feedback", delete(Feedback).where(Feedback.id.in_(feedback))),
        ("feedback_requests", delete(FeedbackRequest).where(FeedbackRequest.id.in_(requests))),
    ]


def export(person: Person) -> dict[str, Any]:
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
    return {
        "feedback": [
            {
                "direction": "received" if item.receiver_id == person.id else "given",
                "from": item.author.name,
                "to": item.receiver.name,
                "source": plain(item.source),
                "text": item.text,
                "situation_date": plain(item.situation_date),
                "shared_with_leader": item.shared_with_leader,
                "created_at": plain(item.created_at),
                "about": grundlag_reference(item),
                "replies": [
                    {"text": reply.text, "at": plain(reply.created_at)} for reply in item.replies
                ],
            }
            for item in feedback
        ],
        "feedback_requests": [
            {
                "from": request.requester.name,
                "to": request.recipient.name,
                "message": request.message,
                "status": plain(request.status),
                "about": grundlag_reference(request),
                "created_at": plain(request.created_at),
            }
            for request in requests
        ],
    }


PERSONAL_DATA = PersonalData(
    "feedback",
    tables=("feedback", "feedback_reply", "feedback_request"),
    purge=purge,
    export=export,
)
