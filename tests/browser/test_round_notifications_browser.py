"""A MUS round in the browser in which every notification of the round is made exactly once
(`flask devtrack remind` runs twice at each point in time), and the calendar invitation, its
move and its cancellation reach a real SMTP server (aiosmtpd) as valid iCalendar."""

from __future__ import annotations

import email
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from icalendar import Calendar
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from devtrack.conversations.models import ConversationRound
from devtrack.extensions import db
from devtrack.i18n import today_in_denmark
from devtrack.notifications.models import Notification, NotificationKind
from tests.browser.test_pages_axe import _collect_errors, check_accessibility, loaded, sign_in
from tests.conftest import World, give_password, outside_app_context
from tests.notifications.test_notifications import Inbox, _free_port

ROUND_KINDS = {
    NotificationKind.ROUND_INVITATION,
    NotificationKind.ROUND_LEADER_LIST,
    NotificationKind.CONVERSATION_BOOKED,
    NotificationKind.CONVERSATION_MOVED,
    NotificationKind.CONVERSATION_CANCELLED,
    NotificationKind.PREPARATION_REMINDER,
    NotificationKind.ROUND_DEADLINE_CLOSE,
    NotificationKind.ROUND_DEADLINE_PASSED,
    NotificationKind.ROUND_SUMMARY_CLOSE,
    NotificationKind.ROUND_SUMMARY_PASSED,
    NotificationKind.AGREEMENT_DEADLINE_CLOSE,
    NotificationKind.FOLLOW_UP_CLOSE,
}


@pytest.fixture
def inbox(app: Flask) -> Iterator[Inbox]:
    received = Inbox()
    port = _free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield received
    app.config.update(MAIL_SERVER=None, MAIL_PORT=25)
    controller.stop()


def _run(app: Flask, command: str) -> None:
    result = outside_app_context(app.test_cli_runner().invoke, args=["devtrack", command])
    assert result.exit_code == 0, result.output


def _remind_twice(app: Flask) -> None:
    _run(app, "remind")
    _run(app, "remind")


