"""Who leads whom: the one rule, asked in one query for many people at once.

A unit is *led* while it is active and its leader is an active person. A person's nearest
leader is the leader of the first led unit on the way up from the person's own unit whose
leader is someone else: for most people the leader of their unit; for a unit's own leader
the leader above; for the members of a unit without a leader (or an inactive one) the
leader above that. A person who is no longer active has no nearest leader and leads no one:
a former leader keeps no way into a deactivated or anonymised person's data.

Direct reports are the exact inverse: the same walk up, asked for the people who can reach
the leader, kept where it ends at them. Every permission, overview and count calls this
module; nothing else walks the tree for leaders.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from typing import Any

from flask import g, has_request_context
from sqlalchemy import (
    CTE,
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import aliased, joinedload

from devtrack.extensions import db
from devtrack.people.models import OrgUnit, Person

# Far deeper than any organisation; only a guard should the unit tree ever hold a cycle.
MAX_DEPTH = 64

PersonIds = Collection[int] | Select[Any]


def _effective_leader(unit: Any, leader: Any) -> ColumnElement[Any]:
    """The unit's leader if the unit leads (active, with an active leader), else NULL."""
    return case(
        (and_(unit.active.is_(True), leader.active.is_(True)), unit.leader_id),
        else_=None,
    )


def _leader_walk(people: Any) -> Select[int, int]:
    """(person id, nearest leader id) for those of the given people who are active: one
    recursive query.

    From each person's unit, step to the parent while the unit has no effective leader or is
    led by the person themselves; the walk stops at the first unit led by someone else.
    """
    start = select(
        Person.id.label("person_id"),
        Person.unit_id.label("unit_id"),
        literal(0).label("depth"),
    ).where(Person.id.in_(people))
    walk = start.cte("leader_walk", recursive=True)
    unit, head = aliased(OrgUnit), aliased(Person)
    led_by = _effective_leader(unit, head)
    step = (
        select(walk.c.person_id, unit.parent_id, walk.c.depth + 1)
        .select_from(walk)
        .join(unit, unit.id == walk.c.unit_id)
        .outerjoin(head, head.id == unit.leader_id)
        .where(
            unit.parent_id.is_not(None),
            or_(led_by.is_(None), led_by == walk.c.person_id),
            walk.c.depth < MAX_DEPTH,
        )
    )
    walk = walk.union_all(step)
    found, found_head, walker = aliased(OrgUnit), aliased(Person), aliased(Person)
    leader_id = _effective_leader(found, found_head)
    # Whether the person is active is asked at the end, by primary key: asked at the start,
    # SQLite would read every active person through the (active, name) index.
    return (
        select(walk.c.person_id, leader_id.label("leader_id"))
        .select_from(walk)
        .join(walker, walker.id == walk.c.person_id)
        .join(found, found.id == walk.c.unit_id)
        .outerjoin(found_head, found_head.id == found.leader_id)
        .where(walker.active.is_(True), leader_id.is_not(None), leader_id != walk.c.person_id)
    )


def _nothing_asked(people: PersonIds) -> bool:
    return not isinstance(people, Select) and not people


# The statements are built once (building one costs more than running it on a small tree);
# the people or the leader asked about are their parameters.
@cache
def _walk_of_listed() -> Select[int, int]:
    return _leader_walk(bindparam("person_ids", expanding=True))


def _walk_of(people: PersonIds) -> tuple[Select[int, int], dict[str, Any]]:
    if isinstance(people, Select):
        return _leader_walk(people), {}
    return _walk_of_listed(), {"person_ids": list(people)}


def _with_leaders(walk: Select[int, int]) -> Select[int, Person]:
    found = walk.subquery()
    return select(found.c.person_id, Person).join(Person, Person.id == found.c.leader_id)


@cache
def _leaders_of_listed() -> Select[int, Person]:
    return _with_leaders(_walk_of_listed())


def nearest_leader_ids(people: PersonIds) -> dict[int, int]:
    """Each given person's nearest leader, by id; people without one are left out.

    `people` are ids, or a query of ids (for many: it stays inside the one query)."""
    if _nothing_asked(people):
        return {}
    statement, parameters = _walk_of(people)
    rows = db.session.execute(statement, parameters)
    return {row.person_id: row.leader_id for row in rows}


def nearest_leaders(people: PersonIds) -> dict[int, Person]:
    """Each given person's nearest leader (by the person's id), in one query."""
    if _nothing_asked(people):
        return {}
    if isinstance(people, Select):
        rows = db.session.execute(_with_leaders(_leader_walk(people)))
    else:
        rows = db.session.execute(_leaders_of_listed(), {"person_ids": list(people)})
    return {person_id: leader for person_id, leader in rows}  # noqa: C416


