"""A write shows at once on every page that shows it, to everyone allowed to see it."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.extensions import db
from devtrack.feedback.models import Feedback
from devtrack.i18n import today_in_denmark
from tests.conftest import World, choice, form_value, post, sign_in

TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")')


def _without_tokens(html: str) -> str:
    return TOKEN.sub(r"\1…\2", html)


@pytest.fixture
def clients(app: Flask, world: World) -> dict[str, FlaskClient]:
    signed_in = {}
    for role in ("employee", "colleague", "own_leader", "other_leader", "hr", "admin"):
        client = app.test_client()
        sign_in(client, getattr(world, role))
        signed_in[role] = client
    return signed_in


def test_the_same_person_in_two_browsers_can_use_the_form_in_each(
    app: Flask, world: World, clients: dict[str, FlaskClient]
) -> None:
    other_browser = app.test_client()
    sign_in(other_browser, world.employee)
    path = f"/maal/{world.shared_goal_id}"
    clients["employee"].get(path)
    page = other_browser.get(path)
    token = TOKEN.search(page.text)
    assert token is not None
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    assert match is not None
    response = other_browser.post(
        f"/maal/{world.shared_goal_id}/fremskridt",
        data={
            "csrf_token": match.group(1),
            "progress-text": "Jeg tog ordet to gange i denne uge.",
            "progress-occurred_on": today_in_denmark().isoformat(),
        },
    )
    assert response.status_code == 302, response.text
    assert "Jeg tog ordet to gange" in other_browser.get(path).text


def test_the_receiver_sees_new_feedback_and_its_notification_at_once(
    app: Flask, world: World, clients: dict[str, FlaskClient]
) -> None:
    employee, leader = clients["employee"], clients["own_leader"]
    before = {path: employee.get(path).text for path in ("/", "/tidslinje/", "/feedback/")}
    response = post(
        leader,
        "/feedback/ny",
        {
            "receiver": str(world.employee.id),
            "text": "Flot håndteret konflikt i går.",
            "situation_date": today_in_denmark().isoformat(),
            "about": form_value("mod", "s1"),
        },
    )
    assert response.status_code == 302, response.text
    assert _unread(employee.get("/").text) == _unread(before["/"]) + 1
    newest = db.session.scalar(
        select(func.max(Feedback.id)).where(Feedback.receiver_id == world.employee.id)
    )
    link = f'href="/feedback/{newest}"'
    for path in ("/tidslinje/", "/feedback/"):
        assert link not in before[path]
        assert link in employee.get(path).text, path


def _unread(html: str) -> int:
    """The unread count the header shows beside 'Notifikationer'."""
    match = re.search(r'class="badge badge-notification">(\d+)<', html)
    return int(match.group(1)) if match else 0


def test_a_leader_sees_a_report_s_new_goal_on_the_element_page(
    app: Flask, world: World, clients: dict[str, FlaskClient]
) -> None:
    from devtrack.goals.services import create_goal

    leader = clients["own_leader"]
    before = _working(leader.get("/grundlag/relationer").text)
    create_goal(
        world.colleague,
        title="Lære at sige fra",
        description="",
        target_date=None,
        choices=[choice("relationer")],
        share=True,
    )
    db.session.commit()
    assert _working(leader.get("/grundlag/relationer").text) == before + 1


def _working(html: str) -> int:
    """How many of the leader's reports work on the element, as the element page says."""
    match = re.search(r'class="mirror-team">(\d+)', html)
    assert match is not None
    return int(match.group(1))


def test_a_renamed_colleague_shows_on_the_leader_s_overview(
    app: Flask, world: World, clients: dict[str, FlaskClient]
) -> None:
    leader = clients["own_leader"]
    assert world.colleague.name in leader.get("/mine-medarbejdere").text
    world.colleague.name = "Erik Nyt-Navn"
    db.session.commit()
    assert "Erik Nyt-Navn" in leader.get("/mine-medarbejdere").text


def test_a_message_after_a_redirect_is_shown_on_a_page_seen_before(
    app: Flask, world: World, clients: dict[str, FlaskClient]
) -> None:
    employee = clients["employee"]
    path = f"/maal/{world.shared_goal_id}"
    employee.get(path)
    response = post(
        employee,
        f"/maal/{world.shared_goal_id}/fremskridt",
        {
            "progress-text": "Et lille skridt.",
            "progress-occurred_on": today_in_denmark().isoformat(),
        },
        follow_redirects=True,
    )
    assert "notification" in response.text or "alert" in response.text
    assert "Et lille skridt." in response.text


def test_a_leader_reading_a_report_s_goal_is_logged_every_time(
    app: Flask, world: World, clients: dict[str, FlaskClient]
) -> None:
    def reads() -> int:
        return int(
            db.session.scalar(
                select(func.count(AccessLogEntry.id)).where(
                    AccessLogEntry.action == AccessAction.READ,
                    AccessLogEntry.actor_id == world.own_leader.id,
                )
            )
            or 0
        )

    leader = clients["own_leader"]
    before = reads()
    for _ in range(3):
        assert leader.get(f"/maal/{world.shared_goal_id}").status_code == 200
    assert reads() == before + 3


def test_a_page_seen_in_danish_shows_in_english_after_switching(
    app: Flask, world: World, clients: dict[str, FlaskClient]
) -> None:
    employee = clients["employee"]
    assert 'lang="da"' in employee.get("/").text
    post(employee, "/sprog/en", {"next": "/"})
    assert 'lang="en"' in employee.get("/").text


def test_no_one_sees_another_persons_page_after_its_owner_did(
    app: Flask, world: World, clients: dict[str, FlaskClient]
) -> None:
    clients["employee"].get(f"/maal/{world.shared_goal_id}")
    assert clients["colleague"].get(f"/maal/{world.shared_goal_id}").status_code == 404
    assert clients["other_leader"].get(f"/maal/{world.shared_goal_id}").status_code == 404
    assert world.draft_goal_id  # the employee's draft: on their front page, no one else's
    assert "Et hemmeligt udkast" not in clients["colleague"].get("/maal/").text
