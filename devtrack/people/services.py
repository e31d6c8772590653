"""Syncing the organisation from the HR file, and looking people up. Services flush."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.database import LIKE_ESCAPE, in_chunks, insert_new_rows, like_pattern
from devtrack.extensions import db
from devtrack.i18n import today_in_denmark, utcnow
from devtrack.people.collation import danish_sort_key
from devtrack.people.models import (
    OrganisationSyncCount,
    OrgImportDraft,
    OrgUnit,
    Person,
    RemovedEmployee,
    UnitLeadership,
    UnitMembership,
)
from devtrack.people.orgfile import OrgFile, PersonRow, UnitRow
from devtrack.progress import NO_PROGRESS, RowProgress

# --- Syncing the organisation ---------------------------------------------------------------
#
# A sync first decides everything from the file and what the database holds, writing nothing
# (`_plan`): that is the long part, and the dry run and the check of how many would be
# deactivated are made from it. Only then are the changes written, a few bulk statements
# (`_write`), so the locks a write takes (SQLite's one write lock above all) are held for that
# short moment, never while 45,000 rows are compared; an unchanged file writes nothing. The
# request (or the command) still commits once: an error in either part leaves nothing written.


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
    """What a sync did or would do, as plain values."""

    units_created: list[str]
    units_renamed: list[tuple[str, str]]
    units_deactivated: int
    created: list[PersonChange]
    updated: list[PersonChange]
    moved: list[MoveChange]
    deactivated: list[PersonChange]
    leader_changes: list[LeaderChange]
    # Employee numbers in the file of people retention has removed: not created again.
    removed_people: list[str]
    active_before: int

    @property
    def deactivated_share(self) -> float:
        return len(self.deactivated) / self.active_before if self.active_before else 0.0


@dataclass(frozen=True)
class SyncReport:
    changes: SyncChanges
    # False for a dry run, and for a sync refused for deactivating too many.
    applied: bool
    # The sync would deactivate more than the share allowed and was not written.
    refused: bool


# Features above people that keep a copy of where someone works (a conversation's unit and
# leader) register here; an import tells them who moved once the new organisation is in place.
_move_followers: dict[str, Callable[[Sequence[Person]], None]] = {}


def register_move_follower(name: str, follower: Callable[[Sequence[Person]], None]) -> None:
    _move_followers[name] = follower


def _is_employed(end_date: date | None, today: date) -> bool:
    return end_date is None or end_date >= today


def sync_organisation(
    org: OrgFile,
    *,
    today: date | None = None,
    log: bool = True,
    progress: RowProgress = NO_PROGRESS,
    dry_run: bool = False,
    max_deactivated_share: float = 1.0,
) -> SyncReport:
    """Make the database match a checked organisation file. Running it twice changes nothing.

    New units and people are created, changed ones updated, and people missing from the file
    (or whose end date has passed) deactivated, never deleted. Moves and leader changes close
    the old history row and open a new one; a new leader takes over the unit at once. An
    e-mail address may pass from one person to another (or two may swap) in one import.
    `progress` hears of each unit and person row of the file as it is compared.

    With `dry_run`, or when more than `max_deactivated_share` of the active people would be
    deactivated, nothing is written and the report says what the sync would have done: the
    same decisions, so a preview never disagrees with the sync it previews.

    Raises `OrganisationChanged`, with nothing written, when another sync wrote the
    organisation after this one began comparing.
    """
    syncs_before = _syncs_so_far()
    plan = _plan(org, today or today_in_denmark(), progress)
    changes = plan.changes()
    refused = not dry_run and changes.deactivated_share > max_deactivated_share
    report = SyncReport(changes, applied=not (dry_run or refused), refused=refused)
    if report.applied and plan.writes_anything():
        _count_this_sync(syncs_before)
        _write(plan)
    if log:
        _log_sync(changes, "refused sync" if refused else "preview" if dry_run else "import")
    return report


class OrganisationChanged(Exception):
    """Another sync wrote the organisation after this one read it: this one's decisions rest on
    what is no longer there, and nothing of it is written. Sent again, it compares the file
    with what the other sync wrote."""


def _syncs_so_far() -> int:
    count = OrganisationSyncCount.__table__
    return int(db.session.scalar(select(count.c.syncs).where(count.c.id == 1)) or 0)


def _count_this_sync(syncs_before: int) -> None:
    """Count this sync before it writes, or raise `OrganisationChanged` if another has been
    counted since `syncs_before` was read. The row stays locked until the caller's commit: on
    PostgreSQL a second sync waits here for the first to commit, then finds the count moved; on
    SQLite it waits for the write lock (at most the busy timeout) and finds the same."""
    count = OrganisationSyncCount.__table__
    counted = (
        db.session.execute(
            update(count)
            .where(count.c.id == 1, count.c.syncs == syncs_before)
            .values(syncs=syncs_before + 1)
            .returning(count.c.id)
        ).first()
        is not None
    )
    if not counted and syncs_before == 0:  # the first sync there has ever been
        counted = insert_new_rows(OrganisationSyncCount, [{"id": 1, "syncs": 1}], ["id"]) == 1
    if not counted:
        raise OrganisationChanged


def _log_sync(changes: SyncChanges, prefix: str) -> None:
    log_access(
        AccessAction.UPDATE,
        object_type="organisation",
        detail=(
            f"{prefix}: {len(changes.created)} new, {len(changes.updated)} changed, "
            f"{len(changes.deactivated)} deactivated, {len(changes.units_created)} new units, "
            f"{len(changes.units_renamed)} renamed units, "
            f"{len(changes.removed_people)} removed people not created again"
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


@dataclass(frozen=True)
class _StoredUnit:
    id: int
    external_id: str
    name: str
    parent_id: int | None
    leader_id: int | None
    active: bool


@dataclass(frozen=True)
class _StoredPerson:
    id: int
    employee_number: str
    name: str
    email: str
    unit_id: int
    start_date: date | None
    end_date: date | None
    active: bool


@dataclass
class _Plan:
    """A sync decided and not yet written: the file, what the database held, and the changes."""

    org: OrgFile
    today: date
    removed_people: list[str]
    units: dict[str, _StoredUnit]  # by external id
    people: dict[str, _StoredPerson]  # by employee number
    units_renamed: list[tuple[str, str]] = field(default_factory=list)
    created: list[PersonChange] = field(default_factory=list)
    updated: list[PersonChange] = field(default_factory=list)
    moved: list[MoveChange] = field(default_factory=list)
    deactivated: list[PersonChange] = field(default_factory=list)
    leader_changes: list[LeaderChange] = field(default_factory=list)
    # What `_write` does.
    new_units: list[UnitRow] = field(default_factory=list)
    # Known units whose name, state or parent the file changes.
    changed_units: list[UnitRow] = field(default_factory=list)
    closed_units: list[int] = field(default_factory=list)
    freed_addresses: list[int] = field(default_factory=list)  # person ids
    new_people: list[PersonRow] = field(default_factory=list)
    # Known people whose row the file changes: (id, the file's row, employed).
    changed_people: list[tuple[int, PersonRow, bool]] = field(default_factory=list)
    deactivated_ids: list[int] = field(default_factory=list)
    # (person id, the external id of the unit they move to)
    moves: list[tuple[int, str]] = field(default_factory=list)
    # Units whose leader changes -> the new leader's employee number (None: no leader).
    new_leaders: dict[str, str | None] = field(default_factory=dict)

    def writes_anything(self) -> bool:
        return any(
            (
                self.new_units,
                self.changed_units,
                self.closed_units,
                self.freed_addresses,
                self.new_people,
                self.changed_people,
                self.deactivated_ids,
                self.moves,
                self.new_leaders,
            )
        )

    def changes(self) -> SyncChanges:
        return SyncChanges(
            units_created=[row.external_id for row in self.new_units],
            units_renamed=self.units_renamed,
            units_deactivated=len(self.closed_units),
            created=self.created,
            updated=self.updated,
            moved=self.moved,
            deactivated=self.deactivated,
            leader_changes=self.leader_changes,
            removed_people=self.removed_people,
            active_before=sum(person.active for person in self.people.values()),
        )


def _plan(org: OrgFile, today: date, progress: RowProgress) -> _Plan:
    """Decide the whole sync from the file and the database, writing nothing."""
    org, removed = _without_removed_people(org)
    units = db.session.execute(
        select(
            OrgUnit.id,
            OrgUnit.external_id,
            OrgUnit.name,
            OrgUnit.parent_id,
            OrgUnit.leader_id,
            OrgUnit.active,
        ).order_by(OrgUnit.id)
    )
    people = db.session.execute(
        select(
            Person.id,
            Person.employee_number,
            Person.name,
            Person.email,
            Person.unit_id,
            Person.start_date,
            Person.end_date,
            Person.active,
        ).order_by(Person.id)
    )
    plan = _Plan(
        org,
        today,
        removed,
        {row[1]: _StoredUnit(*row) for row in units},
        {row[1]: _StoredPerson(*row) for row in people},
    )
    _plan_units(plan, progress)
    _plan_addresses(plan)
    _plan_people(plan, progress)
    _plan_missing_people(plan)
    _plan_leaders(plan)
    return plan


def _plan_units(plan: _Plan, progress: RowProgress) -> None:
    """New units; known ones renamed, made active again or hung under another parent."""
    progress.expect(len(plan.org.units), "enheder")
    for row in plan.org.units.values():
        unit = plan.units.get(row.external_id)
        if unit is None:
            plan.new_units.append(row)
        else:
            if unit.name != row.name:
                plan.units_renamed.append((unit.name, row.name))
            parent = plan.units.get(row.parent_id) if row.parent_id else None
            # A parent the file adds is new, so a known unit under it has moved.
            moved = parent is None and row.parent_id is not None
            moved = moved or (parent.id if parent else None) != unit.parent_id
            if unit.name != row.name or not unit.active or moved:
                plan.changed_units.append(row)
        progress.advance()


def _plan_addresses(plan: _Plan) -> None:
    """Release every address the file gives to someone else before any is assigned, so an
    address passed on to a new employee, or two people swapping, never meets itself twice in
    the table. Whoever is left without one (they left) keeps a reserved placeholder."""
    owner_of = {row.email: number for number, row in plan.org.people.items()}
    for number, person in plan.people.items():
        owner = owner_of.get(person.email)
        if owner is not None and owner != number:
            plan.freed_addresses.append(person.id)


def _plan_people(plan: _Plan, progress: RowProgress) -> None:
    external_id_of = {unit.id: unit.external_id for unit in plan.units.values()}
    progress.expect(len(plan.org.people), "personer")
    for row in plan.org.people.values():
        person = plan.people.get(row.employee_number)
        if person is None:
            plan.new_people.append(row)
            plan.created.append(PersonChange(row.employee_number, row.name))
        else:
            _plan_person(plan, person, row, external_id_of.get(person.unit_id))
        progress.advance()


def _plan_person(plan: _Plan, person: _StoredPerson, row: PersonRow, unit: str | None) -> None:
    changed = (person.name, person.email, person.start_date, person.end_date) != (
        row.name,
        row.email,
        row.start_date,
        row.end_date,
    )
    if unit != row.unit_id:
        plan.moved.append(MoveChange(row.employee_number, row.name, unit, row.unit_id))
        plan.moves.append((person.id, row.unit_id))
        changed = True
    employed = _is_employed(row.end_date, plan.today)
    leaves = person.active and not employed
    if leaves:
        plan.deactivated.append(PersonChange(row.employee_number, row.name))
        plan.deactivated_ids.append(person.id)
    elif not person.active and employed:
        changed = True  # back again
    if changed:
        plan.updated.append(PersonChange(row.employee_number, row.name))
    if changed or leaves:
        plan.changed_people.append((person.id, row, employed))


def _plan_missing_people(plan: _Plan) -> None:
    for number, person in plan.people.items():
        if number not in plan.org.people and person.active:
            plan.deactivated.append(PersonChange(number, person.name))
            plan.deactivated_ids.append(person.id)


def _plan_leaders(plan: _Plan) -> None:
    """Units missing from the file are deactivated; each unit gets the file's leader."""
    number_of = {person.id: number for number, person in plan.people.items()}
    for external_id, unit in plan.units.items():
        row = plan.org.units.get(external_id)
        if row is None and unit.active:
            plan.closed_units.append(unit.id)
        before = number_of.get(unit.leader_id) if unit.leader_id is not None else None
        after = row.leader_number if row else None
        if before != after:
            plan.new_leaders[external_id] = after
            plan.leader_changes.append(
                LeaderChange(external_id, row.name if row else unit.name, before, after)
            )
    for row in plan.new_units:
        if row.leader_number is not None:
            plan.new_leaders[row.external_id] = row.leader_number
            plan.leader_changes.append(
                LeaderChange(row.external_id, row.name, None, row.leader_number)
            )


