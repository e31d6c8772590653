"""`PASSWORD_SIGNIN`: with single sign-on, passwords for administrators only, or for no one."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.extensions import db
from tests.conftest import PASSWORD, Org, give_password, post


def test_with_admins_only_an_employees_right_password_is_refused_and_an_admins_accepted(
    app: Flask, client: FlaskClient, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PASSWORD_SIGNIN", "admins")
    give_password(org.employee)
    give_password(org.admin)
    refused = post(client, "/log-ind", {"email": org.employee.email, "password": PASSWORD})
    assert refused.status_code == 200
    assert "E-mail eller adgangskode er forkert." in refused.text
    assert db.session.scalar(
        select(AccessLogEntry.detail).where(AccessLogEntry.action == AccessAction.SIGNIN_FAILED)
    ) == ("password sign-in for admins only")
    accepted = post(client, "/log-ind", {"email": org.admin.email, "password": PASSWORD})
    assert accepted.status_code == 302
    assert "Adam Admin" in client.get("/").text


def test_with_passwords_off_there_is_no_password_form_and_a_post_is_refused(
    app: Flask, client: FlaskClient, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "PASSWORD_SIGNIN", "off")
    give_password(org.admin)
    page = client.get("/log-ind")
    assert 'type="password"' not in page.text
    refused = post(client, "/log-ind", {"email": org.admin.email, "password": PASSWORD})
    assert refused.status_code == 403
    assert "Der logges ikke ind med adgangskode" in refused.text
    assert client.get("/").status_code == 302
