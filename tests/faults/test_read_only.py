"""A database that takes no writes (a read-only SQLite file, a read-only PostgreSQL session):
saves say so and give the typed text back, reads go on, nothing becomes a 500."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, AppFactory, World, csrf_token, give_password, sign_in
from tests.faults.conftest import TYPED, assert_not_saved_page, own_app, save_goal


@pytest.fixture
def read_only(make_app: AppFactory, database_url: str) -> Flask:
    """A second app on the test database that may only read it."""
    if database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///")
        return own_app(make_app, f"sqlite:///file:{path}?mode=ro&uri=true")
    return own_app(
        make_app,
        database_url,
        SQLALCHEMY_ENGINE_OPTIONS={
            "connect_args": {"options": "-c default_transaction_read_only=on"}
        },
    )


def _move_session(signed_in: FlaskClient, read_only: Flask) -> FlaskClient:
    """The read-only app's client, carrying the session signed in on the writable app."""
    cookie = signed_in.get_cookie("session")
    assert cookie is not None
    moved = read_only.test_client()
    moved.set_cookie("session", cookie.value)
    return moved


def test_a_save_says_it_was_not_saved_and_gives_the_text_back(
    client: FlaskClient, world: World, read_only: Flask
) -> None:
    sign_in(client, world.employee)
    token = csrf_token(client)
    response = save_goal(_move_session(client, read_only), token)
    assert_not_saved_page(response)


def test_a_leaders_read_is_served_and_the_unwritten_access_log_raises_an_alert(
    client: FlaskClient, world: World, read_only: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    sign_in(client, world.own_leader)
    with caplog.at_level(logging.ERROR):
        response = _move_session(client, read_only).get(f"/maal/{world.shared_goal_id}")
    assert response.status_code == 200, response.text
    assert "Tage ordet på personalemøder" in response.text
    alerts = [r for r in caplog.records if getattr(r, "event", "") == "access_log_unwritten"]
    assert alerts, "the read that could not be logged is not in the application log"
    assert f"GET /maal/{world.shared_goal_id}" in alerts[0].getMessage()


def test_signing_in_gets_a_clear_page_not_a_500(world: World, read_only: Flask) -> None:
    give_password(world.employee)
    browser = read_only.test_client()
    token = csrf_token(browser)
    response = browser.post(
        "/log-ind", data={"csrf_token": token, "email": world.employee.email, "password": PASSWORD}
    )
    assert response.status_code == 503, response.text
    assert "devtrack kan ikke gemme noget lige nu" in response.text
    assert PASSWORD not in response.text


def test_a_form_with_a_bad_security_code_is_refused_not_a_500(
    client: FlaskClient, world: World, read_only: Flask
) -> None:
    sign_in(client, world.employee)
    response = save_goal(_move_session(client, read_only), "not-the-token")
    assert response.status_code == 400, response.text
    assert "Formularen kunne ikke sendes" in response.text
    assert f">{TYPED}</textarea>" in response.text


def test_healthz_says_the_database_takes_no_writes(read_only: Flask) -> None:
    response = read_only.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "degraded", "database": "not_writable", "writable": False}