def _write(plan: _Plan) -> None:
    """Write what the plan decided: a few bulk statements (Core, one executemany each), with
    nothing left to compare."""
    db.session.flush()
    now = utcnow()
    unit_ids = _write_units(plan)
    person_ids = _write_people(plan, unit_ids)
    _write_history(plan, unit_ids, person_ids, now)
    # The rows changed under the session's feet: what it holds of them is read again.
    for stored in list(db.session.identity_map.values()):
        if isinstance(stored, (OrgUnit, Person, UnitMembership, UnitLeadership)):
            db.session.expire(stored)
    moved: list[Person] = []
    for chunk in in_chunks([person_id for person_id, _unit in plan.moves]):
        moved += db.session.scalars(select(Person).where(Person.id.in_(chunk)))
    for follower in _move_followers.values():
        follower(moved)


def _update_by_id(table: Any, rows: list[dict[str, Any]]) -> None:
    """Set each row's values where `id` is its id; the rows name the same columns."""
    if not rows:
        return
    names = [name for name in rows[0] if name != "id"]
    statement = (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({name: bindparam(f"new_{name}") for name in names})
    )
    db.session.execute(
        statement,
        [{"row_id": row["id"], **{f"new_{name}": row[name] for name in names}} for row in rows],
    )


def _write_units(plan: _Plan) -> dict[str, int]:
    """New units, parents before children (so each is inserted under its parent), then the
    known units' new names, states and parents. Returns every unit's id by external id."""
    units = OrgUnit.__table__
    unit_ids = {external_id: unit.id for external_id, unit in plan.units.items()}
    waiting = list(plan.new_units)
    while waiting:
        ready: list[UnitRow] = []
        later: list[UnitRow] = []
        for row in waiting:
            (ready if row.parent_id is None or row.parent_id in unit_ids else later).append(row)
        if not ready:  # a checked file has no ring of units; never loop for ever
            raise ValueError(f"units under no known parent: {later[:5]}")
        waiting = later
        inserted = db.session.execute(
            insert(units).returning(units.c.external_id, units.c.id),
            [
                {
                    "external_id": row.external_id,
                    "name": row.name,
                    "parent_id": unit_ids[row.parent_id] if row.parent_id else None,
                    "active": True,
                }
                for row in ready
            ],
        )
        unit_ids.update((external_id, unit_id) for external_id, unit_id in inserted)
    _update_by_id(
        units,
        [
            {
                "id": unit_ids[row.external_id],
                "name": row.name,
                "active": True,
                "parent_id": unit_ids[row.parent_id] if row.parent_id else None,
            }
            for row in plan.changed_units
        ],
    )
    for chunk in in_chunks(plan.closed_units):
        db.session.execute(update(units).where(units.c.id.in_(chunk)).values(active=False))
    return unit_ids


