"""The API's document, and who gets in: a token with the endpoint's scope, nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_spec_validator import validate
from sqlalchemy import select

from devtrack.api.permissions import SCOPES
from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.extensions import db
from tests.api.conftest import Tokens, data
from tests.conftest import Org, sign_in


def _operations(app: Flask) -> list[tuple[str, str, str]]:
    """(method, path with example ids, scope) for every operation the document describes."""
    document = data(app.test_client().get("/api/v1/openapi.json"))
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in {"get", "put", "post", "patch", "delete"}:
                (scope,) = operation["security"][0]["bearerToken"]
                concrete = path.replace("{version_id}", "1").replace("{round_id}", "1")
                found.append((method.upper(), concrete, scope))
    return found


def test_the_openapi_document_is_valid_and_describes_every_endpoint(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = data(response)
    validate(document)
    assert document["openapi"].startswith("3.")
    assert {
        "/api/v1/organisation",
        "/api/v1/grundlag/versions",
        "/api/v1/grundlag/versions/{version_id}",
        "/api/v1/rounds",
        "/api/v1/rounds/{round_id}",
        "/api/v1/reports/coverage",
    } <= set(document["paths"])
    scopes = {scope for _m, _p, scope in _operations(client.application)}
    assert scopes == set(SCOPES)


def _call(client: FlaskClient, method: str, path: str, headers: dict[str, str]) -> Any:
    body: dict[str, list[str]] | None = (
        {"units": [], "people": []} if method in ("PUT", "POST") else None
    )
    return client.open(path, method=method, headers=headers, json=body)


def test_every_endpoint_refuses_a_missing_wrong_expired_or_revoked_token(
    client: FlaskClient, tokens: Tokens, org: Org
) -> None:
    operations = _operations(client.application)
    assert len(operations) >= 6
    for method, path, scope in operations:
        wrong_scope = next(token for other, token in tokens.by_scope.items() if other != scope)
        cases = {
            "missing": ({}, 401),
            "malformed": ({"Authorization": "Bearer nonsense"}, 401),
            "unknown": ({"Authorization": tokens.all_scopes[:-4] + "AAAA"}, 401),
            "basic": ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
            "wrong scope": (tokens.header(wrong_scope), 403),
            "expired": (tokens.header(tokens.expired), 401),
            "revoked": (tokens.header(tokens.revoked), 401),
        }
        for case, (headers, status) in cases.items():
            response = _call(client, method, path, headers)
            assert response.status_code == status, (method, path, case, response.text)
            assert response.content_type == "application/problem+json"
            assert data(response)["status"] == status
            if status == 401:
                assert response.headers["WWW-Authenticate"].startswith("Bearer")
        # The right scope gets past the door (whatever the endpoint then answers).
        response = _call(client, method, path, tokens.header(tokens.by_scope[scope]))
        assert response.status_code not in (401, 403), (method, path)
    # Nothing was changed by any refused call: the organisation is still there.
    assert org.employee.active


def test_every_call_is_in_the_access_log_with_the_client_as_actor(
    client: FlaskClient, tokens: Tokens, org: Org
) -> None:
    assert client.get("/api/v1/rounds", headers=tokens.header()).status_code == 200
    client.get("/api/v1/rounds", headers=tokens.header(tokens.revoked))
    client.get("/api/v1/rounds", headers=tokens.header(tokens.by_scope["org:write"]))
    entries = db.session.scalars(
        select(AccessLogEntry)
        .where(AccessLogEntry.object_type == "api")
        .order_by(AccessLogEntry.id)
    ).all()
    assert [(e.action, e.detail.split(":")[0]) for e in entries] == [
        (AccessAction.READ, "GET /api/v1/rounds"),
        (AccessAction.DENIED, "GET /api/v1/rounds"),
        (AccessAction.DENIED, "GET /api/v1/rounds"),
    ]
    assert entries[0].api_client_id == tokens.client_id
    assert entries[0].actor_id is None
    assert all(entry.api_client_id is not None for entry in entries)
    assert "revoked" in entries[1].detail and "scope" in entries[2].detail
    # The administrators' access log names the client.
    admin = client.application.test_client()
    sign_in(admin, org.admin)
    assert f"API-klient nr. {tokens.client_id}" in admin.get("/admin/adgangslog/").text


@pytest.mark.parametrize("limit", [3])
def test_each_client_has_its_own_rate_limit(client: FlaskClient, org: Org, limit: int) -> None:
    from devtrack.api.services import create_client

    slow = create_client("Langsom", ["rounds:read"], days=1, rate_limit=limit)
    other = create_client("Anden", ["rounds:read"], days=1, rate_limit=limit)
    db.session.commit()
    answers = [
        client.get("/api/v1/rounds", headers={"Authorization": f"Bearer {slow.token}"})
        for _ in range(limit + 1)
    ]
    assert [answer.status_code for answer in answers] == [200] * limit + [429]
    # The client is told when its minute starts over.
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
    other_answer = client.get("/api/v1/rounds", headers={"Authorization": f"Bearer {other.token}"})
    assert other_answer.status_code == 200


def test_the_token_is_stored_only_as_a_hash(tokens: Tokens) -> None:
    from devtrack.api.models import ApiClient

    stored = db.session.get(ApiClient, tokens.client_id)
    assert stored is not None
    assert tokens.all_scopes not in (stored.secret_hash, stored.token_id)
    assert len(stored.secret_hash) == 64 and tokens.all_scopes.startswith(f"dt_{stored.token_id}_")


def test_a_method_the_endpoint_lacks_is_refused_with_the_ones_it_has(
    client: FlaskClient, tokens: Tokens
) -> None:
    refused = client.delete(
        "/api/v1/rounds", headers={"Authorization": f"Bearer {tokens.all_scopes}"}
    )
    assert refused.status_code == 405
    assert refused.content_type == "application/problem+json"
    assert set(refused.headers["Allow"].split(", ")) >= {"GET"}


def test_an_unknown_api_address_is_answered_as_problem_details(
    client: FlaskClient, tokens: Tokens
) -> None:
    missing = client.get("/api/v1/nothing-here", headers=tokens.header())
    assert missing.status_code == 404
    assert missing.content_type == "application/problem+json"
    assert missing.json is not None and missing.json["status"] == 404
    # The site's own pages keep their Danish error page.
    page = client.get("/nothing-here")
    assert page.status_code == 404 and "text/html" in page.content_type
