"""`flask devtrack demo --employees N`: the large demo organisation, built small here.

Only its shape is checked (no timings: speed is measured by the benchmark, `make bench`).
"""

from __future__ import annotations

import re
import statistics

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, union_all

from devtrack import progress
from devtrack.conversations.models import (
    Agreement,
    AgreementLink,
    Conversation,
    ConversationRound,
    DevelopmentPlan,
    FollowUp,
    PreparationTopic,
    RoundKind,
)
from devtrack.demo import DEMO_PASSWORD
from devtrack.demo.large import YEARS
from devtrack.extensions import db
from devtrack.feedback.models import Feedback
from devtrack.goals.models import Goal, GoalEvent, GoalEventKind, GoalLink
from devtrack.grundlag.models import ElementVersion, StatementVersion
from devtrack.people.models import OrgUnit, Person
from tests.conftest import Org, post

EMPLOYEES = 400
LINKED = (GoalLink, AgreementLink, Feedback, PreparationTopic)


@pytest.fixture
def large_demo(app: Flask, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(progress, "on_terminal", lambda: True)  # as typed in a terminal
    result = app.test_cli_runner().invoke(args=["devtrack", "demo", "--employees", str(EMPLOYEES)])
    assert result.exit_code == 0, result.output
    # The progress counts people through each stage, up to everything done.
    for stage in ("medarbejdere", "mål", "feedback", "samtaler"):
        assert f"Demokommune: {stage}  " in result.output, stage
    total = 1 + EMPLOYEES * (3 + 2 * YEARS)  # the command's step, each person in each stage
    assert f"{total:,} af {total:,} (100 %)".replace(",", ".") in result.output
    last = result.output.splitlines()[-1]
    assert re.fullmatch(
        rf"Demokommunen er klar: {EMPLOYEES} medarbejdere i \d+ enheder .* rækker\)\. \(\d+,\d s\)",
        last,
    ), last
    return str(result.output)


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_unit_tree_is_five_levels_deep_with_a_leader_everywhere(large_demo: str) -> None:
    units = db.session.execute(select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.leader_id)).all()
    parents = {unit_id: parent_id for unit_id, parent_id, _leader in units}

    def depth(unit_id: int) -> int:
        levels = 1
        while (parent := parents[unit_id]) is not None:
            unit_id, levels = parent, levels + 1
        return levels

    assert max(depth(unit_id) for unit_id in parents) == 5
    assert sum(parent is None for parent in parents.values()) == 1
    assert 20 <= len(units) <= EMPLOYEES // 4
    assert all(leader is not None for _unit, _parent, leader in units)
    # A leader is a member of the unit they lead, as in the small demo's organisation file.
    members = dict(db.session.execute(select(Person.id, Person.unit_id)).all())
    assert all(leader and members[leader] == unit_id for unit_id, _parent, leader in units)
    names = " ".join(db.session.scalars(select(Person.name)))
    assert all(letter in names for letter in "æøå")


def test_people_goals_feedback_and_conversations_come_in_the_promised_proportions(
    large_demo: str,
) -> None:
    people = _count(Person)
    assert people == EMPLOYEES
    assert db.session.scalar(select(func.count(func.distinct(Person.email)))) == people
    # About three goals and ten feedback entries a year, for three years.
    assert 7 * people <= _count(Goal) <= 11 * people
    assert 24 * people <= _count(Feedback) <= 36 * people
    progress = db.session.scalar(
        select(func.count()).where(GoalEvent.kind == GoalEventKind.PROGRESS)
    )
    assert progress is not None and progress >= _count(Goal)
    # Three years of MUS (and LUS for the leaders): everyone but the top once a year.
    rounds = db.session.scalars(select(ConversationRound)).all()
    assert sorted(r.kind for r in rounds) == [RoundKind.LUS] * 3 + [RoundKind.MUS] * 3
    assert _count(Conversation) == 3 * (people - 1)
    held = db.session.scalar(select(func.count(Conversation.held_at)))
    acknowledged = db.session.scalar(select(func.count(Conversation.acknowledged_at)))
    followed_up = db.session.scalar(select(func.count(Conversation.followed_up_at)))
    assert held is not None and acknowledged is not None and followed_up is not None
    assert 0.6 * _count(Conversation) <= held
    assert 0.8 * held <= acknowledged < held
    assert 0.2 * acknowledged <= followed_up < acknowledged
    assert _count(DevelopmentPlan) == held
    assert _count(DevelopmentPlan) <= _count(Agreement) <= 3 * _count(DevelopmentPlan)
    assert _count(FollowUp) > 0


def test_every_link_points_at_the_grundlag_consistently_and_some_elements_far_more(
    large_demo: str,
) -> None:
    for model in LINKED:
        wrong_element = db.session.scalar(
            select(func.count())
            .select_from(model)
            .join(ElementVersion, ElementVersion.id == model.element_version_id)
            .where(ElementVersion.element_id != model.element_id)
        )
        wrong_statement = db.session.scalar(
            select(func.count())
            .select_from(model)
            .join(StatementVersion, StatementVersion.id == model.statement_version_id)
            .where(
                (StatementVersion.statement_id != model.statement_id)
                | (StatementVersion.element_version_id != model.element_version_id)
            )
        )
        half_a_statement = db.session.scalar(
            select(func.count()).where(
                model.statement_id.is_(None) != model.statement_version_id.is_(None)
            )
        )
        assert (wrong_element, wrong_statement, half_a_statement) == (0, 0, 0), model
    uses = union_all(*(select(model.element_id.label("element_id")) for model in LINKED))
    used = uses.subquery()
    counts: dict[int, int] = {
        element_id: int(uses_of_element)
        for element_id, uses_of_element in db.session.execute(
            select(used.c.element_id, func.count()).group_by(used.c.element_id)
        )
    }
    every_element = db.session.scalars(select(ElementVersion.element_id)).all()
    per_element = sorted(counts.get(element_id, 0) for element_id in every_element)
    assert per_element[-1] >= 4 * statistics.median(per_element)


def test_an_employee_of_the_large_demo_signs_in_and_uses_devtrack(
    large_demo: str, client: FlaskClient
) -> None:
    match = re.search(r"Medarbejder \(.+?\)\s+(\S+@\S+)", large_demo)
    assert match, large_demo
    employee = db.session.scalar(select(Person).where(Person.email == match.group(1)))
    assert employee is not None
    response = post(client, "/log-ind", {"email": employee.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.text
    home = client.get("/")
    assert home.status_code == 200 and employee.name in home.text
    timeline = client.get("/tidslinje/")
    assert timeline.status_code == 200
    goal = db.session.scalar(
        select(Goal).where(Goal.owner_id == employee.id).order_by(Goal.id.desc()).limit(1)
    )
    assert goal is not None
    page = client.get(f"/maal/{goal.id}")
    assert page.status_code == 200 and goal.title in page.text


def test_the_large_demo_needs_an_empty_database(app: Flask, org: Org) -> None:
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["devtrack", "demo", "--employees", str(EMPLOYEES)])
    assert refused.exit_code == 1
    assert "tom database" in refused.output and "Traceback" not in refused.output
    skipped = runner.invoke(args=["devtrack", "demo", "--employees", "400", "--if-empty"])
    assert skipped.exit_code == 0
    assert "indlæses ikke igen" in skipped.output
    assert _count(Person) == len(org.people)
