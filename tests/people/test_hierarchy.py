"""Who leads whom, on random organisations: one rule, asked both ways, and every check agrees.

Trees with inactive units, leaders of their own unit, people leading two units, units without
a leader (their members belong to the leader above), deactivated people and deactivated
leaders. Each example is written to the database, asked, and rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devtrack.conversations.models import Conversation
from devtrack.conversations.permissions import can_view_conversation, is_conversation_leader
from devtrack.extensions import db
from devtrack.feedback.models import Feedback, FeedbackSource
from devtrack.feedback.permissions import can_view_feedback
from devtrack.goals.models import Goal
from devtrack.goals.permissions import can_view_goal
from devtrack.i18n import utcnow
from devtrack.people.hierarchy import (
    direct_reports,
    is_nearest_leader_of,
    leads_any_unit,
    nearest_leader,
    nearest_leader_ids,
)
from devtrack.people.models import OrgUnit, Person
from devtrack.people.permissions import can_view_person
from devtrack.timeline.permissions import can_view_timeline


@dataclass(frozen=True)
class Shape:
    parents: list[int | None]  # per unit: the index of its parent unit (always an earlier one)
    unit_active: list[bool]
    leaders: list[int | None]  # per unit: the index of its leader among the people
    homes: list[int]  # per person: the index of their unit
    person_active: list[bool]


@st.composite
def shapes(draw: st.DrawFn) -> Shape:
    units = draw(st.integers(1, 7))
    people = draw(st.integers(1, 9))
    parents: list[int | None] = [None]
    for unit in range(1, units):
        parents.append(draw(st.none() | st.integers(0, unit - 1)))
    homes = draw(st.lists(st.integers(0, units - 1), min_size=people, max_size=people))
    leaders: list[int | None] = []
    for unit in range(units):
        # Mostly a member of the unit (a leader of their own unit), else anyone, else none.
        members = [person for person, home in enumerate(homes) if home == unit]
        anyone = st.integers(0, people - 1)
        leaders.append(draw(st.none() | (st.sampled_from(members) if members else anyone) | anyone))
    mostly = st.booleans() | st.just(True)
    return Shape(
        parents=parents,
        unit_active=draw(st.lists(mostly, min_size=units, max_size=units)),
        leaders=leaders,
        homes=homes,
        person_active=draw(st.lists(mostly, min_size=people, max_size=people)),
    )


def expected_nearest(shape: Shape) -> dict[int, int]:
    """The rule written out plainly, by index: the first unit up from the person's own that
    leads (active, active leader) with a leader other than the person. Inactive people have
    no leader."""
    found: dict[int, int] = {}
    for person, home in enumerate(shape.homes):
        if not shape.person_active[person]:
            continue
        unit: int | None = home
        while unit is not None:
            leader = shape.leaders[unit]
            leads = leader is not None and shape.unit_active[unit] and shape.person_active[leader]
            if leads and leader != person:
                assert leader is not None
                found[person] = leader
                break
            unit = shape.parents[unit]
    return found


def build(shape: Shape) -> tuple[list[OrgUnit], list[Person]]:
    units = [
        OrgUnit(external_id=f"u{index}", name=f"Enhed {index}", active=active)
        for index, active in enumerate(shape.unit_active)
    ]
    for unit, parent in zip(units, shape.parents, strict=True):
        unit.parent = units[parent] if parent is not None else None
    people = [
        Person(
            employee_number=f"p{index}",
            name=f"Person {index}",
            email=f"p{index}@test.dk",
            unit=units[home],
            active=shape.person_active[index],
        )
        for index, home in enumerate(shape.homes)
    ]
    db.session.add_all(units + people)
    db.session.flush()
    for unit, leader in zip(units, shape.leaders, strict=True):
        unit.leader = people[leader] if leader is not None else None
    db.session.flush()
    return units, people


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(shape=shapes())
def test_nearest_leader_and_direct_reports_are_one_rule(app: Flask, shape: Shape) -> None:
    try:
        _, people = build(shape)
        index = {person.id: number for number, person in enumerate(people)}
        expected = expected_nearest(shape)

        asked = nearest_leader_ids([person.id for person in people])
        assert {index[p]: index[leader] for p, leader in asked.items()} == expected

        reports = {leader.id: {p.id for p in direct_reports(leader)} for leader in people}
        for leader in people:
            for person in people:
                is_nearest = expected.get(index[person.id]) == index[leader.id]
                # The exact inverse: listed by the leader exactly when led by them.
                assert (person.id in reports[leader.id]) == is_nearest
                # Every permission asks the same rule.
                assert is_nearest_leader_of(leader, person) == is_nearest
                own_or_led = leader.id == person.id or is_nearest
                assert can_view_timeline(leader, person) == own_or_led
                assert can_view_person(leader, person) == own_or_led
                conversation = Conversation(employee_id=person.id, employee=person)
                assert can_view_conversation(leader, conversation) == own_or_led
                assert is_conversation_leader(leader, conversation) == is_nearest
                goal = Goal(owner_id=person.id, owner=person, shared_at=utcnow())
                assert can_view_goal(leader, goal) == own_or_led
                feedback = Feedback(
                    receiver_id=person.id,
                    receiver=person,
                    author_id=None,
                    source=FeedbackSource.LEADER,
                    shared_with_leader=False,
                )
                assert can_view_feedback(leader, feedback) == own_or_led
        for person in people:
            found = nearest_leader(person)
            assert (found.id if found else None) == asked.get(person.id)
        # "Mine medarbejdere" is in the menu of everyone who leads a unit.
        for leader in people:
            if reports[leader.id]:
                assert leads_any_unit(leader)
    finally:
        db.session.rollback()
        db.session.expunge_all()
