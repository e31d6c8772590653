"""Random, huge, malformed and mixed-script input to every form, as every role.

Whatever is posted: never a 500, nothing changes that the role may not change, and what is
shown back is escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from devtrack.conversations.models import Agreement, ConversationRound, Preparation
from devtrack.extensions import db
from devtrack.feedback.models import Feedback, FeedbackReply, FeedbackRequest
from devtrack.goals.models import Goal, GoalEvent
from devtrack.people.models import Person
from tests.conftest import World, csrf_token, sign_in
from tests.test_routes_by_role import ROUTES

SCRIPT = "<script>alert(1)</script>"

# endpoint (its access in the route-by-role table), path, the fields its form posts
FORMS: list[tuple[str, Callable[[World], str], list[str]]] = [
    ("goals.new", lambda w: "/maal/nyt", ["title", "description", "links", "target_date", "share"]),
    (
        "goals.edit",
        lambda w: f"/maal/{w.shared_goal_id}/rediger",
        ["title", "description", "links", "target_date", "share", "version"],
    ),
    (
        "goals.progress",
        lambda w: f"/maal/{w.shared_goal_id}/fremskridt",
        ["progress-text", "progress-occurred_on", "progress-milestone"],
    ),
    (
        "goals.status",
        lambda w: f"/maal/{w.shared_goal_id}/status",
        ["status-status", "status-note"],
    ),
    (
        "feedback.give",
        lambda w: "/feedback/ny",
        ["receiver", "receiver_email", "about", "situation_date", "text", "request_id"],
    ),
    ("feedback.reply", lambda w: f"/feedback/{w.leader_feedback_id}/svar", ["text"]),
    ("feedback.ask", lambda w: "/feedback/anmod", ["recipients", "emails", "about", "message"]),
    (
        "conversations.prepare",
        lambda w: f"/samtaler/{w.conversation_id}/forberedelse",
        [
            "q_aaret_der_gik",
            "q_opgaver_nu",
            "q_trivsel",
            "q_delt_med_medarbejderen",
            "topics-0-about",
            "topics-0-text",
            "version",
            "submit",
        ],
    ),
    (
        "conversations.book_time",
        lambda w: f"/samtaler/{w.conversation_id}/book",
        ["day", "time", "place"],
    ),
    (
        "conversations.agreement_new",
        lambda w: f"/samtaler/{w.conversation_id}/plan/aftale",
        ["what", "kind", "links", "who_does_what", "deadline", "success"],
    ),
    (
        "conversations.agreement_edit",
        lambda w: f"/samtaler/{w.conversation_id}/plan/aftale/{w.agreement_id}",
        ["what", "kind", "links", "deadline", "version"],
    ),
    (
        "conversations.acknowledge_plan",
        lambda w: f"/samtaler/{w.conversation_id}/plan/kvitter",
        ["disagreement"],
    ),
    (
        "conversations.follow_up",
        lambda w: f"/samtaler/{w.conversation_id}/opfoelgning/{w.agreement_id}",
        [f"a{{agreement}}-{name}" for name in ("status", "note", "on")],
    ),
    (
        "conversations.round_new",
        lambda w: "/samtaler/runder/ny",
        ["kind", "title", "deadline", "units"],
    ),
    (
        "people.person_create",
        lambda w: "/admin/personer/ny",
        ["employee_number", "name", "email", "unit_id"],
    ),
]
ROLES = ("employee", "own_leader", "other_leader", "hr", "admin")

values = st.one_of(
    st.text(max_size=120),
    st.text(alphabet="ÆØÅæøå中文العربية🙂 \n\t'\"<>&;=+-@", max_size=80),
    st.sampled_from(
        [
            SCRIPT,
            '=HYPERLINK("http://x")',
            "'; DROP TABLE person; --",
            "2027-02-30",
            "9999-99-99",
            "-1",
            "e999999",
            "s0",
            "1e9",
            "x" * 5000,
        ]
    ),
)


def _fingerprint() -> tuple[Any, ...]:
    counts = tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (
            Goal,
            GoalEvent,
            Feedback,
            FeedbackReply,
            FeedbackRequest,
            Agreement,
            Preparation,
            ConversationRound,
            Person,
        )
    )
    texts = (
        tuple(db.session.scalars(select(Goal.title).order_by(Goal.id))),
        tuple(db.session.scalars(select(Agreement.what).order_by(Agreement.id))),
    )
    return counts + texts


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_input_never_crashes_or_leaks(
    client: FlaskClient, world: World, data: st.DataObject
) -> None:
    if not hasattr(world, "_clients"):
        clients = {}
        for role in ROLES:
            clients[role] = client.application.test_client()
            sign_in(clients[role], getattr(world, role))
        world._clients = clients  # type: ignore[attr-defined]
        world._tokens = {role: csrf_token(c) for role, c in clients.items()}  # type: ignore[attr-defined]
    role = data.draw(st.sampled_from(ROLES))
    endpoint, path, fields = data.draw(st.sampled_from(FORMS))
    posted: dict[str, Any] = {
        field.replace("{agreement}", str(world.agreement_id)): data.draw(values) for field in fields
    }
    posted["csrf_token"] = world._tokens[role]  # type: ignore[attr-defined]
    forbidden = ROUTES[endpoint][2][role] in (403, 404)
    before = _fingerprint() if forbidden else None
    response = world._clients[role].post(path(world), data=posted)  # type: ignore[attr-defined]
    assert response.status_code < 500, (endpoint, role, posted)
    assert SCRIPT not in response.get_data(as_text=True)
    if forbidden:
        db.session.expire_all()
        assert response.status_code in (400, 403, 404), (endpoint, role)
        assert _fingerprint() == before, (endpoint, role)


def test_absurd_numbers_in_forms_and_addresses_are_not_errors(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, world.employee)
    huge = "9" * 5000
    token = csrf_token(client)
    for path, data in (
        ("/feedback/ny", {"receiver": huge, "request_id": huge, "text": "x"}),
        ("/feedback/anmod", {"recipients": huge}),
        (f"/maal/{world.shared_goal_id}/rediger", {"title": "x", "version": ":"}),
    ):
        assert client.post(path, data={**data, "csrf_token": token}).status_code < 500, path
    for path in (
        f"/feedback/ny?anmodning={huge}&til={huge}",
        f"/tidslinje/?side={huge}",
        "/tidslinje/?side=99999999999999999999999",
        f"/maal/{'9' * 30}",
    ):
        assert client.get(path).status_code < 500, path
