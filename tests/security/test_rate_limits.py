"""Rate limits on sign-in and writes, counted in the database that every worker shares."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from devtrack.limits.services import hit
from tests.conftest import AppFactory, Org, csrf_token, post, sign_in


@pytest.fixture
def strict(app: Flask) -> Iterator[Flask]:
    saved = {key: app.config[key] for key in ("WRITE_RATE_LIMIT", "SIGNIN_RATE_LIMIT")}
    app.config.update(WRITE_RATE_LIMIT=5, SIGNIN_RATE_LIMIT=3)
    yield app
    app.config.update(saved)


def test_too_many_sign_in_attempts_get_429(client: FlaskClient, org: Org, strict: Flask) -> None:
    token = csrf_token(client)
    statuses = [
        client.post(
            "/log-ind",
            data={"csrf_token": token, "email": org.employee.email, "password": "forkert"},
        ).status_code
        for _attempt in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    # Still refused from this address with the right password for someone else.
    refused = client.post(
        "/log-ind", data={"csrf_token": token, "email": org.colleague.email, "password": "x"}
    )
    assert refused.status_code == 429 and "For mange" in refused.text
    # It says when the count starts over (the sign-in window is five minutes).
    assert 1 <= int(refused.headers["Retry-After"]) <= 300


def test_too_many_writes_by_one_person_get_429(
    client: FlaskClient, org: Org, strict: Flask
) -> None:
    sign_in(client, org.employee)
    statuses = [post(client, "/notifikationer/laest").status_code for _request in range(6)]
    assert statuses == [302, 302, 302, 302, 302, 429]
    refused = post(client, "/notifikationer/laest")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Someone else is not affected.
    other = client.application.test_client()
    sign_in(other, org.colleague)
    assert post(other, "/notifikationer/laest").status_code == 302


def test_workers_share_the_count(make_app: AppFactory, database_url: str, org: Org) -> None:
    config = {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url}
    first, second = make_app(config), make_app(config)
    with first.app_context():
        assert all(hit("shared-key", 3, 60) for _hit in range(3))
    with second.app_context():
        assert not hit("shared-key", 3, 60)
