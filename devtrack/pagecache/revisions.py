"""After every write, whose pages may have changed: the page scopes, the listeners and the bump.

A model says what its rows are to the pages with a `page_scope` class attribute:
- "person": the person row itself (see `Person.page_private_columns`);
- "personal": a row that belongs to people: the people its foreign keys lead to, directly or
  through other personal rows (a goal link through its goal to the goal's owner), see it;
- "unseen": no page shows it (the access log, the outbox, rate-limit windows);
- any other model is organisation-wide: a change to it may show on anyone's page, so it bumps
  the site revision. That is the default, so a new model can never leave a page stale.

A bump sets a new random revision (`new_revision`). Each touched person's nearest leader is
bumped too: their overview and the element pages
show their reports' work.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from functools import cache
from typing import Any

from sqlalchemy import event, inspect, literal_column, select, update
from sqlalchemy.orm import Mapper, ORMExecuteState, RelationshipProperty, Session

from devtrack.extensions import Base, db
from devtrack.pagecache.models import SiteRevision

PERSON = "person"
PERSONAL = "personal"
UNSEEN = "unseen"

# Execution option for a statement whose caller bumps the revisions itself.
REVISIONS_HANDLED = "page_revisions_handled"
_PEOPLE = "page_revision_people"
MANY_PEOPLE = 500
_EVERYONE = "page_revision_everyone"


class _Everyone(Exception):
    """A changed row whose readers cannot be narrowed down: bump the site revision."""


def scope_of(mapper: Mapper[Any]) -> str:
    return str(getattr(mapper.class_, "page_scope", "organisation"))


def _mapper_of_table(table: Any) -> Mapper[Any] | None:
    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            found: Mapper[Any] = mapper
            return found
    return None


@cache
def _links(mapper: Mapper[Any]) -> tuple[tuple[str, Mapper[Any]], ...]:
    """The row's attributes that lead to people: to the person table or to a personal row."""
    found = []
    for prop in mapper.column_attrs:
        for column in prop.columns:
            for foreign_key in column.foreign_keys:
                target = _mapper_of_table(foreign_key.column.table)
                if target is not None and scope_of(target) in (PERSON, PERSONAL):
                    found.append((prop.key, target))
    return tuple(found)


def _values(instance: Any, key: str) -> set[Any]:
    """The attribute's value now and, for a changed row, before: a moved row concerns both."""
    state = inspect(instance)
    history = state.attrs[key].history
    values = {*history.added, *history.unchanged, *history.deleted}
    if key in state.dict:
        values.add(state.dict[key])
    elif not state.deleted and not state.was_deleted:
        values.add(getattr(instance, key))
    elif not values:
        raise _Everyone
    values.discard(None)
    return values


def _parent(session: Session, mapper: Mapper[Any], primary_key: Any) -> Any:
    # A parent deleted in the same flush is still in the identity map during after_flush.
    identity = mapper.identity_key_from_primary_key((primary_key,))
    found = session.identity_map.get(identity)
    return found if found is not None else session.get(mapper.class_, primary_key)


def people_concerned(
    session: Session, instance: Any, seen: set[int] | None = None
) -> Iterator[int]:
    """The people whose pages show this personal row."""
    seen = set() if seen is None else seen
    if id(instance) in seen:
        return
    seen.add(id(instance))
    for key, target in _links(inspect(instance).mapper):
        for value in _values(instance, key):
            if scope_of(target) == PERSON:
                yield int(value)
                continue
            parent = _parent(session, target, value)
            if parent is None:
                raise _Everyone
            yield from people_concerned(session, parent, seen)


def _is_collection(mapper: Mapper[Any], key: str) -> bool:
    # A goal added to `person.goals` changes the goal, not the person.
    prop = mapper.attrs[key]
    return isinstance(prop, RelationshipProperty) and bool(prop.uselist)


def _changed_person(instance: Any) -> set[int]:
    """A person's own bookkeeping (sign-ins, language) shows only on their own pages."""
    state = inspect(instance)
    private: frozenset[str] = getattr(type(instance), "page_private_columns", frozenset())
    changed = {
        attr.key
        for attr in state.attrs
        if not _is_collection(state.mapper, attr.key) and attr.history.has_changes()
    }
    if changed - set(private):
        raise _Everyone
    return {int(instance.id)}


def touch_people(session: Session, people: set[int]) -> None:
    """Mark these people's pages as changed; applied when the transaction commits."""
    session.info.setdefault(_PEOPLE, set()).update(people)


