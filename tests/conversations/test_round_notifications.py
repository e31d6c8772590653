"""Every step of a MUS round notifies the right people once, in the app and by e-mail, and a
booking, a move and a cancellation reach both calendars as iCalendar through a real SMTP
server."""

from __future__ import annotations

import email
from collections import Counter
from datetime import timedelta
from email.message import Message
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import select

from devtrack.conversations.models import ConversationRound
from devtrack.extensions import db
from devtrack.i18n import today_in_denmark
from devtrack.notifications.models import Notification, OutboxMessage
from tests.conftest import Org, outside_app_context, post
from tests.conversations.test_conversations import (
    _agreement,
    _client,
    _conversation,
    _open_round,
)
from tests.notifications.test_notifications import Inbox


def _remind(app: Flask) -> str:
    result = outside_app_context(app.test_cli_runner().invoke, args=["devtrack", "remind"])
    assert result.exit_code == 0, result.output
    return str(result.output)


def _made(org: Org) -> Counter[tuple[str, str]]:
    names = {person.id: key for key, person in org.people.items()}
    return Counter(
        (names[person_id], kind.value)
        for person_id, kind in db.session.execute(select(Notification.person_id, Notification.kind))
    )


def test_every_step_of_a_round_is_notified_once(
    app: Flask, client: FlaskClient, grundlag: Org, mail_configured: Inbox
) -> None:
    org = grundlag
    hr = _client(client, org.hr)
    round_id = _open_round(hr, org)
    conversation = _conversation(round_id, org.employee)
    path = f"/samtaler/{conversation.id}"
    # Opening the round invites each employee and tells each leader how many they have.
    made = _made(org)
    assert made[("E1", "round_invitation")] == 1 and made[("E3", "round_invitation")] == 1
    assert made[("LA", "round_leader_list")] == 1 and made[("LA", "round_invitation")] == 0
    assert {made[(who, "round_leader_list")] for who in ("LA", "LB", "C1", "D1")} == {1}
    figures = dict(
        db.session.execute(
            select(Notification.person_id, Notification.figure).where(
                Notification.kind == "round_leader_list"
            )
        ).all()
    )
    assert figures[org.own_leader.id] == 2  # Emma and Erik

    # The leader books in two days; Emma finishes her preparation, Lise has not.
    leader = _client(client, org.own_leader)
    day = (today_in_denmark() + timedelta(days=2)).isoformat()
    assert post(leader, f"{path}/book", {"day": day, "time": "10:30"}).status_code == 302
    employee = _client(client, org.employee)
    prep = {"looking_back": "Et godt år.", "submit": "1"}
    assert post(employee, f"{path}/forberedelse", prep).status_code == 302
    # Held and planned: an agreement due in five days, a follow-up in three.
    assert post(leader, f"{path}/afholdt").status_code == 302
    due = (today_in_denmark() + timedelta(days=5)).isoformat()
    assert post(leader, f"{path}/plan/aftale", _agreement(deadline=due)).status_code == 302
    follow_up = (today_in_denmark() + timedelta(days=3)).isoformat()
    assert post(leader, f"{path}/plan/opfoelgningsdato", {"on": follow_up}).status_code == 302
    # Erik's conversation is booked too, but the round's deadline (in 60 days) is far.
    erik = _conversation(round_id, org.colleague)
    assert (
        post(leader, f"/samtaler/{erik.id}/book", {"day": day, "time": "13:00"}).status_code == 302
    )

    before = _made(org)
    first = _remind(app)
    second = _remind(app)
    assert all(line.endswith(": 0.") for line in second.strip().splitlines()), second
    db.session.expire_all()
    new = _made(org) - before
    assert new == Counter(
        {
            # Erik has not prepared; Lise has prepared for neither.
            ("E2", "preparation_reminder"): 1,
            ("LA", "preparation_reminder"): 1,
            ("E1", "agreement_deadline_close"): 1,
            ("LA", "agreement_deadline_close"): 1,
            ("E1", "follow_up_close"): 1,
            ("LA", "follow_up_close"): 1,
        }
    ), first
    # Emma's conversation was held: no preparation reminder; Lise's is for Erik's meeting.

    # The deadline comes closer, then passes: leaders with conversations not held, and HR.
    found = db.session.get(ConversationRound, round_id)
    assert found is not None
    found.deadline = today_in_denmark() + timedelta(days=10)
    db.session.commit()
    _remind(app)
    found.deadline = today_in_denmark() - timedelta(days=1)
    db.session.commit()
    _remind(app)
    _remind(app)
    db.session.expire_all()
    late = _made(org) - before - new
    assert late == Counter(
        {
            **{(who, "round_deadline_close"): 1 for who in ("LA", "LB", "C1", "D1")},
            **{(who, "round_deadline_passed"): 1 for who in ("LA", "LB", "C1", "D1")},
            ("H1", "round_summary_close"): 1,
            ("H1", "round_summary_passed"): 1,
        }
    )
    summary = db.session.scalars(
        select(Notification).where(Notification.kind == "round_summary_passed")
    ).one()
    assert summary.figure == 4  # Erik, Eva, Hanne and Adam: all but Emma
    hr_page = hr.get("/notifikationer/").text
    assert "Fristen for MUS 2027 er overskredet. Samtaler, der ikke er holdt: 4." in hr_page
    # Each notification is also an e-mail; none is sent twice.
    notifications = len(db.session.scalars(select(Notification)).all())
    outbox = db.session.scalars(select(OutboxMessage)).all()
    assert len([message for message in outbox if not message.calendar]) == notifications - 2
    assert (
        outside_app_context(app.test_cli_runner().invoke, args=["devtrack", "send-mail"]).exit_code
        == 0
    )
    assert len(mail_configured.messages) == len(outbox)