@pytest.mark.browser
def test_a_round_notifies_each_step_once_and_invites_to_calendars(
    browser: Browser, live_server: str, world: World, app: Flask, inbox: Inbox
) -> None:
    org = world
    eva, bo = org.people["E3"], org.people["LB"]
    for person in (org.hr, eva, bo):
        give_password(person)
    errors: list[str] = []

    def page_for(person: Any) -> Page:
        page = browser.new_context().new_page()
        page.on("console", _collect_errors(errors))
        sign_in(page, live_server, person.email)
        return page

    today = today_in_denmark()
    hr = page_for(org.hr)
    hr.goto(f"{live_server}/samtaler/runder/ny")
    hr.get_by_label("Titel").fill("MUS 2031")
    hr.get_by_label("Frist").fill((today + timedelta(days=10)).isoformat())
    hr.get_by_label("Center for Børn").check()
    hr.get_by_role("button", name="Opret runde").click()
    hr.get_by_role("button", name="Åbn runden").click()
    page = loaded(hr)
    # Emma and Erik are in the world's open MUS 2027 as well: HR is told, by name.
    assert "4 nye samtaler er oprettet." in page
    assert "Også med i en anden åben runde af samme slags" in page
    check_accessibility(hr, "round-with-doubles")
    round_url = hr.url

    # Bo books Eva's conversation in two days, then moves it.
    leader = page_for(bo)
    leader.goto(f"{live_server}/notifikationer/")
    assert "MUS 2031 er åbnet. Medarbejdere, du skal holde samtale med: 1." in loaded(leader)
    leader.goto(f"{live_server}/mine-medarbejdere")
    leader.get_by_role("row", name="Eva Bøgh").get_by_role("link", name="MUS 2031").click()
    conversation_url = leader.url
    leader.get_by_role("link", name="Book tid").click()
    leader.get_by_label("Dato").fill((today + timedelta(days=2)).isoformat())
    leader.get_by_label("Klokkeslæt").fill("10:30")
    leader.get_by_label("Sted").fill("Mødelokale 2")
    leader.get_by_role("button", name="Gem tid").click()
    assert "Samtalen er booket til" in loaded(leader)
    check_accessibility(leader, "conversation-booked")
    leader.get_by_role("link", name="Flyt tid").click()
    leader.get_by_label("Klokkeslæt").fill("13:15")
    leader.get_by_role("button", name="Gem tid").click()
    assert "13.15" in loaded(leader)

    # Two days before: neither has prepared; the deadline is ten days away.
    _remind_twice(app)
    employee = page_for(eva)
    employee.goto(f"{live_server}/notifikationer/")
    page = loaded(employee)
    assert "Du er inviteret til MUS 2031." in page
    assert "Bo Ørsted har flyttet tiden til jeres samtale i MUS 2031." in page
    assert "din forberedelse er ikke færdig" in page
    check_accessibility(employee, "notifications-of-a-round")

    # Bo cancels the time, holds the conversation anyway, and they plan.
    leader.goto(conversation_url)
    leader.get_by_role("button", name="Aflys tiden").click()
    assert "Tiden er aflyst." in loaded(leader)
    leader.get_by_role("button", name="Markér som afholdt").click()
    leader.get_by_label("Aftalen").fill("Kursus i konflikthåndtering")
    leader.get_by_label("Slags udvikling").select_option("course")
    leader.get_by_role("checkbox", name="Mod", exact=True).check()
    leader.get_by_label("Frist").fill((today + timedelta(days=5)).isoformat())
    leader.get_by_role("button", name="Tilføj aftale").click()
    assert "Aftalen er tilføjet planen." in loaded(leader)
    leader.get_by_label("Dato for opfølgning").fill((today + timedelta(days=3)).isoformat())
    leader.get_by_role("button", name="Gem dato").click()
    assert "Datoen for opfølgning er gemt." in loaded(leader)
    check_accessibility(leader, "plan-with-follow-up-date")
    employee.goto(conversation_url)
    page = loaded(employee)
    assert "Samtalen er holdt" in page and "booket til" not in page
    _remind_twice(app)

    # Time passes: the round's deadline was yesterday.
    found = db.session.scalar(
        select(ConversationRound).where(ConversationRound.title == "MUS 2031")
    )
    assert found is not None
    found.deadline = today - timedelta(days=1)
    db.session.commit()
    _remind_twice(app)
    hr.goto(f"{live_server}/notifikationer/")
    assert "Fristen for MUS 2031 er overskredet. Samtaler, der ikke er holdt: 3." in loaded(hr)
    hr.goto(round_url)

    names = {person.id: key for key, person in org.people.items()}
    made = Counter(
        (names[person_id], kind, subject)
        for person_id, kind, subject in db.session.execute(
            select(Notification.person_id, Notification.kind, Notification.subject).where(
                Notification.kind.in_(ROUND_KINDS)
            )
        )
    )
    assert set(made.values()) == {1}, made
    assert {kind for _who, kind, _subject in made} == ROUND_KINDS
    in_2031 = {(who, kind.value) for who, kind, subject in made if subject == "MUS 2031"}
    assert in_2031 == {
        *((who, "round_invitation") for who in ("E1", "E2", "E3", "H1")),
        *((who, "round_leader_list") for who in ("LA", "LB", "C1")),
        ("E3", "conversation_booked"),
        ("E3", "conversation_moved"),
        ("E3", "conversation_cancelled"),
        ("E3", "preparation_reminder"),
        ("LB", "preparation_reminder"),
        *((who, "round_deadline_close") for who in ("LA", "LB", "C1")),
        ("H1", "round_summary_close"),
        ("E3", "agreement_deadline_close"),
        ("LB", "agreement_deadline_close"),
        ("E3", "follow_up_close"),
        ("LB", "follow_up_close"),
        # Eva's conversation was held: Bo is not told the deadline passed.
        *((who, "round_deadline_passed") for who in ("LA", "C1")),
        ("H1", "round_summary_passed"),
    }

    _run(app, "send-mail")
    invitations: dict[str, list[Calendar]] = {}
    for envelope in inbox.messages:
        message = email.message_from_bytes(envelope.content)
        for part in message.walk():
            if part.get_content_type() == "text/calendar" and not part.get_filename():
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                invitations.setdefault(envelope.rcpt_tos[0], []).append(Calendar.from_ical(payload))
    assert set(invitations) == {eva.email, bo.email}
    for calendars in invitations.values():
        assert [str(calendar["METHOD"]) for calendar in calendars] == [
            "REQUEST",
            "REQUEST",
            "CANCEL",
        ]
        events = [calendar.events[0] for calendar in calendars]
        assert len({event.uid for event in events}) == 1
        assert [event.sequence for event in events] == [0, 1, 2]
        assert [(event.DTSTART.hour, event.DTSTART.minute) for event in events] == [
            (10, 30),
            (13, 15),
            (13, 15),
        ]
        assert all(calendar.timezones for calendar in calendars)
        assert all(str(event.DTSTART.tzinfo) == "Europe/Copenhagen" for event in events)
    assert errors == []