def touch_everyone(session: Session) -> None:
    session.info[_EVERYONE] = True


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context: Any) -> None:
    # After the flush the foreign keys of new rows are filled in; the lists still show what
    # was new, changed and deleted.
    if session.info.get(_EVERYONE):
        return
    people: set[int] = set()
    try:
        added_or_removed = [*session.new, *session.deleted]
        updated = [i for i in session.dirty if session.is_modified(i, include_collections=False)]
        for instance in [*added_or_removed, *updated]:
            scope = scope_of(inspect(instance).mapper)
            if scope == UNSEEN:
                continue
            if scope == PERSON:
                if instance in added_or_removed:
                    raise _Everyone  # a person joins or leaves lists, choices and overviews
                people |= _changed_person(instance)
            elif scope == PERSONAL:
                people.update(people_concerned(session, instance))
            else:
                raise _Everyone
    except _Everyone:
        touch_everyone(session)
        return
    touch_people(session, people)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statements(state: ORMExecuteState) -> None:
    """UPDATE/DELETE/INSERT statements run outside the unit of work: unless the caller bumped
    the revisions itself, or no page shows the table, count them as organisation-wide."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if state.execution_options.get(REVISIONS_HANDLED):
        return
    mappers = state.all_mappers
    if mappers and all(scope_of(mapper) == UNSEEN for mapper in mappers):
        return
    touch_everyone(state.session)


def _nearest_leaders(session: Session, people: set[int]) -> set[int]:
    """Each person's nearest leader: of their unit or, for its leader, of the unit above
    (`permissions.nearest_leader`, for many people in one query)."""
    from devtrack.people.models import OrgUnit, Person

    chain = (
        select(
            Person.id.label("person_id"),
            Person.unit_id.label("unit_id"),
            literal_column("0").label("depth"),
        )
        .where(Person.id.in_(people))
        .cte("chain", recursive=True)
    )
    parent = db.aliased(OrgUnit)
    chain = chain.union_all(
        select(chain.c.person_id, parent.parent_id, chain.c.depth + 1)
        .join(parent, parent.id == chain.c.unit_id)
        .where(parent.parent_id.is_not(None), chain.c.depth < 64)
    )
    rows = session.execute(
        select(chain.c.person_id, OrgUnit.leader_id, chain.c.depth)
        .join(OrgUnit, OrgUnit.id == chain.c.unit_id)
        .where(OrgUnit.leader_id.is_not(None), OrgUnit.leader_id != chain.c.person_id)
        .order_by(chain.c.person_id, chain.c.depth),
        execution_options={REVISIONS_HANDLED: True},
    )
    nearest: dict[int, int] = {}
    for person_id, leader_id, _depth in rows:
        nearest.setdefault(person_id, leader_id)
    return set(nearest.values())


def new_revision() -> int:
    """A fresh random revision rather than a count: a value is never met twice, not even
    after a backup is restored or the database is rebuilt under a running app server."""
    return secrets.randbelow(2**31 - 2) + 1


@event.listens_for(Session, "before_commit")
def _bump(session: Session) -> None:
    from devtrack.people.models import Person

    if session.new or session.dirty or session.deleted:
        session.flush()
    people: set[int] = session.info.pop(_PEOPLE, set())
    # A change that reaches this many people at once is as good as organisation-wide.
    everyone = session.info.pop(_EVERYONE, False) or len(people) > MANY_PEOPLE
    handled = {REVISIONS_HANDLED: True, "synchronize_session": False}
    if everyone:
        revision = new_revision()
        bumped = session.execute(
            update(SiteRevision).where(SiteRevision.id == 1).values(revision=revision),
            execution_options=handled,
        )
        if not getattr(bumped, "rowcount", 1):
            session.add(SiteRevision(id=1, revision=revision))
            session.flush()
        return
    if people:
        people |= _nearest_leaders(session, people)
        session.execute(
            update(Person)
            .where(Person.id.in_(sorted(people)))
            .values(page_revision=new_revision()),
            execution_options=handled,
        )


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, _previous: Any) -> None:
    session.info.pop(_EVERYONE, None)
    session.info.pop(_PEOPLE, None)


def site_revision() -> Any:
    """The site revision as a scalar subquery, to load with the signed-in person."""
    return select(SiteRevision.revision).where(SiteRevision.id == 1).scalar_subquery()
