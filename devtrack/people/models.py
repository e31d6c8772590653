"""The organisation: units in a tree, the people in them, and the history of both."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.types import UTCDateTime


class OrgUnit(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unit's id in the HR system's export: what the organisation import syncs on.
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", use_alter=True), index=True
    )
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent")
    leader: Mapped[Person | None] = relationship(foreign_keys=[leader_id], post_update=True)
    members: Mapped[list[Person]] = relationship(
        back_populates="unit", foreign_keys="Person.unit_id"
    )


class Person(db.Model):  # type: ignore[name-defined,misc]
    """Everyone is an employee; leading a unit makes a leader; HR and admin are granted."""

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_active_name", "active", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_number: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Stored lower-cased: e-mail addresses are compared without regard to case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
    is_hr: Mapped[bool] = mapped_column(default=False)
    is_admin: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str | None] = mapped_column(String(8))

    # Read only when a password is checked or set: no page loads it with the person.
    password_hash: Mapped[str | None] = mapped_column(String(200), deferred=True)
    # Bumped when the password changes or the person is deactivated: ends other sessions.
    session_version: Mapped[int] = mapped_column(default=1)
    last_signin_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    unit: Mapped[OrgUnit] = relationship(back_populates="members", foreign_keys=[unit_id])

    # Flask-Login's user interface.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class UnitMembership(db.Model):  # type: ignore[name-defined,misc]
    """Which unit a person belonged to, and when: moving a person keeps this history."""

    __tablename__ = "unit_membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class UnitLeadership(db.Model):  # type: ignore[name-defined,misc]
    """Who led a unit, and when: a change of leader keeps this history."""

    __tablename__ = "unit_leadership"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person] = relationship()


class RemovedEmployee(db.Model):  # type: ignore[name-defined,misc]
    """What retention leaves of a person: the employee number only, so that an organisation
    file still listing them does not create them again (the import reports it instead)."""

    __tablename__ = "removed_employee"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_number: Mapped[str] = mapped_column(String(64), unique=True)
    removed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PasswordLink(db.Model):  # type: ignore[name-defined,misc]
    """A one-time, expiring link an admin issues so a person can set a password."""

    __tablename__ = "password_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # Only a hash of the token is stored; the link itself is shown once to the admin.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person] = relationship(foreign_keys=[person_id])


class OrgImportDraft(db.Model):  # type: ignore[name-defined,misc]
    """An organisation file uploaded on the import page, kept between its preview and the
    administrator's confirmation (any app server may take the second request). Deleted when
    confirmed, and a day after it was uploaded."""

    __tablename__ = "org_import_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OrganisationSyncCount(db.Model):  # type: ignore[name-defined,misc]
    """How many syncs have written the organisation (one row, id 1; none before the first).

    A sync reads the count before it compares the file and writes only if the count is still
    the one it read, adding one (`devtrack.people.services.OrganisationChanged`): a second sync
    compared while the first was writing is refused with nothing written, instead of writing
    its decisions over the first's."""

    __tablename__ = "organisation_sync_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    syncs: Mapped[int] = mapped_column(default=0)
