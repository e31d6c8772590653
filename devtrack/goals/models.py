"""A goal belongs to one person; its history (progress, status changes) is never rewritten."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devtrack.extensions import db
from devtrack.grundlag.models import GrundlagReference
from devtrack.i18n import utcnow
from devtrack.people.models import Person
from devtrack.types import UTCDateTime, string_enum

TITLE_MAX = 200
TEXT_MAX = 4000


class GoalStatus(enum.StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    PAUSED = "paused"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


# A goal someone is still working on (or has yet to share).
OPEN_STATUSES = (GoalStatus.DRAFT, GoalStatus.ACTIVE, GoalStatus.PAUSED)


class GoalEventKind(enum.StrEnum):
    CREATED = "created"
    SHARED = "shared"
    EDITED = "edited"
    PROGRESS = "progress"
    STATUS = "status"


class Goal(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "goal"
    __table_args__ = (Index("ix_goal_owner_status", "owner_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    target_date: Mapped[date | None]
    status: Mapped[GoalStatus] = mapped_column(
        string_enum(GoalStatus, "goal_status"), default=GoalStatus.DRAFT
    )
    # A draft is the owner's alone; once shared, the nearest leader sees it too.
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Optimistic locking: saving over someone else's newer edit is refused, never silent.
    version: Mapped[int] = mapped_column(default=1)

    owner: Mapped[Person] = relationship()
    links: Mapped[list[GoalLink]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="GoalLink.id"
    )
    events: Mapped[list[GoalEvent]] = relationship(
        back_populates="goal",
        cascade="all, delete-orphan",
        order_by="(GoalEvent.created_at.desc(), GoalEvent.id.desc())",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class GoalLink(GrundlagReference, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "goal_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"), index=True)

    goal: Mapped[Goal] = relationship(back_populates="links")


class GoalEvent(db.Model):  # type: ignore[name-defined,misc]
    """Something that happened to a goal: created, shared, edited, progress, a status change."""

    __tablename__ = "goal_event"
    __table_args__ = (Index("ix_goal_event_goal_created", "goal_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[GoalEventKind] = mapped_column(string_enum(GoalEventKind, "goal_event_kind"))
    # The day it happened, as the person tells it (a progress note may be written later).
    occurred_on: Mapped[date]
    text: Mapped[str] = mapped_column(Text, default="")
    milestone: Mapped[bool] = mapped_column(default=False)
    old_status: Mapped[GoalStatus | None] = mapped_column(
        string_enum(GoalStatus, "goal_old_status")
    )
    new_status: Mapped[GoalStatus | None] = mapped_column(
        string_enum(GoalStatus, "goal_new_status")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="events")
    author: Mapped[Person] = relationship()