def _calendar_of(envelope: Any) -> Calendar:
    message: Message = email.message_from_bytes(envelope.content)
    parts = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert parts, message.as_string()[:2000]
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Calendar.from_ical(payload)


def test_booking_moving_and_cancelling_reach_both_calendars(
    app: Flask, client: FlaskClient, grundlag: Org, mail_configured: Inbox
) -> None:
    org = grundlag
    round_id = _open_round(_client(client, org.hr), org)
    path = f"/samtaler/{_conversation(round_id, org.employee).id}"
    leader = _client(client, org.own_leader)
    db.session.execute(OutboxMessage.__table__.delete())  # the round's invitations
    db.session.commit()
    day = today_in_denmark() + timedelta(days=20)
    booking = {"day": day.isoformat(), "time": "10:30", "place": "Mødelokale 2"}
    assert post(leader, f"{path}/book", booking).status_code == 302
    assert post(leader, f"{path}/book", booking).status_code == 302  # unchanged: nothing sent
    moved = {**booking, "time": "13:15"}
    assert post(leader, f"{path}/book", moved).status_code == 302
    assert post(leader, f"{path}/book/aflys").status_code == 302
    page = leader.get(path).text
    assert "Tiden er aflyst" in page and "booket til" not in page
    result = outside_app_context(app.test_cli_runner().invoke, args=["devtrack", "send-mail"])
    assert result.exit_code == 0, result.output

    received: dict[str, list[Calendar]] = {}
    for envelope in mail_configured.messages:
        (to,) = envelope.rcpt_tos
        received.setdefault(to, []).append(_calendar_of(envelope))
    assert set(received) == {org.employee.email, org.own_leader.email}
    for calendars in received.values():
        assert [str(calendar["METHOD"]) for calendar in calendars] == [
            "REQUEST",
            "REQUEST",
            "CANCEL",
        ]
        events = [calendar.events[0] for calendar in calendars]
        assert len({event.uid for event in events}) == 1
        assert [event.sequence for event in events] == [0, 1, 2]
        starts = [event.DTSTART for event in events]
        assert [(start.hour, start.minute) for start in starts] == [(10, 30), (13, 15), (13, 15)]
        assert all(str(start.tzinfo) == "Europe/Copenhagen" for start in starts)
        assert all(event["DTSTART"].params["TZID"] == "Europe/Copenhagen" for event in events)
        assert all(calendar.timezones[0]["TZID"] == "Europe/Copenhagen" for calendar in calendars)
        assert events[0].location == "Mødelokale 2"
        assert events[2].status == "CANCELLED"
        attendees = {str(address).lower() for address in events[0].attendees}
        assert attendees == {f"mailto:{org.employee.email}", f"mailto:{org.own_leader.email}"}
    # The employee's messages are their notifications, in the app as well.
    kinds = _made(org)
    assert kinds[("E1", "conversation_booked")] == 1
    assert kinds[("E1", "conversation_moved")] == 1
    assert kinds[("E1", "conversation_cancelled")] == 1
