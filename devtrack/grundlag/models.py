"""The grundlag as data: a versioned framework of parts, elements and behaviour statements.

Goals, agreements and feedback link to a `GrundlagElement` or a `BehaviourStatement`: the stable
identities, keyed by the seed file's keys. What an element *says* in a given version lives in
`ElementVersion` / `StatementVersion`, so importing a changed text never breaks those links.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.types import UTCDateTime, string_enum


class Audience(enum.StrEnum):
    ALL = "all"
    LEADERS = "leaders"


class ElementKind(enum.StrEnum):
    VALUE = "value"
    THEME = "theme"
    COMMITMENT = "commitment"
    COMPETENCY = "competency"
    PEJLEMAERKE = "pejlemaerke"
    EXPECTATION_GROUP = "expectation_group"
    FOUNDATION = "foundation"


class Framework(db.Model):  # type: ignore[name-defined,misc]
    """One organisation's grundlag across all its versions."""

    __tablename__ = "framework"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    organisation: Mapped[str] = mapped_column(String(200))
    # The grundlag the organisation uses; at most one framework is in use.
    in_use: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    versions: Mapped[list[FrameworkVersion]] = relationship(
        back_populates="framework", order_by="FrameworkVersion.number"
    )


class FrameworkVersion(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "framework_version"
    __table_args__ = (UniqueConstraint("framework_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date | None]
    source_document: Mapped[str] = mapped_column(Text)
    intro: Mapped[str] = mapped_column(Text, default="")
    # SHA-256 of the imported file's content: importing an unchanged file is a no-op.
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    framework: Mapped[Framework] = relationship(back_populates="versions")
    parts: Mapped[list[Part]] = relationship(
        back_populates="version", order_by="Part.position", cascade="all, delete-orphan"
    )


class Part(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "grundlag_part"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("framework_version.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[Audience] = mapped_column(string_enum(Audience, "audience"))
    framing: Mapped[str] = mapped_column(Text, default="")
    source_document: Mapped[str] = mapped_column(String(200))
    position: Mapped[int]

    version: Mapped[FrameworkVersion] = relationship(back_populates="parts")
    elements: Mapped[list[ElementVersion]] = relationship(
        back_populates="part", order_by="ElementVersion.position", cascade="all, delete-orphan"
    )
    quotes: Mapped[list[Quote]] = relationship(
        primaryjoin="and_(Quote.part_id == Part.id, Quote.element_version_id.is_(None))",
        order_by="Quote.position",
        viewonly=True,
    )


class GrundlagElement(db.Model):  # type: ignore[name-defined,misc]
    """The stable identity of a value, theme, commitment, competency or pejlemærke."""

    __tablename__ = "grundlag_element"
    __table_args__ = (UniqueConstraint("framework_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))

    versions: Mapped[list[ElementVersion]] = relationship(back_populates="element")
    statements: Mapped[list[BehaviourStatement]] = relationship(back_populates="element")


class ElementVersion(db.Model):  # type: ignore[name-defined,misc]
    """What an element says in one version of the framework."""

    __tablename__ = "element_version"
    __table_args__ = (UniqueConstraint("element_id", "version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("grundlag_element.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("framework_version.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("grundlag_part.id"), index=True)
    kind: Mapped[ElementKind] = mapped_column(string_enum(ElementKind, "element_kind"))
    title: Mapped[str] = mapped_column(String(300))
    # The source lost this heading; devtrack's transcription inferred it.
    title_inferred: Mapped[bool] = mapped_column(default=False)
    subtitle: Mapped[str] = mapped_column(String(300), default="")
    # The element's text is shown from the grundlag in use (`in_use.py`, which selects it);
    # the many pages that name an element by its title do not load it.
    text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    position: Mapped[int]

    element: Mapped[GrundlagElement] = relationship(back_populates="versions")
    version: Mapped[FrameworkVersion] = relationship()
    part: Mapped[Part] = relationship(back_populates="elements")
    statements: Mapped[list[StatementVersion]] = relationship(
        back_populates="element_version",
        order_by="StatementVersion.position",
        cascade="all, delete-orphan",
    )
    quotes: Mapped[list[Quote]] = relationship(
        back_populates="element_version", order_by="Quote.position"
    )


class BehaviourStatement(db.Model):  # type: ignore[name-defined,misc]
    """The stable identity of one behaviour statement or expectation of an element."""

    __tablename__ = "behaviour_statement"
    __table_args__ = (UniqueConstraint("element_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    element_id: Mapped[int] = mapped_column(ForeignKey("grundlag_element.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))

    element: Mapped[GrundlagElement] = relationship(back_populates="statements")


class StatementVersion(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "statement_version"
    __table_args__ = (UniqueConstraint("statement_id", "element_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("behaviour_statement.id"), index=True)
    element_version_id: Mapped[int] = mapped_column(ForeignKey("element_version.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int]

    statement: Mapped[BehaviourStatement] = relationship()
    element_version: Mapped[ElementVersion] = relationship(back_populates="statements")


class Quote(db.Model):  # type: ignore[name-defined,misc]
    """A quote printed in the grundlag: shown with its part or element, never linked to."""

    __tablename__ = "grundlag_quote"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("grundlag_part.id"), index=True)
    element_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("element_version.id"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    attribution: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int]

    part: Mapped[Part] = relationship()
    element_version: Mapped[ElementVersion | None] = relationship(back_populates="quotes")


class GrundlagReference:
    """A pointer from a goal, feedback or agreement to one element of the grundlag and,
    optionally, one of its behaviour statements.

    The stable ids (`element_id`, `statement_id`) are what reports count on; the version ids
    say which wording the person saw when they chose it, and are what pages show.
    """

    @declared_attr
    def element_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("grundlag_element.id"), index=True)

    @declared_attr
    def element_version_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("element_version.id"), index=True)

    @declared_attr
    def statement_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("behaviour_statement.id"), index=True)

    @declared_attr
    def statement_version_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("statement_version.id"), index=True)

    @declared_attr
    def element_version(cls) -> Mapped[ElementVersion]:
        return relationship(ElementVersion, foreign_keys=lambda: [cls.element_version_id])  # type: ignore[arg-type]

    @declared_attr
    def statement_version(cls) -> Mapped[StatementVersion | None]:
        return relationship(StatementVersion, foreign_keys=lambda: [cls.statement_version_id])  # type: ignore[arg-type]

    def point_at(self, choice: GrundlagChoice) -> None:
        self.element_id = choice.element_version.element_id
        self.element_version = choice.element_version
        if choice.statement_version is not None:
            self.statement_id = choice.statement_version.statement_id
            self.statement_version = choice.statement_version
        else:
            self.statement_id = None
            self.statement_version = None

    def points_at(self, choice: GrundlagChoice) -> bool:
        """Whether this reference is to exactly the choice's wording (version included)."""
        statement = choice.statement_version
        return self.element_version_id == choice.element_version.id and (
            self.statement_version_id == (statement.id if statement is not None else None)
        )

    @property
    def reference_key(self) -> str:
        """The form value that chose this reference (see `devtrack.grundlag.links`), the
        same as `GrundlagChoice.key`."""
        if self.statement_id is not None:
            return f"s{self.statement_id}"
        return f"e{self.element_id}"


@dataclass(frozen=True)
class GrundlagChoice:
    element_version: ElementVersion
    statement_version: StatementVersion | None = None

    @property
    def key(self) -> str:
        """The same key as `GrundlagReference.reference_key` of a reference to this choice."""
        if self.statement_version is not None:
            return f"s{self.statement_version.statement_id}"
        return f"e{self.element_version.element_id}"


R = TypeVar("R", bound=GrundlagReference)


def sync_references(
    references: list[R], choices: Sequence[GrundlagChoice], make: Callable[[], R]
) -> bool:
    """Make `references` point at exactly `choices` in the choices' version, keeping the rows
    that stay; True when anything was added, removed or moved to another version."""
    wanted = {choice.key: choice for choice in choices}
    changed = False
    for reference in list(references):
        choice = wanted.get(reference.reference_key)
        if choice is None:
            references.remove(reference)
            changed = True
        elif not reference.points_at(choice):
            # Chosen again on a newer version: every reference of one save shows one version,
            # never the same element in two.
            reference.point_at(choice)
            changed = True
    present = {reference.reference_key for reference in references}
    for key, choice in wanted.items():
        if key not in present:
            reference = make()
            reference.point_at(choice)
            references.append(reference)
            changed = True
    return changed
