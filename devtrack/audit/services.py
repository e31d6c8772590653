"""One function every feature calls to write the access log, and the end of its transaction.

In a request, `log_access` only collects the entry; `init_app` writes what was collected in a
transaction of its own when the request ends, whatever its outcome: a refused (403/404) or
failed (500) request is logged too, and nothing that logs ever has to commit. Outside a request
(the CLI), the entry joins the command's own unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable
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


@dataclass(slots=True)
class _Pending:
    """An entry collected during a request: plain values (a page may log a read per person
    it shows, and an ORM object per entry costs more than the entry's row)."""

    action: AccessAction
    object_type: str
    object_id: str
    client_address: str
    detail: str
    api_client_id: int | None
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
) -> None:
    """Record who did what to whose data, from where: at the end of the request, or with the
    command's unit of work outside one."""
    object_id = str(object_id) if object_id != "" else ""
    if has_request_context():
        if actor is None and current_user.is_authenticated:
            actor = current_user._get_current_object()
        # `current_user` is a proxy: keep the person it is now, not whoever it is at the end.
        g.setdefault(_PENDING, []).append(
            _Pending(
                action,
                object_type,
                object_id,
                request.remote_addr or "",
                detail[:500],
                g.get(_CLIENT),
                _unproxied(actor),
                _unproxied(subject),
            )
        )
        return
    entry = AccessLogEntry(
        action=action,
        object_type=object_type,
        object_id=object_id,
        client_address="",
        detail=detail[:500],
        actor=actor,
        subject=subject,
    )
    db.session.add(entry)


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


def log_reads_of_others(subjects: Iterable[Person], object_type: str) -> None:
    """`log_read_of_other` for each person a page lists, the person's id as the object's: the
    request's details are looked up once for the list, not once per person (pages only)."""
    user = current_user._get_current_object()
    if not user.is_authenticated:
        return
    client_address, api_client = request.remote_addr or "", g.get(_CLIENT)
    g.setdefault(_PENDING, []).extend(
        _Pending(
            AccessAction.READ,
            object_type,
            str(subject.id),
            client_address,
            "",
            api_client,
            user,
            subject,
        )
        for subject in subjects
        if subject.id != user.id
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
                    "at": utcnow(),
                    "actor_id": _saved_id(item.actor),
                    "subject_id": _saved_id(item.subject),
                    "action": item.action,
                    "object_type": item.object_type,
                    "object_id": item.object_id,
                    "client_address": item.client_address,
                    "detail": item.detail,
                    "api_client_id": item.api_client_id,
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
