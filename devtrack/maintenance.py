"""Maintenance: while a restore replaces the database, every request gets a Danish 503 page.

The flag is a file (`MAINTENANCE_FLAG_FILE`, by default `instance/maintenance`), checked before
anything else a request does, so a fenced request never touches the database. Several app
servers must see the same file (shared storage), or be stopped for the restore.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from devtrack.database import mark_unavailable
from devtrack.errors import WRITE_METHODS, typed_text

# Requests already running when the flag appears get this long to finish.
GRACE_SECONDS = 1.0


def flag_file(app: Flask | None = None) -> Path:
    app = app or current_app
    configured = app.config.get("MAINTENANCE_FLAG_FILE")
    return Path(configured) if configured else Path(app.instance_path) / "maintenance"


@contextmanager
def fenced(reason: str) -> Iterator[None]:
    """Raise the flag for the duration; it is lowered whatever happens inside."""
    flag = flag_file()
    flag.parent.mkdir(parents=True, exist_ok=True)
    flag.write_text(reason + "\n", encoding="utf-8")
    try:
        time.sleep(GRACE_SECONDS)
        yield
    finally:
        flag.unlink(missing_ok=True)


def _refuse_during_maintenance() -> ResponseReturnValue | None:
    if request.endpoint in ("static", "core.dkfds_asset") or not flag_file().exists():
        return None
    mark_unavailable()
    headers = {"Retry-After": "60"}
    if request.endpoint == "core.healthz":
        return jsonify(status="maintenance", database="maintenance", writable=False), 503, headers
    kept = typed_text() if request.method in WRITE_METHODS else []
    return render_template("errors/maintenance.html", kept=kept), 503, headers


def init_app(app: Flask) -> None:
    # First of all: before the rate limits and the sign-in check reach the database.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_during_maintenance)
