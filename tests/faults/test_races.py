"""Two people doing the same thing at the same moment both get a normal page.

Real concurrency: each request runs in its own thread on its own database connection, and
both have read the state before either writes (the race's window, held open on purpose).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from devtrack.conversations import services as conversation_services
from devtrack.conversations.models import Conversation
from devtrack.extensions import db
from devtrack.people import hierarchy
from tests.conftest import Org, csrf_token, new_round, sign_in


def _all_at_once(requests: list[Callable[[], Any]]) -> list[Any]:
    answers: list[Any] = [None] * len(requests)

    def run(number: int) -> None:
        answers[number] = requests[number]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def _hold_the_window_open(monkeypatch: pytest.MonkeyPatch, parties: int) -> None:
    """Each request waits, after reading who is invited and before inviting, for the others."""
    barrier = threading.Barrier(parties, timeout=20)
    waited = threading.local()
    real = hierarchy.nearest_leaders

    def nearest_leaders_after_the_others(people: Any) -> Any:
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return real(people)

    monkeypatch.setattr(conversation_services, "nearest_leaders", nearest_leaders_after_the_others)


def test_two_hr_users_opening_the_same_round_at_once_both_get_the_round_page(
    client: FlaskClient, grundlag: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    grundlag.admin.is_hr = True
    conversation_round = new_round(grundlag.hr, grundlag.hr.unit_id)
    db.session.commit()
    round_id = conversation_round.id
    clients = []
    for person in (grundlag.hr, grundlag.admin):
        hr_client = client.application.test_client()
        sign_in(hr_client, person)
        clients.append((hr_client, csrf_token(hr_client)))
    _hold_the_window_open(monkeypatch, parties=2)

    def open_it(hr_client: FlaskClient, token: str) -> Callable[[], Any]:
        return lambda: hr_client.post(
            f"/samtaler/runder/{round_id}/aabn", data={"csrf_token": token}
        )

    answers = _all_at_once([open_it(*pair) for pair in clients])

    assert [answer.status_code for answer in answers] == [302, 302], [a.text for a in answers]
    db.session.expire_all()
    invited = db.session.execute(
        select(Conversation.employee_id, func.count())
        .where(Conversation.round_id == round_id)
        .group_by(Conversation.employee_id)
    ).all()
    # Everyone in the centre and its teams who is not a leader, each invited exactly once.
    expected = {grundlag.people[number].id for number in ("E1", "E2", "E3", "H1")}
    assert dict(invited) == dict.fromkeys(expected, 1)
