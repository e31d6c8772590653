"""`flask devtrack grundlag import` and `flask devtrack demo` from the command line."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from devtrack.extensions import db
from devtrack.grundlag.models import Framework, FrameworkVersion
from devtrack.people.models import OrgUnit, Person
from tests.conftest import SEED_DIR, AppFactory, outside_app_context


def test_import_command_loads_a_seed_file(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["devtrack", "grundlag", "import", str(SEED_DIR / "grundlag" / "vallensbaek.yaml")]
    )
    assert result.exit_code == 0, result.output
    assert "Vallensbæk Kommune" in result.output and "version 1" in result.output
    framework = db.session.scalar(select(Framework))
    assert framework is not None and framework.in_use


def test_import_command_refuses_a_broken_file_and_writes_nothing(
    app: Flask, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: devtrack-grundlag/1\nkey: ok\nparts: 3\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["devtrack", "grundlag", "import", str(broken)])
    assert result.exit_code == 1
    assert "intet er gemt" in result.output
    assert "Traceback" not in result.output
    assert db.session.scalar(select(func.count()).select_from(FrameworkVersion)) == 0


def test_import_command_reports_a_missing_file(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["devtrack", "grundlag", "import", "/nope.yaml"])
    assert result.exit_code == 1
    assert "kan ikke læses" in result.output


def test_demo_is_idempotent_and_prints_the_sign_ins(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["devtrack", "demo"])
    assert first.exit_code == 0, first.output
    people = db.session.scalar(select(func.count()).select_from(Person))
    assert people is not None and 35 <= people <= 45
    assert "ida.lund@demo.devtrack.dk" in first.output
    second = runner.invoke(args=["devtrack", "demo", "--if-empty"])
    assert second.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Person)) == people
    assert "ida.lund@demo.devtrack.dk" in second.output
    # Every unit has a leader, and the names use æ, ø and å.
    assert db.session.scalar(select(func.count()).where(OrgUnit.leader_id.is_(None))) == 0
    names = " ".join(db.session.scalars(select(Person.name)))
    assert all(letter in names for letter in "æøå".upper() + "æøå")


def test_demo_rejects_an_unknown_grundlag(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["devtrack", "demo", "--grundlag", "aarhus"])
    assert result.exit_code == 2
    assert "aarhus" in result.output
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_commands_explain_an_unreachable_database(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        }
    )
    result = outside_app_context(app.test_cli_runner().invoke, args=["devtrack", "demo"])
    assert result.exit_code == 1
    assert "Databasen kan ikke nås" in result.output
    assert "Traceback" not in result.output


def test_the_demo_has_a_living_year_of_goals_and_feedback(app: Flask) -> None:
    from devtrack.feedback.models import Feedback
    from devtrack.goals.models import Goal, GoalEvent, GoalEventKind

    runner = app.test_cli_runner()
    assert runner.invoke(args=["devtrack", "demo"]).exit_code == 0
    employee = db.session.scalar(
        select(Person).where(Person.email == "frederik.froelich@demo.devtrack.dk")
    )
    assert employee is not None
    assert db.session.scalar(select(func.count()).where(Goal.owner_id == employee.id))
    assert db.session.scalar(select(func.count()).where(Feedback.receiver_id == employee.id))
    people_with_goals = db.session.scalar(select(func.count(func.distinct(Goal.owner_id))))
    assert people_with_goals is not None and people_with_goals >= 30
    progress = db.session.scalar(
        select(func.count()).where(GoalEvent.kind == GoalEventKind.PROGRESS)
    )
    assert progress is not None and progress > 20
    # Entries are spread over the year, not all stamped with the moment of loading.
    months = {
        moment.strftime("%Y-%m") for moment in db.session.scalars(select(Feedback.created_at))
    }
    assert len(months) >= 6
    # Last year's MUS is held with plans; this year's is under way.
    from devtrack.conversations.models import Agreement, Conversation, ConversationRound

    assert db.session.scalar(select(func.count()).select_from(ConversationRound)) == 2
    assert db.session.scalar(select(func.count()).select_from(Agreement))
    states = {conversation.state for conversation in db.session.scalars(select(Conversation))}
    assert len(states) >= 3
    # Loading again adds nothing.
    goals = db.session.scalar(select(func.count()).select_from(Goal))
    assert runner.invoke(args=["devtrack", "demo"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Goal)) == goals