def _write_people(plan: _Plan, unit_ids: dict[str, int]) -> dict[str, int]:
    """Addresses released first, then the known people's new values, the deactivated (their
    sessions ended), and the new people. Returns every person's id by employee number."""
    people = Person.__table__
    _update_by_id(
        people,
        [
            {"id": person_id, "email": f"fri-{person_id}@devtrack.invalid"}
            for person_id in plan.freed_addresses
        ],
    )
    _update_by_id(
        people,
        [
            {
                "id": person_id,
                "name": row.name,
                "email": row.email,
                "unit_id": unit_ids[row.unit_id],
                "start_date": row.start_date,
                "end_date": row.end_date,
                "active": employed,
            }
            for person_id, row, employed in plan.changed_people
        ],
    )
    for chunk in in_chunks(plan.deactivated_ids):
        db.session.execute(
            update(people)
            .where(people.c.id.in_(chunk))
            # Ends every session of the person at once.
            .values(active=False, session_version=people.c.session_version + 1)
        )
    person_ids = {number: person.id for number, person in plan.people.items()}
    if plan.new_people:
        inserted = db.session.execute(
            insert(people).returning(people.c.employee_number, people.c.id),
            [
                {
                    "employee_number": row.employee_number,
                    "name": row.name,
                    "email": row.email,
                    "unit_id": unit_ids[row.unit_id],
                    "start_date": row.start_date,
                    "end_date": row.end_date,
                    "active": _is_employed(row.end_date, plan.today),
                }
                for row in plan.new_people
            ],
        )
        person_ids.update((number, person_id) for number, person_id in inserted)
    return person_ids


