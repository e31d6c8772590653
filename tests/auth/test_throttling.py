"""Guessing passwords is slowed down without telling which e-mails exist or locking people out.

The rule: failed sign-ins are counted per e-mail from one address; after five, each further
attempt from there must wait (30 s, then 1, 2, 4... minutes, at most 15). Per e-mail from all
addresses the same happens only after fifty. An address is refused only after many failures;
successful sign-ins never count.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.limits.models import AttemptCount
from devtrack.limits.services import Backoff, take_attempt
from tests.conftest import PASSWORD, AppFactory, Org, give_password, post, sign_in

GUESSER = {"REMOTE_ADDR": "203.0.113.66"}
OFFICE = {"REMOTE_ADDR": "198.51.100.7"}
WRONG = "forkert adgangskode her"


def _signin(client: FlaskClient, email: str, password: str, address: dict[str, str]) -> object:
    return post(client, "/log-ind", {"email": email, "password": password}, environ_base=address)


def _message(response: object) -> str:
    text = response.text  # type: ignore[attr-defined]
    found = re.search(r'<p class="alert-text">(.*?)</p>', text, re.S)
    return found.group(1).strip() if found else ""


def _wait(message: str) -> int:
    """The seconds a message asks to wait (0: none); the clock moves on while tests run."""
    found = re.search(r"Vent (\d+) sekunder", message)
    return int(found.group(1)) if found else 0


def _end_the_waits() -> None:
    """As if the wait had passed (tests do not sleep)."""
    db.session.execute(update(AttemptCount).values(blocked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def test_known_and_unknown_emails_get_the_same_answers_at_every_stage(
    client: FlaskClient, org: Org, app: Flask
) -> None:
    give_password(org.employee)
    known, unknown = [], []
    for _attempt in range(int(app.config["SIGNIN_FREE_FAILURES"]) + 3):
        known.append(_message(_signin(client, org.employee.email, WRONG, GUESSER)))
        unknown.append(_message(_signin(client, "nobody@test.dk", WRONG, GUESSER)))

    def same(messages: list[str]) -> list[str]:
        return [re.sub(r"\d+", "N", message) for message in messages]

    assert same(known) == same(unknown)
    assert "midlertidigt låst" not in " ".join(known)
    assert 20 < _wait(known[-1]) <= 30  # the waiting is there, for both


def test_a_guesser_cannot_lock_the_person_out(client: FlaskClient, org: Org) -> None:
    give_password(org.employee)
    for _attempt in range(20):
        _signin(client, org.employee.email, WRONG, GUESSER)
    office = client.application.test_client()
    assert _signin(office, org.employee.email, PASSWORD, OFFICE).status_code == 302  # type: ignore[attr-defined]


def test_the_wait_grows_with_each_failure_and_a_success_forgets_them(
    client: FlaskClient, org: Org, app: Flask
) -> None:
    give_password(org.employee)
    for _attempt in range(int(app.config["SIGNIN_FREE_FAILURES"]) - 1):
        assert "Vent" not in _message(_signin(client, org.employee.email, WRONG, GUESSER))
    assert 20 < _wait(_message(_signin(client, org.employee.email, WRONG, GUESSER))) <= 30
    # While waiting, even the right password is not checked: the answer says to wait.
    waiting = _signin(client, org.employee.email, PASSWORD, GUESSER)
    assert waiting.status_code == 200  # type: ignore[attr-defined]
    assert _message(waiting).startswith("Der har været for mange forkerte forsøg.")
    _end_the_waits()
    assert 50 < _wait(_message(_signin(client, org.employee.email, WRONG, GUESSER))) <= 60
    _end_the_waits()
    assert _signin(client, org.employee.email, PASSWORD, GUESSER).status_code == 302  # type: ignore[attr-defined]
    assert db.session.scalars(select(AttemptCount)).all() == []


def test_the_longest_wait_is_fifteen_minutes() -> None:
    backoff = Backoff(free=5, first_wait=30, max_wait=900, memory=86400)
    waits = [backoff.wait_after(failures) for failures in range(1, 60)]
    assert waits[:4] == [0, 0, 0, 0] and waits[4:7] == [30, 60, 120]
    assert max(waits) == 900 and waits == sorted(waits)


@pytest.fixture
def strict(app: Flask) -> Iterator[Flask]:
    saved = app.config["SIGNIN_RATE_LIMIT"]
    app.config["SIGNIN_RATE_LIMIT"] = 3
    yield app
    app.config["SIGNIN_RATE_LIMIT"] = saved


def test_a_workforce_behind_one_address_signs_in_without_limit(
    client: FlaskClient, org: Org, strict: Flask
) -> None:
    for person in org.people.values():
        give_password(person)
    for _round in range(2):
        for person in org.people.values():
            browser = client.application.test_client()
            assert _signin(browser, person.email, PASSWORD, OFFICE).status_code == 302  # type: ignore[attr-defined]
    # Failures from the address do count: after three, the address waits (429).
    statuses = [
        _signin(client, f"typo{n}@test.dk", WRONG, OFFICE).status_code  # type: ignore[attr-defined]
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_parallel_attempts_each_count(make_app: AppFactory, database_url: str, org: Org) -> None:
    """Counted by `attempts = attempts + 1` in SQL: no count is lost when workers race."""
    worker = make_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    backoff = Backoff(free=1000, first_wait=30, max_wait=900, memory=86400)
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            with worker.app_context():
                for _n in range(5):
                    assert take_attempt("parallel-key", backoff) == 0
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=attempt) for _thread in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert db.session.scalar(select(AttemptCount.attempts)) == 20


def test_wrong_current_passwords_are_slowed_down_too(
    client: FlaskClient, org: Org, app: Flask
) -> None:

    sign_in(client, org.employee)
    new_password = "en ny og lang sætning om æbler"
    for _attempt in range(int(app.config["SIGNIN_FREE_FAILURES"])):
        response = post(
            client,
            "/adgangskode",
            {"current": WRONG, "password": new_password, "confirm": new_password},
        )
        assert "Den nuværende adgangskode er forkert." in response.text
    response = post(
        client,
        "/adgangskode",
        {"current": PASSWORD, "password": new_password, "confirm": new_password},
    )
    assert response.status_code == 200
    assert "Der har været for mange forkerte forsøg." in response.text
    assert 'id="current-error"' in response.text  # next to the field
    fresh = client.application.test_client()
    assert _signin(fresh, org.employee.email, PASSWORD, OFFICE).status_code == 302  # type: ignore[attr-defined]