def nearest_leader(person: Person) -> Person | None:
    return nearest_leaders([person.id]).get(person.id)


def is_nearest_leader_of(user: Person, person: Person) -> bool:
    if user.id == person.id or not user.active or not person.active:
        return False
    return nearest_leader_ids([person.id]).get(person.id) == user.id


def _report_candidates(leader_id: BindParameter[int]) -> Select[int]:
    """Everyone whose walk up could end at the leader (a superset, filtered by the walk).

    The units the leader leads and the leaderless units below them hold the members; the
    units led by someone else directly below those hold the leaders who report upward.
    """
    head = aliased(Person)
    reach: CTE = (
        select(OrgUnit.id.label("unit_id"))
        .join(head, head.id == OrgUnit.leader_id)
        .where(OrgUnit.leader_id == leader_id, OrgUnit.active.is_(True), head.active.is_(True))
        .cte("leader_reach", recursive=True)
    )
    child, child_head = aliased(OrgUnit), aliased(Person)
    reach = reach.union(
        select(child.id)
        .select_from(reach)
        .join(child, child.parent_id == reach.c.unit_id)
        .outerjoin(child_head, child_head.id == child.leader_id)
        .where(_effective_leader(child, child_head).is_(None))
    )
    members = select(Person.id).where(Person.unit_id.in_(select(reach.c.unit_id)))
    below = aliased(OrgUnit)
    leaders_below = (
        select(below.leader_id)
        .join(reach, below.parent_id == reach.c.unit_id)
        .where(below.leader_id.is_not(None))
    )
    # A UNION of two index lookups; "id IN (...) OR id IN (...)" makes PostgreSQL scan everyone.
    return members.union(leaders_below)  # type: ignore[return-value]


@cache
def _direct_reports_statement() -> Select[Person]:
    leader_id = bindparam("leader_id", type_=Integer)
    walk = _leader_walk(_report_candidates(leader_id)).subquery()
    reports = select(walk.c.person_id).where(walk.c.leader_id == leader_id)
    return select(Person).where(Person.id.in_(reports)).options(joinedload(Person.unit))


def direct_reports(leader: Person) -> list[Person]:
    """The active people whose nearest leader is `leader`, with their units, in one query:
    the same walk as `nearest_leader_ids`, kept where it ends at the leader."""
    if not leader.active:
        return []
    return list(db.session.scalars(_direct_reports_statement(), {"leader_id": leader.id}))


def _units_led(leader_ids: ColumnElement[bool]) -> Select[int | None]:
    """The units that lead (active, with an active leader) whose leader is as asked."""
    head = aliased(Person)
    return (
        select(OrgUnit.leader_id)
        .join(head, head.id == OrgUnit.leader_id)
        .where(leader_ids, _effective_leader(OrgUnit, head).is_not(None))
    )


def _leaders_among(people: Any) -> Select[int | None]:
    return _units_led(OrgUnit.leader_id.in_(people)).distinct()


@cache
def _leaders_among_listed() -> Select[int | None]:
    return _leaders_among(bindparam("person_ids", expanding=True))


def leaders_among(people: PersonIds) -> set[int]:
    """Those of the given people who lead a unit (an active one, as active people)."""
    if _nothing_asked(people):
        return set()
    if isinstance(people, Select):
        found = db.session.scalars(_leaders_among(people))
    else:
        found = db.session.scalars(_leaders_among_listed(), {"person_ids": list(people)})
    return {leader_id for leader_id in found if leader_id is not None}


def leads_any_unit_query(person_id: Any) -> ColumnElement[bool]:
    """Whether the person leads a unit, as a column: loaded with the signed-in person, so
    that no page asks again for its menu."""
    return _units_led(OrgUnit.leader_id == person_id).exists()


_SIGNED_IN_LEADS = "devtrack_signed_in_leads"


def remember_leads_any_unit(person: Person, leads: Any) -> None:
    """What `leads_any_unit_query` gave for the signed-in person, for the rest of the request."""
    setattr(g, _SIGNED_IN_LEADS, (person.id, bool(leads)))


def leads_any_unit(person: Person) -> bool:
    if not person.active:
        return False
    if has_request_context():
        remembered = g.get(_SIGNED_IN_LEADS)
        if remembered is not None and remembered[0] == person.id:
            return bool(remembered[1])
    return bool(leaders_among([person.id]))