def _write_history(
    plan: _Plan, unit_ids: dict[str, int], person_ids: dict[str, int], now: datetime
) -> None:
    """Close the memberships of who moved and the leaderships of units with a new leader,
    open the new ones, and give each unit its leader."""
    memberships, leaderships = UnitMembership.__table__, UnitLeadership.__table__
    for chunk in in_chunks([person_id for person_id, _unit in plan.moves]):
        db.session.execute(
            update(memberships)
            .where(memberships.c.person_id.in_(chunk), memberships.c.ended_at.is_(None))
            .values(ended_at=now)
        )
    opened = [(person_ids[row.employee_number], row.unit_id) for row in plan.new_people]
    opened += plan.moves
    if opened:
        db.session.execute(
            insert(memberships),
            [
                {"person_id": person_id, "unit_id": unit_ids[unit], "started_at": now}
                for person_id, unit in opened
            ],
        )
    changed = [unit_ids[external_id] for external_id in plan.new_leaders]
    for chunk in in_chunks(changed):
        db.session.execute(
            update(leaderships)
            .where(leaderships.c.unit_id.in_(chunk), leaderships.c.ended_at.is_(None))
            .values(ended_at=now)
        )
    led = [(unit, number) for unit, number in plan.new_leaders.items() if number]
    if led:
        db.session.execute(
            insert(leaderships),
            [
                {"unit_id": unit_ids[unit], "person_id": person_ids[number], "started_at": now}
                for unit, number in led
            ],
        )
    _update_by_id(
        OrgUnit.__table__,
        [
            {"id": unit_ids[unit], "leader_id": person_ids[number] if number else None}
            for unit, number in plan.new_leaders.items()
        ],
    )


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


# --- The import page and the API ----------------------------------------------------------


def apply_sync(
    org: OrgFile,
    *,
    dry_run: bool = False,
    max_deactivated_share: float = 1.0,
    confirmed: bool = False,
    progress: RowProgress = NO_PROGRESS,
) -> SyncReport:
    """`sync_organisation` as the import page and the API ask for it: a dry run, or a sync
    that would deactivate more than `max_deactivated_share` of the active people without
    `confirmed`, writes nothing; the report says what it did or would do."""
    return sync_organisation(
        org,
        progress=progress,
        dry_run=dry_run,
        max_deactivated_share=1.0 if confirmed else max_deactivated_share,
    )


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
