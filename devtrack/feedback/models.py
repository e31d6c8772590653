"""Feedback to a person about one element or behaviour statement, replies, and requests.

There are no secret notes: the receiver always sees feedback about them. Their leader sees
feedback a leader gave and what the receiver chose to share.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devtrack.extensions import db
from devtrack.grundlag.models import GrundlagReference
from devtrack.i18n import utcnow
from devtrack.people.models import Person
from devtrack.types import UTCDateTime, string_enum

TEXT_MAX = 4000


class FeedbackSource(enum.StrEnum):
    LEADER = "leader"
    COLLEAGUE = "colleague"
    # The person's own reflection.
    SELF = "self"


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"


class Feedback(GrundlagReference, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_receiver_created", "receiver_id", "created_at"),
        Index("ix_feedback_author_created", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receiver_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    source: Mapped[FeedbackSource] = mapped_column(string_enum(FeedbackSource, "feedback_source"))
    text: Mapped[str] = mapped_column(Text)
    situation_date: Mapped[date]
    # The receiver may show colleague feedback and own reflections to their leader.
    shared_with_leader: Mapped[bool] = mapped_column(default=False)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("feedback_request.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    receiver: Mapped[Person] = relationship(foreign_keys=[receiver_id])
    author: Mapped[Person] = relationship(foreign_keys=[author_id])
    replies: Mapped[list[FeedbackReply]] = relationship(
        back_populates="feedback", order_by="FeedbackReply.created_at"
    )

    @property
    def leader_may_see(self) -> bool:
        return self.source == FeedbackSource.LEADER or self.shared_with_leader


class FeedbackReply(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "feedback_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    feedback: Mapped[Feedback] = relationship(back_populates="replies")
    author: Mapped[Person] = relationship()


class FeedbackRequest(GrundlagReference, db.Model):  # type: ignore[name-defined,misc]
    """One person asking one other person for feedback on an element; open until answered
    or withdrawn."""

    __tablename__ = "feedback_request"
    __table_args__ = (
        Index("ix_feedback_request_recipient_status", "recipient_id", "status"),
        Index("ix_feedback_request_requester_status", "requester_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RequestStatus] = mapped_column(
        string_enum(RequestStatus, "request_status"), default=RequestStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    requester: Mapped[Person] = relationship(foreign_keys=[requester_id])
    recipient: Mapped[Person] = relationship(foreign_keys=[recipient_id])
