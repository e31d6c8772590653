"""One function every feature calls to write the access log, and the end of its transaction.

In a request, `log_access` only collects the entry; `init_app` writes what was collected in a
transaction of its own when the request ends, whatever its outcome: a refused (403/404) or
failed (500) request is logged too, and nothing that logs ever has to commit. Outside a request
(the CLI), the entry joins the command's own unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import event, insert, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from werkzeug.local import LocalProxy

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.people.models import Person

_PENDING = "devtrack_access_log_pending"
_CLIENT = "devtrack_access_log_api_client"


class AccessLogIsAppendOnly(RuntimeError):
    pass


@dataclass
class _Pending:
    entry: AccessLogEntry
    actor: Person | None
    subject: Person | None


def log_access(
    action: AccessAction,
    *,
    subject: Person | None = None,
    object_type: str = "",
    object_id: Any = "",
    detail: str = "",
    actor: Person | None = None,
) -> AccessLogEntry:
    """Record who did what to whose data, from where: at the end of the request, or with the
    command's unit of work outside one."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    entry = AccessLogEntry(
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        client_address=(request.remote_addr or "") if has_request_context() else "",
        detail=detail[:500],
    )
    if has_request_context():
        entry.api_client_id = g.get(_CLIENT)
        # `current_user` is a proxy: keep the person it is now, not whoever it is at the end.
        actor, subject = _unproxied(actor), _unproxied(subject)
        g.setdefault(_PENDING, []).append(_Pending(entry, actor, subject))
    else:
        entry.actor, entry.subject = actor, subject
        db.session.add(entry)
    return entry


def act_as_api_client(client_id: int) -> None:
    """From here to the end of the request, every entry names this API client as its actor."""
    g.setdefault(_CLIENT, client_id)


def log_read_of_other(subject: Person, object_type: str, object_id: Any) -> None:
    """Log a read when someone looks at another person's personal data (not their own)."""
    user = current_user._get_current_object()  # once: a page may log a read per person shown
    if user.is_authenticated and user.id != subject.id:
        log_access(
            AccessAction.READ,
            subject=subject,
            object_type=object_type,
            object_id=object_id,
            actor=user,
        )


def logged_in_this_request() -> bool:
    """Whether this request has logged anything (a page that did must not be served from a
    cache, or the next read would go unlogged)."""
    return bool(g.get(_PENDING))


def _unproxied(person: Person | None) -> Person | None:
    return person._get_current_object() if isinstance(person, LocalProxy) else person


def _saved_id(person: Person | None) -> int | None:
    """The person's id if they are in the database (a person whose creation was rolled back
    is not, and the entry then names nobody)."""
    if person is None:
        return None
    identity: tuple[Any, ...] | None = inspect(person).identity
    return int(identity[0]) if identity else None


def write_pending_entries(_error: BaseException | None = None) -> None:
    """End of the request: whatever it left unsaved is discarded, then its log is written."""
    pending: list[_Pending] = g.pop(_PENDING, [])
    if not pending:
        return
    session = db.session
    try:
        session.rollback()
        # One statement for all of them ("Mine medarbejdere" logs a read per person shown).
        session.execute(
            insert(AccessLogEntry),
            [
                {
                    "at": item.entry.at or utcnow(),
                    "actor_id": _saved_id(item.actor),
                    "subject_id": _saved_id(item.subject),
                    "action": item.entry.action,
                    "object_type": item.entry.object_type,
                    "object_id": item.entry.object_id,
                    "client_address": item.entry.client_address,
                    "detail": item.entry.detail,
                    "api_client_id": item.entry.api_client_id,
                }
                for item in pending
            ],
        )
        session.commit()
    except SQLAlchemyError:
        session.rollback()
        # The response has gone; the operators must hear of it.
        current_app.logger.exception(
            "ALERT: the access log could not record %d entries of %s %s",
            len(pending),
            request.method,
            request.path,
            extra={"event": "access_log_unwritten"},
        )


def init_app(app: Flask) -> None:
    app.teardown_request(write_pending_entries)


@event.listens_for(Session, "before_flush")
def _refuse_edits(session: Session, _context: Any, _instances: Any) -> None:
    # The application has no path to change or remove a log entry; only retention may,
    # and it deletes in bulk SQL, outside the ORM unit of work.
    for instance in list(session.dirty) + list(session.deleted):
        if isinstance(instance, AccessLogEntry):
            raise AccessLogIsAppendOnly("the access log is append-only")
