"""Rounds of conversations, each conversation's preparations, its agreed plan and follow-up.

A conversation belongs to the employee. Which leader may see it is decided when asked (the
employee's nearest leader now), so a new leader inherits plans and history at once.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devtrack.conversation_templates.models import TemplateVersion
from devtrack.extensions import db
from devtrack.grundlag.models import FrameworkVersion, GrundlagReference
from devtrack.i18n import utcnow
from devtrack.people.models import OrgUnit, Person
from devtrack.types import UTCDateTime, string_enum

TEXT_MAX = 4000
TITLE_MAX = 200


class RoundKind(enum.StrEnum):
    MUS = "mus"
    LUS = "lus"
    GUS = "gus"


class ConversationState(enum.StrEnum):
    INVITED = "invited"
    BOOKED = "booked"
    PREPARED = "prepared"
    HELD = "held"
    PLAN_ACKNOWLEDGED = "plan_acknowledged"
    FOLLOWED_UP = "followed_up"


class PreparationRole(enum.StrEnum):
    EMPLOYEE = "employee"
    LEADER = "leader"


class DevelopmentKind(enum.StrEnum):
    COURSE = "course"
    ON_THE_JOB = "on_the_job"
    SPARRING = "sparring"
    NETWORK = "network"
    OTHER = "other"


class AgreementStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    UNDER_WAY = "under_way"
    DONE = "done"
    DROPPED = "dropped"


class ConversationRound(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "conversation_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RoundKind] = mapped_column(string_enum(RoundKind, "round_kind"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    deadline: Mapped[date]
    framework_version_id: Mapped[int] = mapped_column(
        ForeignKey("framework_version.id"), index=True
    )
    # The questions every conversation of the round asks, as they were when it was created.
    template_version_id: Mapped[int] = mapped_column(ForeignKey("template_version.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The individual MUS asked for after a GUS round are held in a round of their own.
    follows_round_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation_round.id"), unique=True
    )

    framework_version: Mapped[FrameworkVersion] = relationship()
    template_version: Mapped[TemplateVersion] = relationship()
    units: Mapped[list[RoundUnit]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )
    conversations: Mapped[list[Conversation]] = relationship(back_populates="round")


class RoundUnit(db.Model):  # type: ignore[name-defined,misc]
    """A unit a round covers, with its whole subtree."""

    __tablename__ = "round_unit"
    __table_args__ = (UniqueConstraint("round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("conversation_round.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)

    round: Mapped[ConversationRound] = relationship(back_populates="units")
    unit: Mapped[OrgUnit] = relationship()


class Conversation(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "conversation"
    __table_args__ = (
        UniqueConstraint("round_id", "employee_id"),
        Index("ix_conversation_employee_held", "employee_id", "held_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("conversation_round.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    # The nearest leader when the round opened (or when the employee moved before it was
    # held); who may see it now is decided when asked.
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    # The unit at invitation, or the new one when the employee moved before it was held:
    # completion is counted per unit as it was when held.
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    booked_for: Mapped[datetime | None] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(200), default="")
    booked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The calendar invitation's SEQUENCE: raised with every change or cancellation sent.
    calendar_sequence: Mapped[int] = mapped_column(default=0)
    prepared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # In a GUS round: the employee asked for an individual MUS as well.
    individual_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # ... and the individual conversation the leader created for it.
    individual_id: Mapped[int | None] = mapped_column(ForeignKey("conversation.id"), index=True)
    # In a GUS round: the group meeting the employee takes part in.
    group_session_id: Mapped[int | None] = mapped_column(ForeignKey("group_session.id"), index=True)

    round: Mapped[ConversationRound] = relationship(back_populates="conversations")
    group_session: Mapped[GroupSession | None] = relationship(back_populates="conversations")
    individual: Mapped[Conversation | None] = relationship(remote_side=[id])
    employee: Mapped[Person] = relationship(foreign_keys=[employee_id])
    leader: Mapped[Person | None] = relationship(foreign_keys=[leader_id])
    unit: Mapped[OrgUnit] = relationship()
    preparations: Mapped[list[Preparation]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan"
    )
    plan: Mapped[DevelopmentPlan | None] = relationship(
        back_populates="conversation", cascade="all, delete-orphan"
    )
    notes: Mapped[list[SectionNote]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="SectionNote.id"
    )

    @property
    def template(self) -> TemplateVersion:
        return self.round.template_version

    def note_for(self, section_key: str) -> SectionNote | None:
        return next((note for note in self.notes if note.section_key == section_key), None)

    @property
    def state(self) -> ConversationState:
        if self.followed_up_at is not None:
            return ConversationState.FOLLOWED_UP
        if self.acknowledged_at is not None:
            return ConversationState.PLAN_ACKNOWLEDGED
        if self.held_at is not None:
            return ConversationState.HELD
        if self.prepared_at is not None:
            return ConversationState.PREPARED
        if self.booked_for is not None:
            return ConversationState.BOOKED
        return ConversationState.INVITED

    def is_overdue(self, today: date) -> bool:
        """Not held by the round's deadline (a Danish calendar day)."""
        return self.held_at is None and today > self.round.deadline

    def preparation_by(self, role: PreparationRole) -> Preparation | None:
        return next((prep for prep in self.preparations if prep.role == role), None)


class GroupSession(db.Model):  # type: ignore[name-defined,misc]
    """A GUS meeting: one time and place for several employees of one leader, with notes
    every participant reads. Each participant keeps their own conversation and plan."""

    __tablename__ = "group_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("conversation_round.id"), index=True)
    # Who booked it: the participants' nearest leader then.
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    booked_for: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    round: Mapped[ConversationRound] = relationship()
    leader: Mapped[Person | None] = relationship()
    conversations: Mapped[list[Conversation]] = relationship(
        back_populates="group_session", order_by="Conversation.id"
    )


