"""Notifications in the app, reminders of deadlines, and e-mail through a real SMTP server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.extensions import db
from devtrack.goals.services import create_goal
from devtrack.i18n import today_in_denmark
from devtrack.notifications.models import Notification, NotificationKind, OutboxMessage
from tests.conftest import Org, World, choice, outside_app_context, post, sign_in


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


@pytest.fixture
def mail_configured(app: Flask, smtp_server: tuple[int, Inbox]) -> Iterator[Inbox]:
    port, inbox = smtp_server
    inbox.port = port
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield inbox
    app.config.update(MAIL_SERVER=None, MAIL_PORT=25)


def test_marking_all_read_clears_the_count(client: FlaskClient, world: World) -> None:
    sign_in(client, world.employee)
    assert 'badge-notification">2' in client.get("/").text  # two pieces of feedback
    assert post(client, "/notifikationer/laest").status_code == 302
    assert "badge-notification" not in client.get("/").text
    assert (
        "Erik Østergaard har givet dig feedback om Relationer."
        in client.get("/notifikationer/").text
    )


def test_without_a_mail_server_nothing_waits_in_the_outbox(world: World) -> None:
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_send_mail_delivers_the_outbox_and_keeps_what_failed(
    app: Flask, grundlag: Org, mail_configured: Inbox
) -> None:
    from devtrack.feedback.services import give_feedback

    grundlag.employee.language = "en"
    give_feedback(
        grundlag.own_leader,
        grundlag.employee,
        text="Fortrolig tekst, der aldrig står i en e-mail.",
        situation_date=today_in_denmark(),
        choice=choice("mod"),
    )
    db.session.commit()
    waiting = db.session.scalars(select(OutboxMessage)).one()
    assert waiting.to_address == "emma@test.dk" and waiting.sent_at is None
    assert "Fortrolig" not in waiting.body
    assert "Lise Æbeltoft has given you feedback on Mod." in waiting.body  # her language

    # The mail server is down: the message stays, with the reason, for the next run.
    app.config["MAIL_PORT"] = _free_port()
    down = outside_app_context(app.test_cli_runner().invoke, args=["devtrack", "send-mail"])
    assert down.exit_code == 1 and "Prøver igen" in down.output
    db.session.expire_all()
    assert waiting.sent_at is None and waiting.attempts == 1 and waiting.last_error

    app.config["MAIL_PORT"] = mail_configured.port
    result = outside_app_context(app.test_cli_runner().invoke, args=["devtrack", "send-mail"])
    assert result.exit_code == 0, result.output
    assert "Sendt: 1." in result.output
    (delivered,) = mail_configured.messages
    assert delivered.rcpt_tos == ["emma@test.dk"]
    assert b"has given you feedback on Mod" in delivered.content
    db.session.expire_all()
    assert waiting.sent_at is not None
    again = outside_app_context(app.test_cli_runner().invoke, args=["devtrack", "send-mail"])
    assert "Sendt: 0." in again.output and len(mail_configured.messages) == 1


def test_send_mail_without_a_mail_server_says_so(app: Flask) -> None:
    result = outside_app_context(app.test_cli_runner().invoke, args=["devtrack", "send-mail"])
    assert result.exit_code == 1
    assert "ingen mailserver" in result.output


def test_remind_tells_owners_of_close_deadlines_once(app: Flask, grundlag: Org) -> None:
    today = today_in_denmark()
    for title, days, share in (
        ("Snart", 3, True),
        ("Langt ude", 30, True),
        ("Kladde med frist", 2, False),
    ):
        create_goal(
            grundlag.employee,
            title=title,
            description="",
            target_date=today + timedelta(days=days),
            choices=[choice("mod")],
            share=share,
        )
    db.session.commit()
    runner = app.test_cli_runner()
    first = outside_app_context(runner.invoke, args=["devtrack", "remind"])
    assert first.exit_code == 0 and "1." in first.output
    second = outside_app_context(runner.invoke, args=["devtrack", "remind"])
    assert second.exit_code == 0 and ": 0." in second.output
    reminders = db.session.scalars(
        select(Notification).where(Notification.kind == NotificationKind.DEADLINE_CLOSE)
    ).all()
    assert [reminder.subject for reminder in reminders] == ["Snart"]


def test_two_senders_at_once_never_send_a_message_twice(
    app: Flask, grundlag: Org, mail_configured: Inbox
) -> None:
    import threading

    from devtrack.feedback.services import give_feedback
    from devtrack.notifications.services import send_outbox

    for number in range(6):
        give_feedback(
            grundlag.own_leader,
            grundlag.employee,
            text=f"Feedback {number}",
            situation_date=today_in_denmark(),
            choice=choice("mod"),
        )
    db.session.commit()
    assert len(db.session.scalars(select(OutboxMessage)).all()) == 6

    def sender() -> None:
        def run() -> None:
            with app.app_context():
                send_outbox(limit=4)
                send_outbox(limit=4)

        outside_app_context(run)

    senders = [threading.Thread(target=sender) for _sender in range(2)]
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join(timeout=60)
    assert len(mail_configured.messages) == 6
    db.session.expire_all()
    assert all(message.sent_at for message in db.session.scalars(select(OutboxMessage)))


@pytest.mark.parametrize(
    "setting", [{"MAIL_USE_TLS": True}, {"MAIL_USERNAME": "devtrack", "MAIL_PASSWORD": "x"}]
)
def test_a_refused_tls_or_login_keeps_the_outbox_for_the_next_run(
    app: Flask, grundlag: Org, mail_configured: Inbox, setting: dict[str, Any]
) -> None:
    """The test server offers neither STARTTLS nor AUTH: as a server that refuses them."""
    from devtrack.feedback.services import give_feedback

    give_feedback(
        grundlag.own_leader,
        grundlag.employee,
        text="Tak.",
        situation_date=today_in_denmark(),
        choice=choice("mod"),
    )
    db.session.commit()
    app.config.update(setting)
    try:
        result = outside_app_context(app.test_cli_runner().invoke, args=["devtrack", "send-mail"])
    finally:
        app.config.update(MAIL_USE_TLS=False, MAIL_USERNAME=None, MAIL_PASSWORD=None)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1 and "Prøver igen" in result.output
    waiting = db.session.scalars(select(OutboxMessage)).one()
    assert waiting.sent_at is None and waiting.attempts == 1 and waiting.last_error
    assert waiting.claimed_by is None  # free for the next run
    assert mail_configured.messages == []
