"""Signing in through real HTTP requests: passwords, lockout, sessions, CSRF, links."""

from __future__ import annotations

import re

from argon2 import PasswordHasher, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.auth.passwords import password_problems
from devtrack.config import DefaultConfig
from devtrack.extensions import db
from tests.auth.browsers import NEW_PASSWORD, another_browser, change_password
from tests.conftest import PASSWORD, Org, csrf_token, give_password, post, sign_in


def _signin(client: FlaskClient, email: str, password: str) -> object:
    return post(client, "/log-ind", {"email": email, "password": password})


def test_the_right_password_signs_in_and_renews_the_session(client: FlaskClient, org: Org) -> None:
    give_password(org.employee)
    client.get("/log-ind")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker"
    response = post(client, "/log-ind", {"email": "EMMA@test.dk ", "password": PASSWORD})
    assert response.status_code == 302
    with client.session_transaction() as after:
        assert "planted" not in after
    assert "Emma Åkjær" in client.get("/").text
    assert db.session.scalar(
        select(AccessLogEntry).where(AccessLogEntry.action == AccessAction.SIGNIN)
    )


def test_a_password_hashed_at_other_costs_is_hashed_again_at_the_configured_ones(
    client: FlaskClient, org: Org, app: Flask
) -> None:
    """A hash made at production's costs (RFC 9106's low-memory choice, devtrack's default)
    still signs in where other costs are configured, and is replaced by one at those costs."""
    production = (DefaultConfig.PASSWORD_HASH_TIME_COST, DefaultConfig.PASSWORD_HASH_MEMORY_KIB)
    assert production == (RFC_9106_LOW_MEMORY.time_cost, RFC_9106_LOW_MEMORY.memory_cost)
    org.employee.password_hash = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY).hash(PASSWORD)
    db.session.commit()
    sign_in(client, org.employee)
    db.session.refresh(org.employee)
    assert org.employee.password_hash is not None
    stored = extract_parameters(org.employee.password_hash)
    configured = (
        app.config["PASSWORD_HASH_TIME_COST"],
        app.config["PASSWORD_HASH_MEMORY_KIB"],
        app.config["PASSWORD_HASH_PARALLELISM"],
    )
    assert (
        (stored.time_cost, stored.memory_cost, stored.parallelism)
        == configured
        != (
            RFC_9106_LOW_MEMORY.time_cost,
            RFC_9106_LOW_MEMORY.memory_cost,
            RFC_9106_LOW_MEMORY.parallelism,
        )
    )
    assert "Emma Åkjær" in client.get("/").text


def test_wrong_password_and_unknown_email_get_the_same_message(
    client: FlaskClient, org: Org
) -> None:
    give_password(org.employee)
    wrong = _signin(client, org.employee.email, "forkert adgangskode her")
    unknown = _signin(client, "nobody@test.dk", "forkert adgangskode her")
    message = "E-mail eller adgangskode er forkert."
    assert message in wrong.text and message in unknown.text  # type: ignore[attr-defined]
    failures = db.session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.action == AccessAction.SIGNIN_FAILED)
    ).all()
    assert len(failures) == 2


def test_a_deactivated_person_cannot_sign_in_and_is_signed_out(
    client: FlaskClient, org: Org, app: Flask
) -> None:
    sign_in(client, org.employee)
    admin = app.test_client()
    sign_in(admin, org.admin)
    post(admin, f"/admin/personer/{org.employee.id}/deaktiver")
    assert client.get("/").status_code == 302  # the open session has ended
    response = _signin(client, org.employee.email, PASSWORD)
    assert "E-mail eller adgangskode er forkert." in response.text  # type: ignore[attr-defined]


def test_changing_password_ends_the_other_sessions(
    client: FlaskClient, org: Org, app: Flask
) -> None:
    sign_in(client, org.employee)
    laptop = another_browser(app, org.employee)
    assert change_password(client).status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    assert laptop.get("/").status_code == 302  # the other one has ended
    fresh = app.test_client()
    assert _signin(fresh, org.employee.email, NEW_PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_new_passwords_must_be_long_and_uncommon(app: Flask) -> None:
    with app.test_request_context():
        assert password_problems("kort")
        assert password_problems("password1234")
        assert password_problems("sommer2026!!!!")
        assert password_problems("aaaaaaaaaaaaaaa")
        assert password_problems("emma-er-den-bedste", email="emma@test.dk")
        assert password_problems("en ny og lang sætning om æbler") == []


def test_a_weak_new_password_is_refused_with_a_message_at_the_field(
    client: FlaskClient, org: Org
) -> None:
    sign_in(client, org.employee)
    response = post(
        client,
        "/adgangskode",
        {"current": PASSWORD, "password": "qwertyuiop123", "confirm": "qwertyuiop123"},
    )
    assert response.status_code == 200
    assert "for almindelig" in response.text
    assert 'aria-invalid="true"' in response.text


def test_posts_without_a_valid_csrf_token_are_refused(client: FlaskClient, org: Org) -> None:
    give_password(org.employee)
    client.get("/log-ind")
    missing = client.post("/log-ind", data={"email": org.employee.email, "password": PASSWORD})
    assert missing.status_code == 400 and "Formularen kunne ikke sendes" in missing.text
    assert client.get("/").status_code == 302
    tampered = client.post(
        "/log-ind",
        data={
            "email": org.employee.email,
            "password": PASSWORD,
            "csrf_token": "x" + csrf_token(client),
        },
    )
    assert tampered.status_code == 400 and client.get("/").status_code == 302
    sign_in(client, org.employee)
    signout = client.post("/log-ud", data={})
    assert signout.status_code == 400
    assert client.get("/").status_code == 200  # still signed in
    refusals = db.session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.object_type == "csrf")
    ).all()
    assert len(refusals) == 3


def test_password_link_is_one_time(client: FlaskClient, org: Org, app: Flask) -> None:
    admin = app.test_client()
    sign_in(admin, org.admin)
    page = post(admin, f"/admin/personer/{org.colleague.id}/adgangskode-link")
    link = re.search(r"http://[^<\"]+/adgangskode/ny/[A-Za-z0-9_-]+", page.text)
    assert link is not None
    path = link.group(0).split("localhost", 1)[-1]
    password = "min helt egen lange adgangskode"
    assert client.get(path).status_code == 200
    response = post(client, path, {"password": password, "confirm": password})
    assert response.status_code == 302
    assert _signin(app.test_client(), org.colleague.email, password).status_code == 302  # type: ignore[attr-defined]
    reused = client.get(path)
    assert reused.status_code == 404 and "udløbet eller allerede brugt" in reused.text


def test_an_expired_password_link_is_refused(client: FlaskClient, org: Org) -> None:
    from datetime import timedelta

    from devtrack.auth.services import issue_password_link
    from devtrack.i18n import utcnow
    from devtrack.people.models import PasswordLink

    token = issue_password_link(org.colleague, org.admin)
    link = db.session.scalar(select(PasswordLink))
    assert link is not None
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/adgangskode/ny/{token}").status_code == 404


def test_session_cookie_flags(client: FlaskClient, org: Org) -> None:
    give_password(org.employee)
    response = _signin(client, org.employee.email, PASSWORD)
    cookie = response.headers["Set-Cookie"]  # type: ignore[attr-defined]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
