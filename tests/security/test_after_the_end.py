"""Access after the end: a person who has left is no longer anyone's report, and a leader's
reads on "Mine medarbejdere" are in the access log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.extensions import db
from devtrack.feedback.models import Feedback
from devtrack.feedback.services import share_with_leader
from devtrack.people.services import deactivate
from devtrack.retention import apply_retention
from tests.conftest import World, sign_in

# What the employee's leader could open, as their leader, while the employee worked here.
# (Feedback the leader wrote stays readable to its author, as any author's does.)
LEADER_PAGES: list[Callable[[World], str]] = [
    lambda w: f"/tidslinje/{w.employee.id}",
    lambda w: f"/personer/{w.employee.id}",
    lambda w: f"/maal/{w.shared_goal_id}",
    lambda w: f"/feedback/{w.colleague_feedback_id}",
    lambda w: f"/samtaler/{w.conversation_id}",
    lambda w: f"/samtaler/{w.conversation_id}/forberedelse",
    lambda w: f"/samtaler/{w.conversation_id}/plan",
    lambda w: f"/samtaler/{w.conversation_id}/plan/print",
]


def _deactivated(world: World) -> None:
    deactivate(world.employee)
    db.session.commit()


def _anonymised(world: World) -> None:
    deactivate(world.employee)
    world.employee.end_date = date(2015, 6, 30)
    db.session.commit()
    apply_retention(date.today(), dry_run=False)
    db.session.commit()


@pytest.mark.parametrize("leave", [_deactivated, _anonymised], ids=["deactivated", "anonymised"])
def test_a_former_leader_gets_404_on_everything_of_a_person_who_has_left(
    client: FlaskClient, world: World, leave: Callable[[World], None]
) -> None:
    colleague_feedback = db.session.get(Feedback, world.colleague_feedback_id)
    assert colleague_feedback is not None
    share_with_leader(colleague_feedback)
    db.session.commit()
    sign_in(client, world.own_leader)
    for page in LEADER_PAGES:
        assert client.get(page(world)).status_code == 200, page(world)
    assert "Emma Åkjær" in client.get("/mine-medarbejdere").text

    leave(world)

    # Anonymised, only the conversation and its plan are left (for the anonymous counts).
    paths = [page(world) for page in LEADER_PAGES]
    for path in paths:
        assert client.get(path).status_code == 404, path
    assert f"/tidslinje/{world.employee.id}" not in client.get("/mine-medarbejdere").text
    # Each refusal is in the access log, against the person who left.
    refused = db.session.scalars(
        select(AccessLogEntry.object_type).where(
            AccessLogEntry.action == AccessAction.DENIED,
            AccessLogEntry.actor_id == world.own_leader.id,
            AccessLogEntry.subject_id == world.employee.id,
        )
    ).all()
    assert {"person", "conversation"} <= set(refused)


def test_reads_on_the_team_overview_are_logged_per_report(app: Flask, world: World) -> None:
    leader = app.test_client()
    sign_in(leader, world.own_leader)
    before = db.session.scalars(select(AccessLogEntry.id)).all()

    for _read in range(2):
        page = leader.get("/mine-medarbejdere")
        assert page.status_code == 200 and "Emma Åkjær" in page.text

    reads = db.session.execute(
        select(AccessLogEntry.subject_id, AccessLogEntry.object_type).where(
            AccessLogEntry.id.not_in(before),
            AccessLogEntry.action == AccessAction.READ,
            AccessLogEntry.actor_id == world.own_leader.id,
        )
    ).all()
    reports = {world.employee.id, world.colleague.id}
    # Every read, each report the page showed: twice each.
    assert sorted(subject or 0 for subject, _type in reads) == sorted([*reports, *reports])
    assert {object_type for _subject, object_type in reads} == {"team_overview"}


def test_a_leader_without_reports_reads_no_one(app: Flask, world: World) -> None:
    hr = app.test_client()
    sign_in(hr, world.hr)
    before = db.session.scalars(select(AccessLogEntry.id)).all()
    assert "ikke nærmeste leder for nogen" in hr.get("/mine-medarbejdere").text
    assert not db.session.scalars(
        select(AccessLogEntry.id).where(
            AccessLogEntry.id.not_in(before), AccessLogEntry.action == AccessAction.READ
        )
    ).all()