class Preparation(db.Model):  # type: ignore[name-defined,misc]
    """One side's preparation. The leader's stays private except what they mark as shared."""

    __tablename__ = "preparation"
    __table_args__ = (UniqueConstraint("conversation_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id"))
    role: Mapped[PreparationRole] = mapped_column(string_enum(PreparationRole, "preparation_role"))
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    conversation: Mapped[Conversation] = relationship(back_populates="preparations")
    author: Mapped[Person] = relationship()
    topics: Mapped[list[PreparationTopic]] = relationship(
        back_populates="preparation", cascade="all, delete-orphan", order_by="PreparationTopic.id"
    )
    answers: Mapped[list[PreparationAnswer]] = relationship(
        back_populates="preparation", cascade="all, delete-orphan", order_by="PreparationAnswer.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def answer(self, question_key: str) -> str:
        return next(
            (found.text for found in self.answers if found.question_key == question_key), ""
        )


class PreparationAnswer(db.Model):  # type: ignore[name-defined,misc]
    """One side's answer to one question of the conversation's template, by the question's key."""

    __tablename__ = "preparation_answer"
    __table_args__ = (UniqueConstraint("preparation_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    preparation_id: Mapped[int] = mapped_column(ForeignKey("preparation.id"))
    question_key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")

    preparation: Mapped[Preparation] = relationship(back_populates="answers")


class SectionNote(db.Model):  # type: ignore[name-defined,misc]
    """What was said under one section of the template during the conversation; with the plan,
    the notes are the minutes. Both sides see them."""

    __tablename__ = "section_note"
    __table_args__ = (UniqueConstraint("conversation_id", "section_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id"))
    section_key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    conversation: Mapped[Conversation] = relationship(back_populates="notes")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PreparationTopic(GrundlagReference, db.Model):  # type: ignore[name-defined,misc]
    """An element of the grundlag the person wants to talk about, in their own words."""

    __tablename__ = "preparation_topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    preparation_id: Mapped[int] = mapped_column(ForeignKey("preparation.id"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")

    preparation: Mapped[Preparation] = relationship(back_populates="topics")


class DevelopmentPlan(db.Model):  # type: ignore[name-defined,misc]
    """The agreed plan (udviklingsplan). Locked once both have acknowledged it."""

    __tablename__ = "development_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversation.id"), unique=True)
    employee_acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    leader_acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    leader_acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id"), index=True
    )
    # Acknowledging means "I have seen it"; the employee may add why they disagree.
    disagreement: Mapped[str] = mapped_column(Text, default="")
    # The minutes (referat) of the conversation, acknowledged with the agreements.
    summary: Mapped[str] = mapped_column(Text, default="")
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the leader and the employee mean to follow up (a status talk); both are reminded.
    follow_up_on: Mapped[date | None]

    conversation: Mapped[Conversation] = relationship(back_populates="plan")
    agreements: Mapped[list[Agreement]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Agreement.position"
    )
    amendments: Mapped[list[PlanAmendment]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="PlanAmendment.created_at.desc()",
    )


class Agreement(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "agreement"
    __table_args__ = (Index("ix_agreement_plan_position", "plan_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("development_plan.id"))
    position: Mapped[int] = mapped_column(default=0)
    what: Mapped[str] = mapped_column(Text)
    kind: Mapped[DevelopmentKind] = mapped_column(string_enum(DevelopmentKind, "development_kind"))
    who_does_what: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None]
    success: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[AgreementStatus] = mapped_column(
        string_enum(AgreementStatus, "agreement_status"), default=AgreementStatus.NOT_STARTED
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="agreements")
    links: Mapped[list[AgreementLink]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementLink.id"
    )
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="agreement",
        cascade="all, delete-orphan",
        order_by="(FollowUp.on.desc(), FollowUp.id.desc())",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AgreementLink(GrundlagReference, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "agreement_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)

    agreement: Mapped[Agreement] = relationship(back_populates="links")


class AmendmentKind(enum.StrEnum):
    AGREEMENT_ADDED = "agreement_added"
    AGREEMENT_CHANGED = "agreement_changed"
    SUMMARY_CHANGED = "summary_changed"


class PlanAmendment(db.Model):  # type: ignore[name-defined,misc]
    """A change to a locked plan: who, when, and what changed, old and new.

    The values are stored, not a sentence, so the history is written in the reader's language
    when shown. It clears the other side's acknowledgement: `awaits` is that side, and
    `answered_at` when they acknowledged the plan again.
    """

    __tablename__ = "plan_amendment"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("development_plan.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # Only amendments from before the values were stored have a sentence here (in Danish).
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[AmendmentKind | None] = mapped_column(string_enum(AmendmentKind, "amendment_kind"))
    agreement_position: Mapped[int | None]
    # [{"field": "deadline", "old": "2027-06-30", "new": "2027-10-31"}, ...]; dates as ISO days.
    changes: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    awaits: Mapped[PreparationRole | None] = mapped_column(
        string_enum(PreparationRole, "amendment_awaits")
    )
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="amendments")
    author: Mapped[Person] = relationship()


class FollowUp(db.Model):  # type: ignore[name-defined,misc]
    """A status talk's record for one agreement."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[AgreementStatus] = mapped_column(
        string_enum(AgreementStatus, "follow_up_status")
    )
    note: Mapped[str] = mapped_column(Text, default="")
    on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    agreement: Mapped[Agreement] = relationship(back_populates="follow_ups")
    author: Mapped[Person] = relationship()
