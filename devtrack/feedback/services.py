"""Giving, answering, sharing and asking for feedback. Services flush; the request commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from devtrack.extensions import db
from devtrack.feedback.models import (
    Feedback,
    FeedbackReply,
    FeedbackRequest,
    FeedbackSource,
    RequestStatus,
)
from devtrack.grundlag.models import ElementVersion, GrundlagChoice
from devtrack.i18n import utcnow
from devtrack.notifications.models import NotificationKind
from devtrack.notifications.services import notify
from devtrack.people.hierarchy import direct_reports, is_nearest_leader_of, nearest_leader
from devtrack.people.models import Person


def source_for(author: Person, receiver: Person) -> FeedbackSource:
    if author.id == receiver.id:
        return FeedbackSource.SELF
    if is_nearest_leader_of(author, receiver):
        return FeedbackSource.LEADER
    return FeedbackSource.COLLEAGUE


def answers_request(request: FeedbackRequest | None, receiver: Person) -> bool:
    """Feedback answers a request when it goes to the person who asked, while the request is
    open; feedback to someone else leaves the request open."""
    return (
        request is not None
        and request.status == RequestStatus.OPEN
        and request.requester_id == receiver.id
    )


def give_feedback(
    author: Person,
    receiver: Person,
    *,
    text: str,
    situation_date: date,
    choice: GrundlagChoice,
    request: FeedbackRequest | None = None,
) -> Feedback:
    """Save feedback; it closes `request` when it answers it (`answers_request`)."""
    if not answers_request(request, receiver):
        request = None
    feedback = Feedback(
        author=author,
        receiver=receiver,
        source=source_for(author, receiver),
        text=text,
        situation_date=situation_date,
        request_id=request.id if request else None,
    )
    feedback.point_at(choice)
    db.session.add(feedback)
    if request is not None:
        request.status = RequestStatus.ANSWERED
        request.closed_at = utcnow()
    db.session.flush()
    _notify_about(feedback, receiver, NotificationKind.FEEDBACK_RECEIVED, actor=author)
    return feedback


def reply_to(feedback: Feedback, author: Person, text: str) -> FeedbackReply:
    reply = FeedbackReply(feedback=feedback, author=author, text=text)
    db.session.add(reply)
    db.session.flush()
    other = feedback.author if author.id == feedback.receiver_id else feedback.receiver
    _notify_about(feedback, other, NotificationKind.FEEDBACK_REPLY, actor=author)
    return reply


def _notify_about(
    feedback: Feedback, person: Person, kind: NotificationKind, *, actor: Person
) -> None:
    """Tell `person` about the feedback on its page, named by the element it is about."""
    notify(
        person,
        kind,
        endpoint="feedback.detail",
        feedback_id=feedback.id,
        subject=feedback.element_version.title,
        actor=actor,
    )


def share_with_leader(feedback: Feedback) -> None:
    feedback.shared_with_leader = True
    db.session.flush()


def ask_for_feedback(
    requester: Person, recipients: Sequence[Person], *, choice: GrundlagChoice, message: str
) -> list[FeedbackRequest]:
    requests = []
    for recipient in recipients:
        request = FeedbackRequest(requester=requester, recipient=recipient, message=message)
        request.point_at(choice)
        db.session.add(request)
        requests.append(request)
    db.session.flush()
    for request in requests:
        notify(
            request.recipient,
            NotificationKind.FEEDBACK_REQUESTED,
            endpoint="feedback.give",
            anmodning=request.id,
            subject=choice.element_version.title,
            actor=requester,
        )
    return requests


def withdraw(request: FeedbackRequest) -> None:
    if request.status == RequestStatus.OPEN:
        request.status = RequestStatus.WITHDRAWN
        request.closed_at = utcnow()
        db.session.flush()


def people_near(person: Person) -> list[Person]:
    """Whom a person most likely gives feedback to or asks: unit colleagues, their leader,
    their direct reports. Anyone else can be reached by e-mail address."""
    colleagues = db.session.scalars(
        select(Person).where(
            Person.unit_id == person.unit_id, Person.active.is_(True), Person.id != person.id
        )
    ).all()
    near = {someone.id: someone for someone in colleagues}
    leader = nearest_leader(person)
    if leader is not None and leader.active:
        near[leader.id] = leader
    for report in direct_reports(person):
        near[report.id] = report
    return list(near.values())


def _reference_options() -> tuple[_AbstractLoad, ...]:
    return (
        joinedload(Feedback.element_version).joinedload(ElementVersion.element),
        joinedload(Feedback.statement_version),
    )


def feedback_for_page(feedback_id: int) -> Feedback | None:
    return db.session.scalar(
        select(Feedback)
        .where(Feedback.id == feedback_id)
        .options(
            joinedload(Feedback.author),
            joinedload(Feedback.receiver),
            selectinload(Feedback.replies).joinedload(FeedbackReply.author),
            *_reference_options(),
        )
    )


def received_by(person: Person, limit: int = 50) -> list[Feedback]:
    return list(
        db.session.scalars(
            select(Feedback)
            .where(Feedback.receiver_id == person.id)
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
            .limit(limit)
            .options(joinedload(Feedback.author), *_reference_options())
        )
    )


def given_by(person: Person, limit: int = 50) -> list[Feedback]:
    return list(
        db.session.scalars(
            select(Feedback)
            .where(Feedback.author_id == person.id, Feedback.receiver_id != person.id)
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
            .limit(limit)
            .options(joinedload(Feedback.receiver), *_reference_options())
        )
    )


def open_requests(person: Person) -> tuple[list[FeedbackRequest], list[FeedbackRequest]]:
    """Open requests to the person (to answer) and by the person (to withdraw), in one query."""
    found = db.session.scalars(
        select(FeedbackRequest)
        .where(
            FeedbackRequest.status == RequestStatus.OPEN,
            or_(
                FeedbackRequest.recipient_id == person.id,
                FeedbackRequest.requester_id == person.id,
            ),
        )
        .order_by(FeedbackRequest.created_at.desc(), FeedbackRequest.id.desc())
        .options(
            joinedload(FeedbackRequest.requester),
            joinedload(FeedbackRequest.recipient),
            joinedload(FeedbackRequest.element_version).joinedload(ElementVersion.element),
            joinedload(FeedbackRequest.statement_version),
        )
    ).all()
    to_answer = [request for request in found if request.recipient_id == person.id]
    asked = [request for request in found if request.requester_id == person.id]
    return to_answer, asked
