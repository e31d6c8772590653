"""Syncing the organisation from the HR file, and looking people up. Services flush."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.database import LIKE_ESCAPE, like_pattern
from devtrack.extensions import db
from devtrack.i18n import today_in_denmark, utcnow
from devtrack.people.collation import danish_sort_key
from devtrack.people.models import (
    OrgImportDraft,
    OrgUnit,
    Person,
    RemovedEmployee,
    UnitLeadership,
    UnitMembership,
)
from devtrack.people.orgfile import OrgFile, PersonRow
from devtrack.progress import NO_PROGRESS, RowProgress


@dataclass
class SyncReport:
    units_created: int = 0
    units_updated: int = 0
    units_deactivated: int = 0
    people_created: int = 0
    people_updated: int = 0
    people_deactivated: int = 0
    people_moved: int = 0
    leaders_changed: int = 0
    new_people: list[Person] = field(default_factory=list)
    # (old name, new name) of every unit the file renamed.
    units_renamed: list[tuple[str, str]] = field(default_factory=list)
    moved_people: list[Person] = field(default_factory=list)
    # Employee numbers in the file of people retention has removed: not created again.
    removed_people: list[str] = field(default_factory=list)
    # Who and what, for a preview of the changes (`apply_sync`).
    new_units: list[OrgUnit] = field(default_factory=list)
    updated_people: list[Person] = field(default_factory=list)
    deactivated_people: list[Person] = field(default_factory=list)
    # (person, the external id of the unit they left)
    moves: list[tuple[Person, str | None]] = field(default_factory=list)
    # (unit, leader before, leader after)
    leader_changes: list[tuple[OrgUnit, Person | None, Person | None]] = field(default_factory=list)


# Features above people that keep a copy of where someone works (a conversation's unit and
# leader) register here; an import tells them who moved once the new organisation is in place.
_move_followers: dict[str, Callable[[Sequence[Person]], None]] = {}


def register_move_follower(name: str, follower: Callable[[Sequence[Person]], None]) -> None:
    _move_followers[name] = follower


def _is_employed(end_date: date | None, today: date) -> bool:
    return end_date is None or end_date >= today


# People written to the database at a time during a sync.
FLUSH_EVERY = 1000


@dataclass
class _Sync:
    """One import under way: the file, what the database holds, and what has changed."""

    org: OrgFile
    today: date
    now: datetime = field(default_factory=utcnow)
    report: SyncReport = field(default_factory=SyncReport)
    units: dict[str, OrgUnit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    open_memberships: dict[int, UnitMembership] = field(default_factory=dict)
    progress: RowProgress = NO_PROGRESS


def sync_organisation(
    org: OrgFile,
    *,
    today: date | None = None,
    log: bool = True,
    progress: RowProgress = NO_PROGRESS,
) -> SyncReport:
    """Make the database match a checked organisation file. Running it twice changes nothing.

    New units and people are created, changed ones updated, and people missing from the file
    (or whose end date has passed) deactivated, never deleted. Moves and leader changes close
    the old history row and open a new one; a new leader takes over the unit at once. An
    e-mail address may pass from one person to another (or two may swap) in one import.
    `progress` hears of each unit and person row of the file as it is done.
    """
    org, removed = _without_removed_people(org)
    sync = _Sync(org, today or today_in_denmark(), progress=progress)
    sync.report.removed_people = removed
    sync.units = {unit.external_id: unit for unit in db.session.scalars(select(OrgUnit))}
    sync.people = {person.employee_number: person for person in db.session.scalars(select(Person))}
    _sync_units(sync)
    _free_addresses(sync)
    _sync_people(sync)
    _deactivate_missing(sync)
    _sync_leaders(sync)
    for follower in _move_followers.values():
        follower(sync.report.moved_people)
    report = sync.report
    if log:
        _log_sync(report)
    return report


def _log_sync(report: SyncReport, prefix: str = "import") -> None:
    log_access(
        AccessAction.UPDATE,
        object_type="organisation",
        detail=(
            f"{prefix}: {report.people_created} new, {report.people_updated} changed, "
            f"{report.people_deactivated} deactivated, {report.units_created} new units, "
            f"{len(report.units_renamed)} renamed units, "
            f"{len(report.removed_people)} removed people not created again"
        ),
    )


def _without_removed_people(org: OrgFile) -> tuple[OrgFile, list[str]]:
    """The file without the people retention has removed (and not as anyone's leader)."""
    numbers = set(db.session.scalars(select(RemovedEmployee.employee_number))) & set(org.people)
    if not numbers:
        return org, []
    people = {number: row for number, row in org.people.items() if number not in numbers}
    units = {
        external_id: replace(row, leader_number=None) if row.leader_number in numbers else row
        for external_id, row in org.units.items()
    }
    return OrgFile(units=units, people=people), sorted(numbers)


def _sync_units(sync: _Sync) -> None:
    """Create new units, rename and reactivate known ones, then hang each under its parent."""
    sync.progress.expect(len(sync.org.units), "enheder")
    for row in sync.org.units.values():
        unit = sync.units.get(row.external_id)
        if unit is None:
            unit = OrgUnit(external_id=row.external_id, name=row.name)
            db.session.add(unit)
            sync.units[row.external_id] = unit
            sync.report.units_created += 1
            sync.report.new_units.append(unit)
        elif unit.name != row.name or not unit.active:
            sync.report.units_updated += 1
            if unit.name != row.name:
                sync.report.units_renamed.append((unit.name, row.name))
        unit.name = row.name
        unit.active = True
        sync.progress.advance()
    for row in sync.org.units.values():
        sync.units[row.external_id].parent = sync.units[row.parent_id] if row.parent_id else None
    db.session.flush()


def _free_addresses(sync: _Sync) -> None:
    """Release every address the file gives to someone else before any is assigned, so an
    address passed on to a new employee, or two people swapping, never meets itself twice in
    the table. Whoever is left without one (they left) keeps a reserved placeholder."""
    owner_of = {row.email: number for number, row in sync.org.people.items()}
    freed = False
    for number, person in sync.people.items():
        owner = owner_of.get(person.email)
        if owner is not None and owner != number:
            person.email = f"fri-{person.id}@devtrack.invalid"
            freed = True
    if freed:
        db.session.flush()


def _sync_people(sync: _Sync) -> None:
    sync.open_memberships = {
        membership.person_id: membership
        for membership in db.session.scalars(
            select(UnitMembership).where(UnitMembership.ended_at.is_(None))
        )
    }
    sync.progress.expect(len(sync.org.people), "personer")
    for number, row in enumerate(sync.org.people.values(), 1):
        person = sync.people.get(row.employee_number)
        if person is None:
            _create_person(sync, row)
        else:
            _update_person(sync, person, row)
        if number % FLUSH_EVERY == 0:
            db.session.flush()  # written as the rows go, so the progress is the real work's
        sync.progress.advance()
    db.session.flush()
    for person in sync.report.new_people:
        db.session.add(
            UnitMembership(person_id=person.id, unit_id=person.unit_id, started_at=sync.now)
        )


def _create_person(sync: _Sync, row: PersonRow) -> None:
    person = Person(
        employee_number=row.employee_number,
        name=row.name,
        email=row.email,
        unit=sync.units[row.unit_id],
        start_date=row.start_date,
        end_date=row.end_date,
        active=_is_employed(row.end_date, sync.today),
    )
    db.session.add(person)
    sync.people[row.employee_number] = person
    sync.report.people_created += 1
    sync.report.new_people.append(person)


def _update_person(sync: _Sync, person: Person, row: PersonRow) -> None:
    changed = (person.name, person.email, person.start_date, person.end_date) != (
        row.name,
        row.email,
        row.start_date,
        row.end_date,
    )
    unit = sync.units[row.unit_id]
    if person.unit_id != unit.id:
        _move(sync, person, unit)
        changed = True
    active = _is_employed(row.end_date, sync.today)
    if person.active and not active:
        _deactivate(person)
        sync.report.people_deactivated += 1
        sync.report.deactivated_people.append(person)
    elif not person.active and active:
        person.active = True
        changed = True
    if changed:
        sync.report.people_updated += 1
        sync.report.updated_people.append(person)
    person.name, person.email = row.name, row.email
    person.start_date, person.end_date = row.start_date, row.end_date


def _move(sync: _Sync, person: Person, unit: OrgUnit) -> None:
    """Close the person's membership of their old unit and open one of the new."""
    sync.report.people_moved += 1
    sync.report.moved_people.append(person)
    sync.report.moves.append((person, person.unit.external_id if person.unit else None))
    membership = sync.open_memberships.pop(person.id, None)
    if membership is not None:
        membership.ended_at = sync.now
    db.session.add(UnitMembership(person_id=person.id, unit_id=unit.id, started_at=sync.now))
    person.unit = unit


def _deactivate_missing(sync: _Sync) -> None:
    for number, person in sync.people.items():
        if number not in sync.org.people and person.active:
            _deactivate(person)
            sync.report.people_deactivated += 1
            sync.report.deactivated_people.append(person)


def _sync_leaders(sync: _Sync) -> None:
    """Deactivate units missing from the file; give each unit the file's leader, closing the
    old leadership and opening the new."""
    open_leaderships = {
        leadership.unit_id: leadership
        for leadership in db.session.scalars(
            select(UnitLeadership).where(UnitLeadership.ended_at.is_(None))
        )
    }
    for external_id, unit in sync.units.items():
        row = sync.org.units.get(external_id)
        if row is None and unit.active:
            unit.active = False
            sync.report.units_deactivated += 1
        leader = sync.people[row.leader_number] if row and row.leader_number else None
        if (leader.id if leader else None) == unit.leader_id:
            continue
        current = open_leaderships.get(unit.id)
        if current is not None:
            current.ended_at = sync.now
        if leader is not None:
            db.session.add(
                UnitLeadership(unit_id=unit.id, person_id=leader.id, started_at=sync.now)
            )
        if unit.leader_id is not None or leader is not None:
            sync.report.leaders_changed += 1
            sync.report.leader_changes.append((unit, unit.leader, leader))
        unit.leader = leader
    db.session.flush()


def _deactivate(person: Person) -> None:
    person.active = False
    person.session_version += 1  # ends every session of the person at once


class PersonTaken(Exception):
    """The e-mail or the employee number already belongs to someone (perhaps since a moment)."""

    def __init__(self, *, email: bool, employee_number: bool) -> None:
        super().__init__(f"taken: email={email} employee_number={employee_number}")
        self.email = email
        self.employee_number = employee_number


def create_person(*, employee_number: str, name: str, email: str, unit: OrgUnit) -> Person:
    """A new person in `unit` (a re-hire when retention had removed their number). The
    table's unique constraints decide whether the e-mail and the employee number are free, so
    two admins creating the same person at once get one person and one `PersonTaken`, never a
    failed request; a savepoint keeps the rest of the request."""
    # By id, not `unit=`: a refused person must not stay behind in `unit.members`.
    person = Person(employee_number=employee_number, name=name, email=email, unit_id=unit.id)
    try:
        # With the membership inside: on SQLite a savepoint that opens the transaction is
        # committed when released, and a person must never lack their membership.
        with db.session.begin_nested():
            db.session.add(person)
            db.session.flush()
            db.session.add(UnitMembership(person_id=person.id, unit_id=unit.id))
            db.session.flush()
    except IntegrityError:
        raise PersonTaken(
            email=_taken(Person.email == email),
            employee_number=_taken(Person.employee_number == employee_number),
        ) from None
    # An admin creating a removed person's number again is a deliberate re-hire: the
    # organisation file may keep them in step from now on.
    db.session.execute(
        delete(RemovedEmployee).where(RemovedEmployee.employee_number == employee_number)
    )
    log_access(AccessAction.CREATE, subject=person, object_type="person", object_id=person.id)
    db.session.flush()
    return person


def _taken(condition: ColumnElement[bool]) -> bool:
    return db.session.scalar(select(Person.id).where(condition).limit(1)) is not None


@dataclass
class PeoplePage:
    people: list[Person]
    page: int
    pages: int
    total: int


def find_people(query: str, *, show_inactive: bool, page: int, page_size: int) -> PeoplePage:
    """Admin's list: people whose name, e-mail or employee number contains `query`, in Danish
    order, one page of them loaded with their unit."""
    statement = select(Person.id, Person.name)
    if query:
        pattern = like_pattern(query.lower())
        statement = statement.where(
            or_(
                func.lower(Person.name).like(pattern, escape=LIKE_ESCAPE),
                Person.email.like(pattern, escape=LIKE_ESCAPE),
                func.lower(Person.employee_number).like(pattern, escape=LIKE_ESCAPE),
            )
        )
    if not show_inactive:
        statement = statement.where(Person.active.is_(True))
    # Danish order (æ, ø, å after z) is done here, on ids and names only, then one page is loaded.
    matches = sorted(db.session.execute(statement).all(), key=lambda row: danish_sort_key(row.name))
    pages = max((len(matches) + page_size - 1) // page_size, 1)
    page = min(page, pages)
    ids = [row.id for row in matches[(page - 1) * page_size : page * page_size]]
    loaded = {
        person.id: person
        for person in db.session.scalars(
            select(Person).where(Person.id.in_(ids)).options(joinedload(Person.unit))
        )
    }
    return PeoplePage([loaded[person_id] for person_id in ids], page, pages, len(matches))


def person_with_unit(person_id: int) -> Person | None:
    return db.session.scalar(
        select(Person).where(Person.id == person_id).options(joinedload(Person.unit))
    )


def active_people_per_unit() -> dict[int, int]:
    return {
        unit_id: int(count)
        for unit_id, count in db.session.execute(
            select(Person.unit_id, func.count())
            .where(Person.active.is_(True))
            .group_by(Person.unit_id)
        )
    }


def set_roles(person: Person, *, hr: bool, admin: bool) -> None:
    person.is_admin = admin
    person.is_hr = hr
    log_access(
        AccessAction.UPDATE,
        subject=person,
        object_type="roles",
        object_id=person.id,
        detail=f"hr={person.is_hr} admin={person.is_admin}",
    )
    db.session.flush()


def deactivate(person: Person) -> None:
    _deactivate(person)
    log_access(
        AccessAction.UPDATE,
        subject=person,
        object_type="person",
        object_id=person.id,
        detail="deactivated",
    )
    db.session.flush()


def units_as_tree() -> list[tuple[OrgUnit, int]]:
    """Every active unit with its depth, parents before children, siblings in Danish order."""
    units = db.session.scalars(
        select(OrgUnit).where(OrgUnit.active.is_(True)).options(joinedload(OrgUnit.leader))
    ).all()
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[OrgUnit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent_id, []), key=lambda u: danish_sort_key(u.name)):
            ordered.append((unit, depth))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered


def subtree_unit_ids(root_ids: set[int]) -> set[int]:
    """The given units and every unit below them, from one query of the unit tree."""
    rows = db.session.execute(select(OrgUnit.id, OrgUnit.parent_id)).all()
    children: dict[int | None, list[int]] = {}
    for unit_id, parent_id in rows:
        children.setdefault(parent_id, []).append(unit_id)
    found: set[int] = set()
    stack = list(root_ids)
    while stack:
        unit_id = stack.pop()
        if unit_id not in found:
            found.add(unit_id)
            stack.extend(children.get(unit_id, []))
    return found


# --- Previewing and guarding a sync ---------------------------------------------------------


@dataclass(frozen=True)
class PersonChange:
    employee_number: str
    name: str


@dataclass(frozen=True)
class MoveChange:
    employee_number: str
    name: str
    from_unit: str | None
    to_unit: str


@dataclass(frozen=True)
class LeaderChange:
    unit: str
    unit_name: str
    before: str | None  # employee numbers
    after: str | None


@dataclass(frozen=True)
class SyncChanges:
    """What a sync did or would do, as plain values that outlive a rolled-back preview."""

    units_created: list[str]
    units_renamed: list[tuple[str, str]]
    units_deactivated: int
    created: list[PersonChange]
    updated: list[PersonChange]
    moved: list[MoveChange]
    deactivated: list[PersonChange]
    leader_changes: list[LeaderChange]
    removed_people: list[str]
    active_before: int

    @property
    def deactivated_share(self) -> float:
        return len(self.deactivated) / self.active_before if self.active_before else 0.0


@dataclass(frozen=True)
class SyncOutcome:
    changes: SyncChanges
    applied: bool
    # The sync would deactivate more than the configured share and was not confirmed.
    refused: bool


def _changes(report: SyncReport, active_before: int) -> SyncChanges:
    def person(p: Person) -> PersonChange:
        return PersonChange(p.employee_number, p.name)

    return SyncChanges(
        units_created=[unit.external_id for unit in report.new_units],
        units_renamed=list(report.units_renamed),
        units_deactivated=report.units_deactivated,
        created=[person(p) for p in report.new_people],
        updated=[person(p) for p in report.updated_people],
        moved=[
            MoveChange(p.employee_number, p.name, old, p.unit.external_id)
            for p, old in report.moves
        ],
        deactivated=[person(p) for p in report.deactivated_people],
        leader_changes=[
            LeaderChange(
                unit.external_id,
                unit.name,
                before.employee_number if before else None,
                after.employee_number if after else None,
            )
            for unit, before, after in report.leader_changes
        ],
        removed_people=list(report.removed_people),
        active_before=active_before,
    )


def apply_sync(
    org: OrgFile,
    *,
    dry_run: bool = False,
    max_deactivated_share: float = 1.0,
    confirmed: bool = False,
) -> SyncOutcome:
    """Run `sync_organisation` inside a savepoint and say what it changed. A dry run, or a
    sync that would deactivate more than `max_deactivated_share` of the active people without
    `confirmed`, is rolled back: the preview is the real sync, so it can never disagree."""
    active_before = int(
        db.session.scalar(select(func.count()).select_from(Person).where(Person.active)) or 0
    )
    savepoint = db.session.begin_nested()
    report = sync_organisation(org, log=False)
    changes = _changes(report, active_before)
    refused = not dry_run and not confirmed and changes.deactivated_share > max_deactivated_share
    if dry_run or refused:
        savepoint.rollback()
        _log_sync(report, "refused sync" if refused else "preview")
    else:
        savepoint.commit()
        _log_sync(report)
    return SyncOutcome(changes, applied=not (dry_run or refused), refused=refused)


IMPORT_DRAFT_HOURS = 24


def save_import_draft(content: bytes) -> str:
    """Keep an uploaded organisation file until the administrator confirms its preview; forget
    drafts older than a day. Returns the draft's random token."""
    db.session.execute(
        delete(OrgImportDraft).where(
            OrgImportDraft.created_at < utcnow() - timedelta(hours=IMPORT_DRAFT_HOURS)
        )
    )
    token = secrets.token_urlsafe(24)
    db.session.add(OrgImportDraft(token=token, content=content))
    db.session.flush()
    return token


def import_draft(token: str) -> OrgImportDraft | None:
    draft: OrgImportDraft | None = db.session.scalar(
        select(OrgImportDraft).where(
            OrgImportDraft.token == token[:64],
            OrgImportDraft.created_at >= utcnow() - timedelta(hours=IMPORT_DRAFT_HOURS),
        )
    )
    return draft


def discard_import_draft(draft: OrgImportDraft) -> None:
    db.session.delete(draft)
    db.session.flush()
