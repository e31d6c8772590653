"""Syncing the organisation from the HR file, and looking people up. Services flush."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.people.collation import danish_sort_key
from devtrack.people.models import OrgUnit, Person, UnitLeadership, UnitMembership
from devtrack.people.orgfile import OrgFile


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


def _is_employed(end_date: date | None, today: date) -> bool:
    return end_date is None or end_date >= today


def sync_organisation(org: OrgFile, *, today: date | None = None) -> SyncReport:
    """Make the database match a checked organisation file. Running it twice changes nothing.

    New units and people are created, changed ones updated, and people missing from the file
    (or whose end date has passed) deactivated, never deleted. Moves and leader changes close
    the old history row and open a new one; a new leader takes over the unit at once.
    """
    today = today or date.today()
    now = utcnow()
    report = SyncReport()
    units = {unit.external_id: unit for unit in db.session.scalars(select(OrgUnit))}
    people = {person.employee_number: person for person in db.session.scalars(select(Person))}

    for row in org.units.values():
        unit = units.get(row.external_id)
        if unit is None:
            unit = OrgUnit(external_id=row.external_id, name=row.name)
            db.session.add(unit)
            units[row.external_id] = unit
            report.units_created += 1
        elif unit.name != row.name or not unit.active:
            report.units_updated += 1
        unit.name = row.name
        unit.active = True
    for row in org.units.values():
        units[row.external_id].parent = units[row.parent_id] if row.parent_id else None
    db.session.flush()

    open_memberships = {
        membership.person_id: membership
        for membership in db.session.scalars(
            select(UnitMembership).where(UnitMembership.ended_at.is_(None))
        )
    }
    for person_row in org.people.values():
        unit = units[person_row.unit_id]
        active = _is_employed(person_row.end_date, today)
        person = people.get(person_row.employee_number)
        if person is None:
            person = Person(
                employee_number=person_row.employee_number,
                name=person_row.name,
                email=person_row.email,
                unit=unit,
                start_date=person_row.start_date,
                end_date=person_row.end_date,
                active=active,
            )
            db.session.add(person)
            people[person_row.employee_number] = person
            report.people_created += 1
            report.new_people.append(person)
            continue
        changed = (person.name, person.email, person.start_date, person.end_date) != (
            person_row.name,
            person_row.email,
            person_row.start_date,
            person_row.end_date,
        )
        if person.unit_id != unit.id:
            report.people_moved += 1
            changed = True
            membership = open_memberships.pop(person.id, None)
            if membership is not None:
                membership.ended_at = now
            db.session.add(UnitMembership(person_id=person.id, unit_id=unit.id, started_at=now))
            person.unit = unit
        if person.active and not active:
            _deactivate(person)
            report.people_deactivated += 1
        elif not person.active and active:
            person.active = True
            changed = True
        if changed:
            report.people_updated += 1
        person.name, person.email = person_row.name, person_row.email
        person.start_date, person.end_date = person_row.start_date, person_row.end_date
    db.session.flush()

    for person in report.new_people:
        db.session.add(UnitMembership(person_id=person.id, unit_id=person.unit_id, started_at=now))

    for number, person in people.items():
        if number not in org.people and person.active:
            _deactivate(person)
            report.people_deactivated += 1

    open_leaderships = {
        leadership.unit_id: leadership
        for leadership in db.session.scalars(
            select(UnitLeadership).where(UnitLeadership.ended_at.is_(None))
        )
    }
    for external_id, unit in units.items():
        unit_row = org.units.get(external_id)
        leader = people[unit_row.leader_number] if unit_row and unit_row.leader_number else None
        if unit_row is None and unit.active:
            unit.active = False
            report.units_deactivated += 1
        if (leader.id if leader else None) == unit.leader_id:
            continue
        current = open_leaderships.get(unit.id)
        if current is not None:
            current.ended_at = now
        if leader is not None:
            db.session.add(UnitLeadership(unit_id=unit.id, person_id=leader.id, started_at=now))
        if unit.leader_id is not None or leader is not None:
            report.leaders_changed += 1
        unit.leader = leader
    db.session.flush()
    log_access(
        AccessAction.UPDATE,
        object_type="organisation",
        detail=(
            f"import: {report.people_created} new, {report.people_updated} changed, "
            f"{report.people_deactivated} deactivated, {report.units_created} new units"
        ),
    )
    return report


def _deactivate(person: Person) -> None:
    person.active = False
    person.session_version += 1  # ends every session of the person at once


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
