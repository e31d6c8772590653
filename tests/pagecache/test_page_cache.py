"""Personal pages served from the page cache: fast on a second visit, never stale."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.extensions import db
from devtrack.i18n import today_in_denmark
from devtrack.pagecache.cache import CachedPage, PageCache, page_cache_of
from devtrack.people.models import Person
from tests.conftest import World, choice, form_value, post, sign_in

# The personal pages kept in the cache, given the small organisation.
PAGES: tuple[Callable[[World], str], ...] = (
    lambda w: "/",
    lambda w: "/tidslinje/",
    lambda w: "/tidslinje/?kilde=feedback",
    lambda w: "/maal/",
    lambda w: f"/maal/{w.shared_goal_id}",
    lambda w: "/feedback/",
    lambda w: "/samtaler/",
    lambda w: f"/samtaler/{w.conversation_id}/plan",
    lambda w: "/grundlag/",
    lambda w: "/grundlag/mod",
    lambda w: "/grundlag/relationer",
    lambda w: "/mine-medarbejdere",
)
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


def _cache(app: Flask) -> PageCache:
    cache = page_cache_of(app)
    assert cache is not None, "the page cache is on by default"
    return cache


def test_a_repeat_visit_is_served_from_the_cache_with_one_query(
    app: Flask, world: World, clients: dict[str, FlaskClient], count_queries: Any
) -> None:
    employee = clients["employee"]
    # The first page after signing in starts the session's CSRF token: that one is not kept.
    employee.get("/feedback/")
    first = employee.get("/")
    assert first.status_code == 200
    with count_queries() as statements:
        second = employee.get("/")
    assert second.status_code == 200
    assert _without_tokens(second.text) == _without_tokens(first.text)
    # Only the signed-in person (with the site revision) is read; nothing is rendered.
    assert len(statements) == 1, statements
    assert second.headers["Cache-Control"] == "no-store"


def test_a_cached_page_carries_the_visitors_own_csrf_token(
    app: Flask, world: World, clients: dict[str, FlaskClient]
) -> None:
    # The same person in two browsers: each page's form must work in its own browser.
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


def _served_and_fresh(app: Flask, client: FlaskClient, path: str) -> tuple[str, str]:
    """The page as the cache serves it, and as rendered from scratch."""
    served = _without_tokens(client.get(path).text)
    _cache(app).clear()
    return served, _without_tokens(client.get(path).text)


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
    for path in ("/tidslinje/", "/feedback/"):
        served, fresh = _served_and_fresh(app, employee, path)
        assert served == fresh != _without_tokens(before[path]), path


def _unread(html: str) -> int:
    """The unread count the header shows beside 'Notifikationer'."""
    match = re.search(r'class="badge badge-notification">(\d+)<', html)
    return int(match.group(1)) if match else 0


def test_a_leader_sees_a_report_s_new_goal_on_the_element_page(
    app: Flask, world: World, clients: dict[str, FlaskClient]
) -> None:
    from devtrack.goals.services import create_goal

    leader = clients["own_leader"]
    before = _without_tokens(leader.get("/grundlag/relationer").text)
    create_goal(
        world.colleague,
        title="Lære at sige fra",
        description="",
        target_date=None,
        choices=[choice("relationer")],
        share=True,
    )
    db.session.commit()
    served, fresh = _served_and_fresh(app, leader, "/grundlag/relationer")
    assert served == fresh != before


def test_a_renamed_colleague_shows_on_the_leader_s_overview(
    app: Flask, world: World, clients: dict[str, FlaskClient]
) -> None:
    leader = clients["own_leader"]
    assert world.colleague.name in leader.get("/mine-medarbejdere").text
    world.colleague.name = "Erik Nyt-Navn"
    db.session.commit()
    assert "Erik Nyt-Navn" in leader.get("/mine-medarbejdere").text


def test_a_page_is_rendered_again_on_a_new_day(
    app: Flask, world: World, clients: dict[str, FlaskClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    employee = clients["employee"]
    employee.get("/")
    cache = _cache(app)
    kept = len(cache)
    import devtrack.pagecache.cache as page_cache_module

    tomorrow = date.today() + timedelta(days=1)
    monkeypatch.setattr(page_cache_module, "today_in_denmark", lambda: tomorrow)
    employee.get("/")
    assert len(cache) == kept + 1  # a new page for the new day, not yesterday's


def test_a_message_after_a_redirect_is_shown_on_a_cached_page(
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


def test_pages_in_another_language_are_kept_apart(
    app: Flask, world: World, clients: dict[str, FlaskClient]
) -> None:
    employee = clients["employee"]
    assert 'lang="da"' in employee.get("/").text
    post(employee, "/sprog/en", {"next": "/"})
    assert 'lang="en"' in employee.get("/").text


def test_no_one_is_served_another_persons_page(
    app: Flask, world: World, clients: dict[str, FlaskClient]
) -> None:
    clients["employee"].get(f"/maal/{world.shared_goal_id}")
    assert clients["colleague"].get(f"/maal/{world.shared_goal_id}").status_code == 404
    assert clients["other_leader"].get(f"/maal/{world.shared_goal_id}").status_code == 404
    assert world.draft_goal_id  # the employee's draft: on their front page, no one else's
    assert "Et hemmeligt udkast" not in clients["colleague"].get("/maal/").text


def test_the_cache_keeps_within_its_size_dropping_the_least_recently_used() -> None:
    cache = PageCache(max_bytes=8 * 1000)
    page = CachedPage(body=b"x" * 900, mimetype="text/html")
    for number in range(8):
        cache.put((number,), page)
    cache.get((0,))  # used again: kept
    cache.put((8,), page)
    cache.put((9,), page)
    assert cache.size <= 8000
    assert cache.get((0,)) is not None
    assert cache.get((1,)) is None and cache.get((2,)) is None
    cache.put(("huge",), CachedPage(body=b"x" * 2000, mimetype="text/html"))
    assert cache.get(("huge",)) is None  # larger than an eighth of the cache: never kept


# --- Cached pages against fresh ones, after every kind of write -----------------------------


def _writes(world: World) -> list[tuple[str, Callable[[], object]]]:
    """Writes by different people to every kind of personal row, and to organisation rows."""
    from devtrack.conversations.models import (
        Agreement,
        AgreementStatus,
        Conversation,
        ConversationRound,
    )
    from devtrack.conversations.services import acknowledge, book, record_follow_up
    from devtrack.feedback.models import Feedback, FeedbackRequest
    from devtrack.feedback.services import give_feedback, reply_to, share_with_leader, withdraw
    from devtrack.goals.models import Goal, GoalStatus
    from devtrack.goals.services import add_progress, change_status, create_goal, share_goal
    from devtrack.notifications.services import mark_all_read
    from devtrack.people.models import OrgUnit

    today = today_in_denmark()

    def goal(goal_id: int) -> Goal:
        return db.session.get_one(Goal, goal_id)

    def latest_goal_of(person: Person) -> Goal:
        return db.session.scalars(
            select(Goal).where(Goal.owner_id == person.id).order_by(Goal.id.desc()).limit(1)
        ).one()

    def conversation() -> Conversation:
        return db.session.get_one(Conversation, world.conversation_id)

    def new_goal_for(person: Person) -> object:
        return create_goal(
            person,
            title=f"Nyt mål for {person.name}",
            description="",
            target_date=None,
            choices=[choice("relationer")],
            share=True,
        )

    def move_colleague_under_other_leader() -> None:
        unit = db.session.get_one(OrgUnit, world.other_leader.unit_id)
        world.colleague.unit_id = unit.id

    return [
        ("the employee adds a goal", lambda: new_goal_for(world.employee)),
        ("a colleague adds a goal", lambda: new_goal_for(world.colleague)),
        (
            "a colleague completes the goal",
            lambda: change_status(
                latest_goal_of(world.colleague), world.colleague, GoalStatus.ACHIEVED, ""
            ),
        ),
        (
            "progress on a goal",
            lambda: add_progress(
                goal(world.shared_goal_id),
                world.employee,
                text="Tog ordet i dag.",
                occurred_on=today,
                milestone=True,
            ),
        ),
        (
            "a goal's status",
            lambda: change_status(
                goal(world.shared_goal_id), world.employee, GoalStatus.PAUSED, "Ferie."
            ),
        ),
        ("a draft shared", lambda: share_goal(goal(world.draft_goal_id), world.employee)),
        ("a goal retitled", lambda: setattr(goal(world.shared_goal_id), "title", "Nyt navn")),
        (
            "leader feedback",
            lambda: give_feedback(
                world.own_leader,
                world.employee,
                text="Godt samarbejde om vagtplanen.",
                situation_date=today,
                choice=choice("helhed"),
            ),
        ),
        (
            "a reply to feedback",
            lambda: reply_to(
                db.session.get_one(Feedback, world.leader_feedback_id), world.employee, "Tak!"
            ),
        ),
        (
            "colleague feedback shared with the leader",
            lambda: share_with_leader(db.session.get_one(Feedback, world.colleague_feedback_id)),
        ),
        (
            "a request withdrawn",
            lambda: withdraw(db.session.get_one(FeedbackRequest, world.request_id)),
        ),
        ("notifications read", lambda: mark_all_read(world.employee)),
        (
            "a conversation booked",
            lambda: book(
                conversation(),
                datetime(today.year + 1, 1, 10, 9, 0, tzinfo=UTC),
                "Mødelokale 2",
            ),
        ),
        (
            "an agreement followed up",
            lambda: record_follow_up(
                db.session.get_one(Agreement, world.agreement_id),
                world.own_leader,
                AgreementStatus.UNDER_WAY,
                "Tilmeldt kurset.",
                today,
            ),
        ),
        (
            "the plan acknowledged",
            lambda: acknowledge(conversation(), world.employee, as_employee=True),
        ),
        (
            "a round's deadline moved",
            lambda: setattr(
                db.session.get_one(ConversationRound, world.round_id),
                "deadline",
                date(2099, 2, 28),
            ),
        ),
        ("a leader renamed", lambda: setattr(world.own_leader, "name", "Lea Omdøbt")),
        ("a colleague moved to another unit", move_colleague_under_other_leader),
        ("the employee's language", lambda: setattr(world.employee, "language", "en")),
    ]


def _all_pages(clients: dict[str, FlaskClient], world: World) -> dict[tuple[str, str], str]:
    pages = {}
    for role, client in clients.items():
        for page in PAGES:
            path = page(world)
            response = client.get(path)
            pages[role, path] = f"{response.status_code} {_without_tokens(response.text)}"
    return pages


def test_after_every_kind_of_write_each_cached_page_equals_a_fresh_one(
    app: Flask, world: World, clients: dict[str, FlaskClient]
) -> None:
    cache = _cache(app)
    _all_pages(clients, world)  # every page kept
    for what, write in _writes(world):
        write()
        db.session.commit()
        served = _all_pages(clients, world)
        cache.clear()
        fresh = _all_pages(clients, world)
        stale = [key for key in fresh if served[key] != fresh[key]]
        assert not stale, f"after '{what}' these pages were stale: {stale}"


def test_a_write_on_one_app_server_refreshes_the_page_on_another(
    app: Flask, world: World, clients: dict[str, FlaskClient], make_app: Any, database_url: str
) -> None:
    """Two servers, each with its own page cache, agree through the revisions in the database."""
    from tests.conftest import IsolatedClient

    other_server = make_app(
        {
            "TESTING": True,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WRITE_RATE_LIMIT": 100_000,
            "SIGNIN_RATE_LIMIT": 100_000,
        }
    )
    other_server.test_client_class = IsolatedClient
    there = other_server.test_client()
    sign_in(there, world.employee)
    there.get("/feedback/")
    there.get("/maal/")
    cache = page_cache_of(other_server)
    assert cache is not None and len(cache) == 1  # kept on the other server
    response = post(
        clients["employee"],
        "/maal/nyt",
        {
            "title": "Skrevet på den første server",
            "description": "",
            "links": [form_value("mod")],
        },
    )
    assert response.status_code == 302, response.text
    assert "Skrevet på den første server" in there.get("/maal/").text


def test_a_change_reaching_very_many_people_renews_the_whole_site(app: Flask, world: World) -> None:
    from devtrack.pagecache.models import SiteRevision
    from devtrack.pagecache.revisions import MANY_PEOPLE, touch_people

    before = db.session.get_one(SiteRevision, 1).revision
    touch_people(db.session(), set(range(1, MANY_PEOPLE + 2)))
    db.session.commit()
    assert db.session.get_one(SiteRevision, 1).revision != before
