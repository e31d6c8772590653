"""Administrators create and revoke API clients, on the page and on the command line."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.api.models import ApiClient
from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.extensions import db
from tests.conftest import Org, post, sign_in


def test_an_admin_creates_a_client_sees_its_key_once_and_revokes_it(
    client: FlaskClient, org: Org
) -> None:
    sign_in(client, org.admin)
    created = post(
        client,
        "/admin/api-klienter/",
        {"name": "Intranettet", "scopes": ["rounds:read", "grundlag:read"], "days": "30"},
    )
    assert created.status_code == 200
    match = re.search(r'<code class="password-link api-token">(dt_[^<]+)</code>', created.text)
    assert match, created.text
    token = match.group(1)
    # Stored only as a hash: the page never shows the key again.
    listing = client.get("/admin/api-klienter/").text
    assert "Intranettet" in listing and token not in listing
    stored = db.session.scalar(select(ApiClient).where(ApiClient.name == "Intranettet"))
    assert stored is not None and token not in (stored.secret_hash, stored.scopes)
    api = client.application.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/rounds", headers=bearer).status_code == 200
    assert api.get("/api/v1/reports/coverage", headers=bearer).status_code == 403
    post(client, f"/admin/api-klienter/{stored.id}/tilbagekald")
    assert api.get("/api/v1/rounds", headers=bearer).status_code == 401
    assert "Tilbagekaldt" in client.get("/admin/api-klienter/").text
    logged = db.session.scalars(
        select(AccessLogEntry.detail).where(
            AccessLogEntry.object_type == "api_client", AccessLogEntry.actor_id == org.admin.id
        )
    ).all()
    assert any("rounds:read" in detail for detail in logged) and any(
        "revoked" in detail for detail in logged
    )


def test_a_client_needs_a_name_and_a_scope(client: FlaskClient, org: Org) -> None:
    sign_in(client, org.admin)
    page = post(client, "/admin/api-klienter/", {"name": "", "days": "0"}).text
    assert "Skriv, hvilket system klienten er." in page
    assert "Vælg mindst én adgang." in page and "Mellem 1 og 3650 dage." in page
    assert db.session.scalar(select(ApiClient)) is None


def test_the_command_line_creates_lists_and_revokes(app: Flask, org: Org) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["devtrack", "api-client", "create", "SOFD", "--scope", "org:write", "--days", "7"]
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("dt_")
    listed = runner.invoke(args=["devtrack", "api-client", "list"])
    assert "SOFD" in listed.output and "org:write" in listed.output
    db.session.expire_all()
    stored = db.session.scalar(select(ApiClient).where(ApiClient.name == "SOFD"))
    assert stored is not None
    revoked = runner.invoke(args=["devtrack", "api-client", "revoke", str(stored.id)])
    assert revoked.exit_code == 0 and "tilbagekaldt" in revoked.output
    answer = app.test_client().put(
        "/api/v1/organisation",
        json={"units": [], "people": []},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 401
    assert db.session.scalar(
        select(AccessLogEntry.id).where(AccessLogEntry.action == AccessAction.DENIED)
    )
