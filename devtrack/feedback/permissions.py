"""Who may see, answer and share feedback, and answer or withdraw a request for it."""

from __future__ import annotations

from devtrack.feedback.models import Feedback, FeedbackRequest
from devtrack.people.hierarchy import is_nearest_leader_of
from devtrack.people.models import Person


def can_view_feedback(user: Person, feedback: Feedback) -> bool:
    """The receiver always; the author; the receiver's nearest leader when it was leader
    feedback or the receiver shared it."""
    return user.id in (feedback.receiver_id, feedback.author_id) or (
        feedback.leader_may_see and is_nearest_leader_of(user, feedback.receiver)
    )


def can_reply_to_feedback(user: Person, feedback: Feedback) -> bool:
    return user.id in (feedback.receiver_id, feedback.author_id)


def can_share_feedback(user: Person, feedback: Feedback) -> bool:
    """Only the receiver decides whether their leader sees colleague feedback or reflections."""
    return user.id == feedback.receiver_id and not feedback.leader_may_see


def can_answer_request(user: Person, request: FeedbackRequest) -> bool:
    return user.id == request.recipient_id


def can_withdraw_request(user: Person, request: FeedbackRequest) -> bool:
    return user.id == request.requester_id
