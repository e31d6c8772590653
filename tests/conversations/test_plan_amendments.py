"""A locked plan that is changed asks the other side again, and says what changed, in their
language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.conversations.models import Conversation, PreparationRole
from devtrack.extensions import db
from devtrack.notifications.models import Notification, NotificationKind, OutboxMessage
from tests.conftest import Org, post
from tests.conversations.test_conversations import _agreement, _client, _conversation, _open_round

FIRST_DEADLINE = date(2030, 6, 30)
NEW_DEADLINE = date(2030, 10, 31)


@pytest.fixture
def outbox_on(app: Flask) -> Iterator[None]:
    # Only the outbox is looked at here: nothing is sent, so no server is needed.
    app.config.update(MAIL_SERVER="127.0.0.1")
    yield
    app.config.update(MAIL_SERVER=None)


def _locked_plan(client: FlaskClient, org: Org) -> tuple[int, str, FlaskClient, FlaskClient]:
    hr = _client(client, org.hr)
    round_id = _open_round(hr, org)
    conversation = _conversation(round_id, org.employee)
    path = f"/samtaler/{conversation.id}"
    employee, leader = _client(hr, org.employee), _client(hr, org.own_leader)
    assert post(leader, f"{path}/afholdt").status_code == 302
    agreement = _agreement(deadline=FIRST_DEADLINE.isoformat())
    assert post(leader, f"{path}/plan/aftale", agreement).status_code == 302
    assert post(employee, f"{path}/plan/kvitter").status_code == 302
    assert post(leader, f"{path}/plan/kvitter").status_code == 302
    return conversation.id, path, employee, leader


def _edit(client: FlaskClient, path: str, agreement_id: int, **changes: Any) -> None:
    page = client.get(f"{path}/plan/aftale/{agreement_id}").text
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page)
    assert version is not None
    data = _agreement(deadline=FIRST_DEADLINE.isoformat(), version=version.group(1))
    data.update(changes)
    assert post(client, f"{path}/plan/aftale/{agreement_id}", data).status_code == 302


def _plan(conversation_id: int) -> Any:
    db.session.expire_all()
    found = db.session.get(Conversation, conversation_id)
    assert found is not None and found.plan is not None
    return found.plan


def test_a_changed_deadline_asks_the_employee_again_in_their_language(
    client: FlaskClient, grundlag: Org, outbox_on: None
) -> None:
    org = grundlag
    conversation_id, path, employee, leader = _locked_plan(client, org)
    agreement_id = _plan(conversation_id).agreements[0].id

    _edit(leader, path, agreement_id, deadline=NEW_DEADLINE.isoformat())

    plan = _plan(conversation_id)
    assert plan.locked_at is not None and plan.leader_acknowledged_at is not None
    assert plan.employee_acknowledged_at is None  # their acknowledgement no longer covers it
    asked = db.session.scalars(
        select(Notification).where(Notification.kind == NotificationKind.PLAN_AMENDED)
    ).all()
    assert [note.person_id for note in asked] == [org.employee.id]
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == org.employee.email)
    ).all()
    assert any("har ændret udviklingsplanen" in message.body for message in mail)

    page = employee.get(f"{path}/plan").text
    assert "Planen er ændret, siden du kvitterede" in page
    assert "Frist ændret fra 30. juni 2030 til 31. oktober 2030" in page
    assert "Kvittér igen: jeg har set ændringerne" in page
    alert = page.split('id="aendret-siden-kvittering"', 1)[1].split("</ul>", 1)[0]
    assert "deadline" not in alert and "Frist ændret" in alert  # no internal field names
    # The leader, who made the change, is not asked again and sees it waits for the employee.
    leader_page = leader.get(f"{path}/plan").text
    assert "venter på, at den anden part kvitterer igen" in leader_page
    assert "Kvittér igen" not in leader_page

    assert post(employee, "/sprog/en").status_code == 302
    english = employee.get(f"{path}/plan").text
    assert "Deadline changed from June 30, 2030 to October 31, 2030" in english
    assert "ændret" not in english

    # A second change before they look is added to the same list, without a second notice.
    _edit(leader, path, agreement_id, deadline=NEW_DEADLINE.isoformat(), what="Et kortere kursus")
    assert (
        len(
            db.session.scalars(
                select(Notification).where(Notification.kind == NotificationKind.PLAN_AMENDED)
            ).all()
        )
        == 1
    )
    english = employee.get(f"{path}/plan").text
    assert "Agreement changed from »Deltage i kursus om konflikthåndtering« to" in english

    assert post(employee, f"{path}/plan/kvitter", {"disagreement": ""}).status_code == 302
    plan = _plan(conversation_id)
    assert plan.employee_acknowledged_at is not None
    assert all(amendment.answered_at is not None for amendment in plan.amendments)
    page = employee.get(f"{path}/plan").text
    assert "Both have acknowledged" in page
    assert "Deadline changed from June 30, 2030 to October 31, 2030" in page  # the history


def test_a_change_by_the_employee_asks_the_leader_again(client: FlaskClient, grundlag: Org) -> None:
    org = grundlag
    conversation_id, path, employee, leader = _locked_plan(client, org)
    assert (
        post(employee, f"{path}/plan/aftale", _agreement(what="Mentorordning")).status_code == 302
    )
    plan = _plan(conversation_id)
    assert plan.leader_acknowledged_at is None and plan.employee_acknowledged_at is not None
    assert plan.amendments[0].awaits == PreparationRole.LEADER
    asked = db.session.scalar(
        select(Notification.person_id).where(Notification.kind == NotificationKind.PLAN_AMENDED)
    )
    assert asked == org.own_leader.id
    page = leader.get(f"{path}/plan").text
    assert "Ny aftale 2" in page and "»Mentorordning«" in page
    assert "Kvittér igen: jeg har set ændringerne" in page
