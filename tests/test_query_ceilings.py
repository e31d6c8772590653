"""Each personal page runs a fixed number of SQL queries, however much data there is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.conversations.models import (
    AgreementStatus,
    Conversation,
    DevelopmentKind,
    PreparationRole,
)
from devtrack.conversations.services import (
    AgreementText,
    add_agreement,
    open_round,
    plan_of,
    record_follow_up,
    save_preparation,
)
from devtrack.extensions import db
from devtrack.feedback.services import give_feedback
from devtrack.goals.services import add_progress, create_goal
from devtrack.i18n import today_in_denmark
from tests.conftest import World, choice, new_round, sign_in

# The most queries a personal page may run on a fresh render, whatever the data.
CEILING = 8

# page -> (who looks, the address given the world's goal and the later conversation)
PAGES: dict[str, tuple[str, Callable[[World, int], str]]] = {
    "front": ("employee", lambda w, c: "/"),
    "timeline": ("employee", lambda w, c: "/tidslinje/"),
    "goals": ("employee", lambda w, c: "/maal/"),
    "goal": ("employee", lambda w, c: f"/maal/{w.shared_goal_id}"),
    "feedback": ("employee", lambda w, c: "/feedback/"),
    "my_mus": ("employee", lambda w, c: "/samtaler/"),
    "conversation": ("employee", lambda w, c: f"/samtaler/{c}"),
    "plan": ("employee", lambda w, c: f"/samtaler/{c}/plan"),
    "element": ("employee", lambda w, c: "/grundlag/mod"),
    "element_as_leader": ("own_leader", lambda w, c: "/grundlag/mod"),
    "team": ("own_leader", lambda w, c: "/mine-medarbejdere"),
    "front_leader": ("own_leader", lambda w, c: "/"),
    "front_hr": ("hr", lambda w, c: "/"),
}


def _later_conversation(world: World) -> int:
    """The conversation of a later round: its page also shows the plan from the world's one."""
    later = new_round(
        world.hr, world.employee.unit_id, title="MUS 2028", deadline=date(2099, 12, 31)
    )
    open_round(later)
    db.session.commit()
    return db.session.scalars(
        select(Conversation.id).where(
            Conversation.round_id == later.id, Conversation.employee_id == world.employee.id
        )
    ).one()


def _more_data(world: World, later: int, rounds: int) -> None:
    today = today_in_denmark()
    conversations = [
        db.session.get_one(Conversation, conversation_id)
        for conversation_id in (world.conversation_id, later)
    ]
    for number in range(rounds):
        for person in (world.employee, world.colleague):
            goal = create_goal(
                person,
                title=f"Mål {number}",
                description="",
                target_date=None,
                choices=[choice("mod"), choice("helhed")],
                share=True,
            )
            add_progress(goal, person, text=f"Skridt {number}", occurred_on=today, milestone=False)
            give_feedback(
                world.own_leader,
                person,
                text=f"Feedback {number}",
                situation_date=today,
                choice=choice("mod", "s1"),
            )
        for conversation in conversations:
            for role, author in (
                (PreparationRole.EMPLOYEE, world.employee),
                (PreparationRole.LEADER, world.own_leader),
            ):
                save_preparation(
                    conversation,
                    role,
                    author,
                    {"aaret-der-gik": f"Runde {number}"},
                    [(choice("mod"), f"Emne {number}"), (choice("helhed", "s1"), "Og dette")],
                    seen_version=None,
                    submit=False,
                )
            agreement = add_agreement(
                plan_of(conversation),
                world.own_leader,
                AgreementText(
                    what=f"Aftale {number}",
                    kind=DevelopmentKind.COURSE,
                    who_does_what="",
                    deadline=None,
                    success="",
                ),
                [choice("mod"), choice("relationer")],
            )
            record_follow_up(agreement, world.own_leader, AgreementStatus.UNDER_WAY, "", today)
    db.session.commit()


def test_every_personal_page_runs_a_fixed_number_of_queries(
    app: Flask, world: World, count_queries: Any
) -> None:
    clients: dict[str, FlaskClient] = {}
    for role in ("employee", "own_leader", "hr"):
        clients[role] = app.test_client()
        sign_in(clients[role], getattr(world, role))
        clients[role].get("/feedback/")  # the first page after signing in starts the session

    def queries() -> dict[str, list[str]]:
        counted = {}
        for name, (role, path) in PAGES.items():
            with count_queries() as statements:
                assert clients[role].get(path(world, later)).status_code == 200, name
            counted[name] = [" ".join(statement.split())[:160] for statement in statements]
        return counted

    later = _later_conversation(world)
    # Entries of every kind (each kind is loaded by its own query), more than a timeline page.
    _more_data(world, later, 12)
    small = queries()
    _more_data(world, later, 24)
    larger = queries()
    assert {name: len(found) for name, found in larger.items()} == {
        name: len(found) for name, found in small.items()
    }
    too_many = {name: found for name, found in larger.items() if len(found) > CEILING}
    assert not too_many, too_many
