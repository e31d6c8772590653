"""One function every feature calls to write the access log."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.extensions import db
from devtrack.people.models import Person


class AccessLogIsAppendOnly(RuntimeError):
    pass


def log_access(
    action: AccessAction,
    *,
    subject: Person | None = None,
    object_type: str = "",
    object_id: Any = "",
    detail: str = "",
    actor: Person | None = None,
) -> AccessLogEntry:
    """Record who did what to whose data, from where. Flushed with the request's unit of work."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    entry = AccessLogEntry(
        actor=actor,
        subject=subject,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        client_address=(request.remote_addr or "") if has_request_context() else "",
        detail=detail[:500],
    )
    db.session.add(entry)
    return entry


def log_read_of_other(subject: Person, object_type: str, object_id: Any) -> None:
    """Log a read when someone looks at another person's personal data (not their own)."""
    if current_user.is_authenticated and current_user.id != subject.id:
        log_access(AccessAction.READ, subject=subject, object_type=object_type, object_id=object_id)


@event.listens_for(Session, "before_flush")
def _refuse_edits(session: Session, _context: Any, _instances: Any) -> None:
    # The application has no path to change or remove a log entry; only retention may,
    # and it deletes in bulk SQL, outside the ORM unit of work.
    for instance in list(session.dirty) + list(session.deleted):
        if isinstance(instance, AccessLogEntry):
            raise AccessLogIsAppendOnly("the access log is append-only")
