"""The access log: append-only, as the Danish data protection authority expects."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.people.models import Person
from devtrack.types import UTCDateTime, string_enum


class AccessAction(enum.StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"
    SIGNIN = "signin"
    SIGNOUT = "signout"
    SIGNIN_FAILED = "signin_failed"
    DENIED = "denied"


class AccessLogEntry(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_subject_at", "subject_id", "at"),
        Index("ix_access_log_actor_at", "actor_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    # The person whose data it is.
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    action: Mapped[AccessAction] = mapped_column(string_enum(AccessAction, "access_action"))
    object_type: Mapped[str] = mapped_column(String(64), default="")
    object_id: Mapped[str] = mapped_column(String(64), default="")
    client_address: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(String(500), default="")
    # The API client that acted (devtrack.api), when the actor is a system, not a person.
    api_client_id: Mapped[int | None] = mapped_column(index=True)

    actor: Mapped[Person | None] = relationship(foreign_keys=[actor_id])
    subject: Mapped[Person | None] = relationship(foreign_keys=[subject_id])
