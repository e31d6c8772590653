"""A PostgreSQL server that stops under a running app: Danish pages, the typed text kept.

A throw-away server of its own, started and stopped here, whichever database the suite runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pgserver
import pytest

from tests.conftest import AppFactory, csrf_token
from tests.faults.conftest import (
    assert_not_saved_page,
    assert_unavailable_page,
    build_small_org,
    own_app,
    save_goal,
    signed_in_client,
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Any]:
    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    started = pgserver.get_server(pgdata, cleanup_mode="delete")  # type: ignore[attr-defined]
    started.psql("CREATE DATABASE devtrack_stopping;")
    yield started
    started.cleanup()  # nothing left to do when the test stopped it already


def test_pages_saves_and_healthz_when_postgresql_stops(make_app: AppFactory, server: Any) -> None:
    built = own_app(make_app, server.get_uri("devtrack_stopping"))
    build_small_org(built)
    client = signed_in_client(built)
    token = csrf_token(client)
    assert client.get("/maal/").status_code == 200

    server.cleanup()  # the server stops; the app's pooled connections are dead

    assert_unavailable_page(client.get("/maal/"))
    assert_not_saved_page(save_goal(client, token))
    health = built.test_client().get("/healthz")
    assert health.status_code == 503
    assert health.json == {"status": "unavailable", "database": "unreachable", "writable": False}
