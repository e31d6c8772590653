"""A notification says that something happened and where; its text is written when shown,
in the reader's language. E-mails wait in the outbox until the mail server took them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.people.models import Person
from devtrack.types import UTCDateTime, string_enum


class NotificationKind(enum.StrEnum):
    FEEDBACK_RECEIVED = "feedback_received"
    FEEDBACK_REPLY = "feedback_reply"
    FEEDBACK_REQUESTED = "feedback_requested"
    PLAN_AWAITING_ACKNOWLEDGEMENT = "plan_awaiting_acknowledgement"
    PLAN_AMENDED = "plan_amended"
    INDIVIDUAL_MUS_REQUESTED = "individual_mus_requested"
    DEADLINE_CLOSE = "deadline_close"
    # A MUS round's steps (made by `flask devtrack remind`, or as the step happens).
    ROUND_INVITATION = "round_invitation"
    ROUND_LEADER_LIST = "round_leader_list"
    CONVERSATION_BOOKED = "conversation_booked"
    CONVERSATION_MOVED = "conversation_moved"
    CONVERSATION_CANCELLED = "conversation_cancelled"
    PREPARATION_REMINDER = "preparation_reminder"
    ROUND_DEADLINE_CLOSE = "round_deadline_close"
    ROUND_DEADLINE_PASSED = "round_deadline_passed"
    ROUND_SUMMARY_CLOSE = "round_summary_close"
    ROUND_SUMMARY_PASSED = "round_summary_passed"
    AGREEMENT_DEADLINE_CLOSE = "agreement_deadline_close"
    FOLLOW_UP_CLOSE = "follow_up_close"


class Notification(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_person_read", "person_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[NotificationKind] = mapped_column(
        string_enum(NotificationKind, "notification_kind")
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # Where the notification leads: a path inside devtrack.
    path: Mapped[str] = mapped_column(String(300))
    # A short, non-confidential subject (an element's or a goal's title), never content.
    subject: Mapped[str] = mapped_column(String(300), default="")
    # A number the sentence names (how many conversations are not held), never content.
    figure: Mapped[int | None]
    # Reminders are made by a recurring job; the key stops a second one for the same thing.
    dedupe_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    actor: Mapped[Person | None] = relationship(foreign_keys=[actor_id])


class OutboxMessage(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_pending", "sent_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # An iCalendar (RFC 5545) invitation sent along as text/calendar, or empty.
    calendar: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    # A sender (a cron run on some host) claims messages first, so two never send the same one.
    claimed_by: Mapped[str | None] = mapped_column(String(64), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
