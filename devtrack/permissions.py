"""The shared part of who may do what: roles, the view guard, and loaders that fetch an
object or abort. Each feature keeps its own predicates (`goals/permissions.py`, ...); who
leads whom is `people/hierarchy.py`. This module imports no feature.

A person asking for another person's private object gets 404, not 403, so that its existence
does not leak. Role pages (HR, admin) answer 403 to those without the role.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.extensions import db
from devtrack.people import hierarchy
from devtrack.people.models import Person

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def is_admin(user: Person) -> bool:
    return user.active and user.is_admin


def is_hr(user: Person) -> bool:
    return user.active and user.is_hr


def leads_any_unit(user: Person) -> bool:
    return hierarchy.leads_any_unit(user)


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
        abort(404)
    return found
