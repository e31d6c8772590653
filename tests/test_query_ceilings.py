"""Each personal page runs a fixed number of SQL queries, however much data there is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from devtrack.extensions import db
from devtrack.feedback.services import give_feedback
from devtrack.goals.services import add_progress, create_goal
from devtrack.i18n import today_in_denmark
from tests.conftest import World, choice, sign_in

# page -> (who looks, the address, the most queries a render may run)
PAGES: dict[str, tuple[str, Callable[[World], str], int]] = {
    "front": ("employee", lambda w: "/", 18),
    "timeline": ("employee", lambda w: "/tidslinje/", 20),
    "goal": ("employee", lambda w: f"/maal/{w.shared_goal_id}", 12),
    "plan": ("employee", lambda w: f"/samtaler/{w.conversation_id}/plan", 20),
    "element": ("employee", lambda w: "/grundlag/mod", 18),
    "element_as_leader": ("own_leader", lambda w: "/grundlag/mod", 20),
    "team": ("own_leader", lambda w: "/mine-medarbejdere", 12),
}


def _more_data(world: World, rounds: int) -> None:
    today = today_in_denmark()
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
    db.session.commit()


def test_every_personal_page_runs_a_fixed_number_of_queries(
    app: Flask, world: World, count_queries: Any
) -> None:
    clients: dict[str, FlaskClient] = {}
    for role in ("employee", "own_leader"):
        clients[role] = app.test_client()
        sign_in(clients[role], getattr(world, role))
        clients[role].get("/feedback/")  # the first page after signing in starts the session

    def queries() -> dict[str, int]:
        counted = {}
        for name, (role, path, _ceiling) in PAGES.items():
            with count_queries() as statements:
                assert clients[role].get(path(world)).status_code == 200, name
            counted[name] = len(statements)
        return counted

    # Entries of every kind (each kind is loaded by its own query), more than a timeline page.
    _more_data(world, 12)
    small = queries()
    _more_data(world, 24)
    larger = queries()
    assert larger == small
    for name, (_role, _path, ceiling) in PAGES.items():
        assert larger[name] <= ceiling, (name, larger[name])
