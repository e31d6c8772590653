"""Who may do what: small named predicates, and loaders that fetch an object or abort.

A person asking for another person's private object gets 404, not 403, so that its existence
does not leak. Role pages (HR, admin) answer 403 to those without the role.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask import abort
from flask_login import current_user
from sqlalchemy import select, union

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.extensions import db
from devtrack.people.models import OrgUnit, Person

if TYPE_CHECKING:  # the features' models, for types only: this module imports no feature
    from devtrack.conversations.models import Conversation
    from devtrack.feedback.models import Feedback, FeedbackRequest
    from devtrack.goals.models import Goal

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def is_admin(user: Person) -> bool:
    return user.active and user.is_admin


def is_hr(user: Person) -> bool:
    return user.active and user.is_hr


def leads_any_unit(user: Person) -> bool:
    return (
        db.session.scalar(select(OrgUnit.id).where(OrgUnit.leader_id == user.id).limit(1))
        is not None
    )


def nearest_leader(person: Person) -> Person | None:
    """The leader of the person's unit or, for the unit's own leader, of the parent unit."""
    unit: OrgUnit | None = person.unit
    while unit is not None:
        if unit.leader_id is not None and unit.leader_id != person.id:
            return unit.leader
        unit = unit.parent
    return None


def is_nearest_leader_of(user: Person, person: Person) -> bool:
    leader = nearest_leader(person)
    return leader is not None and leader.id == user.id


def can_view_person(user: Person, person: Person) -> bool:
    """A person's own page; their nearest leader; HR and admin for the person's basic record."""
    return user.id == person.id or is_nearest_leader_of(user, person) or is_admin(user)


def can_view_timeline(user: Person, person: Person) -> bool:
    """A person's timeline: the person and their nearest leader (not HR, not admin)."""
    return user.id == person.id or is_nearest_leader_of(user, person)


def can_view_goal(user: Person, goal: Goal) -> bool:
    """A draft is its owner's alone; a shared goal is seen by the owner's nearest leader too."""
    return user.id == goal.owner_id or (
        goal.shared_at is not None and is_nearest_leader_of(user, goal.owner)
    )


def can_edit_goal(user: Person, goal: Goal) -> bool:
    return user.id == goal.owner_id


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


def can_view_conversation(user: Person, conversation: Conversation) -> bool:
    """The employee and their nearest leader now: a new leader inherits at once, the former
    leader no longer sees it."""
    return user.id == conversation.employee_id or is_nearest_leader_of(user, conversation.employee)


def is_conversation_leader(user: Person, conversation: Conversation) -> bool:
    return is_nearest_leader_of(user, conversation.employee)


def is_conversation_employee(user: Person, conversation: Conversation) -> bool:
    return user.id == conversation.employee_id


def require(predicate: Callable[[Person], bool]) -> Callable[[F], F]:
    """Guard a view with a role predicate; refusals are logged, anonymous users sign in first."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from devtrack.extensions import login_manager

                return login_manager.unauthorized()
            if not predicate(current_user):
                log_access(AccessAction.DENIED, detail=f"{view.__module__}.{view.__name__}")
                db.session.commit()
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def get_person_or_404(person_id: int, need: Callable[[Person, Person], bool]) -> Person:
    person = db.session.get(Person, person_id)
    if person is None or not need(current_user, person):
        if person is not None:
            log_access(
                AccessAction.DENIED, subject=person, object_type="person", object_id=person_id
            )
            db.session.commit()
        abort(404)
    return person


def get_or_404(
    model: type[T],
    object_id: int,
    need: Callable[[Person, T], bool],
    *,
    subject: Callable[[T], Person],
    options: tuple[Any, ...] = (),
) -> T:
    """Fetch a personal object for the signed-in person, or answer 404 and log the refusal.

    404 rather than 403: someone who may not see an object does not learn that it exists.
    """
    found = db.session.get(model, object_id, options=options)
    if found is None or not need(current_user, found):
        if found is not None:
            log_access(
                AccessAction.DENIED,
                subject=subject(found),
                object_type=getattr(model, "__tablename__", model.__name__),
                object_id=object_id,
            )
            db.session.commit()
        abort(404)
    return found


def direct_reports(leader: Person) -> list[Person]:
    """Active people whose nearest leader is `leader`: members of the units they lead, and
    the leaders of the units directly below (who report to them)."""
    from sqlalchemy.orm import joinedload

    led_units = list(db.session.scalars(select(OrgUnit.id).where(OrgUnit.leader_id == leader.id)))
    if not led_units:
        return []
    members = select(Person.id).where(Person.unit_id.in_(led_units), Person.id != leader.id)
    child_leaders = select(OrgUnit.leader_id).where(
        OrgUnit.parent_id.in_(led_units), OrgUnit.leader_id.is_not(None), OrgUnit.active.is_(True)
    )
    # A UNION of two index lookups; "id IN (...) OR id IN (...)" makes PostgreSQL scan everyone.
    report_ids = union(members, child_leaders).subquery()
    return list(
        db.session.scalars(
            select(Person)
            .join(report_ids, Person.id == report_ids.c[0])
            .where(Person.active.is_(True))
            .options(joinedload(Person.unit))
        )
    )
