"""API clients for the API's tests: one with every scope, and tokens that must be refused."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from devtrack.api.permissions import SCOPES
from devtrack.api.services import create_client, revoke
from devtrack.extensions import db
from devtrack.i18n import utcnow


def data(response: Any) -> Any:
    """A JSON answer's body."""
    return json.loads(response.data)


@dataclass
class Tokens:
    all_scopes: str
    by_scope: dict[str, str]
    expired: str
    revoked: str
    client_id: int

    def header(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.all_scopes}"}


@pytest.fixture
def tokens(app: Flask) -> Tokens:
    every = create_client("Alt", list(SCOPES), days=30)
    by_scope = {scope: create_client(scope, [scope], days=30).token for scope in SCOPES}
    expired = create_client("Udløbet", list(SCOPES), days=1, now=utcnow() - timedelta(days=2))
    revoked = create_client("Tilbagekaldt", list(SCOPES), days=30)
    revoke(revoked.client)
    db.session.commit()
    return Tokens(every.token, by_scope, expired.token, revoked.token, every.client.id)
