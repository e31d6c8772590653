"""Conversation templates (the municipality's MUS-skema) as versioned data.

A template is kept by its key across imports; every changed import is a new `TemplateVersion`
with its own sections and questions, so a conversation opened with version 1 keeps asking
version 1's questions. Answers are stored by question key, which keeps its identity across
versions (the key, not the wording, is what an answer belongs to).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.types import UTCDateTime, string_enum


class TemplateKind(enum.StrEnum):
    """The round types a template is written for (the same values as a round's kind)."""

    MUS = "mus"
    LUS = "lus"
    GUS = "gus"


class Side(enum.StrEnum):
    EMPLOYEE = "employee"
    LEADER = "leader"


class Panel(enum.StrEnum):
    """What a section shows besides its questions."""

    TOPICS = "topics"  # "Det vil jeg tale om": elements of the grundlag
    MATERIAL = "material"  # the employee's goals and the feedback received since last time


class ConversationTemplate(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "conversation_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[TemplateKind] = mapped_column(string_enum(TemplateKind, "template_kind"))
    # The template preselected when HR opens a round of its kind; at most one per kind.
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    versions: Mapped[list[TemplateVersion]] = relationship(
        back_populates="template", order_by="TemplateVersion.number"
    )

    @property
    def latest(self) -> TemplateVersion:
        return self.versions[-1]


class TemplateVersion(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "template_version"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("conversation_template.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    # The published guidelines and forms the template is built on, one per line.
    sources: Mapped[str] = mapped_column(Text, default="")
    # SHA-256 of the checked content: importing an unchanged file is a no-op.
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    template: Mapped[ConversationTemplate] = relationship(back_populates="versions")
    sections: Mapped[list[TemplateSection]] = relationship(
        back_populates="version", order_by="TemplateSection.position", cascade="all, delete-orphan"
    )

    def questions(self) -> list[TemplateQuestion]:
        return [question for section in self.sections for question in section.questions]

    def question(self, key: str) -> TemplateQuestion | None:
        return next((found for found in self.questions() if found.key == key), None)

    def sections_for(self, side: Side) -> list[TemplateSection]:
        """The sections with something for this side to fill in or see."""
        return [
            section
            for section in self.sections
            if section.panel is not None or section.questions_for(side)
        ]

    def has_panel(self, panel: Panel) -> bool:
        return any(section.panel == panel for section in self.sections)


class TemplateSection(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "template_section"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("template_version.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    intro: Mapped[str] = mapped_column(Text, default="")
    panel: Mapped[Panel | None] = mapped_column(string_enum(Panel, "template_panel"))
    # In a GUS: the part held with the whole group (the rest is the individual part).
    is_group: Mapped[bool] = mapped_column(default=False)

    version: Mapped[TemplateVersion] = relationship(back_populates="sections")
    questions: Mapped[list[TemplateQuestion]] = relationship(
        back_populates="section",
        order_by="TemplateQuestion.position",
        cascade="all, delete-orphan",
    )

    def questions_for(self, side: Side) -> list[TemplateQuestion]:
        return [question for question in self.questions if question.asks(side)]


class TemplateQuestion(db.Model):  # type: ignore[name-defined,misc]
    """One question, worded for each side it is asked of; an empty text: not asked of that side."""

    __tablename__ = "template_question"
    __table_args__ = (UniqueConstraint("section_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("template_section.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int]
    employee_text: Mapped[str] = mapped_column(Text, default="")
    employee_help: Mapped[str] = mapped_column(Text, default="")
    leader_text: Mapped[str] = mapped_column(Text, default="")
    leader_help: Mapped[str] = mapped_column(Text, default="")
    # Whether the other side sees this side's answer (the leader's are private unless shared).
    employee_shares: Mapped[bool] = mapped_column(default=True)
    leader_shares: Mapped[bool] = mapped_column(default=False)

    section: Mapped[TemplateSection] = relationship(back_populates="questions")

    def asks(self, side: Side) -> bool:
        return bool(self.text(side))

    def text(self, side: Side) -> str:
        return self.employee_text if side == Side.EMPLOYEE else self.leader_text

    def help(self, side: Side) -> str:
        return self.employee_help if side == Side.EMPLOYEE else self.leader_help

    def shares(self, side: Side) -> bool:
        return self.employee_shares if side == Side.EMPLOYEE else self.leader_shares

    def wording(self) -> str:
        """The question as a heading for both sides' answers."""
        return self.employee_text or self.leader_text
