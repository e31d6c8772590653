"""Static files under addresses that change with their content, so browsers may keep them.

`url_for('static', ...)` and `url_for('core.dkfds_asset', ...)` get `?v=<fingerprint>` of the
file's content; a request carrying the current fingerprint is answered with a year's caching,
since a new version of the file gets a new address. Without it (or with an old one) the file
is served as before: revalidated (devtrack's own files) or kept a day (DKFDS).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, current_app, request, url_for
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

from devtrack.paths import municipality_logo_path

__all__ = ["municipality_logo_path"]

YEAR = 60 * 60 * 24 * 365


def _directory(endpoint: str | None) -> str | None:
    if endpoint == "static":
        return current_app.static_folder
    if endpoint == "core.dkfds_asset":
        return str(current_app.config["DKFDS_DIST"])
    if endpoint == "core.municipality_logo":
        logo = municipality_logo_path(current_app)
        return str(logo.parent) if logo else None
    return None


@lru_cache(maxsize=512)
def _fingerprint_of(path: str, modified: float, size: int) -> str:
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return digest[:12]


def file_of(endpoint: str | None, filename: str | None) -> Path | None:
    """The file an asset endpoint serves for `filename`, if there is one."""
    directory = _directory(endpoint)
    path = safe_join(directory, filename) if directory and filename else None
    return Path(path) if path is not None and Path(path).is_file() else None


def fingerprint(endpoint: str | None, filename: str) -> str | None:
    path = file_of(endpoint, filename)
    if path is None:
        return None
    try:
        status = path.stat()
    except OSError:
        return None
    return _fingerprint_of(str(path), status.st_mtime, status.st_size)


def _add_fingerprint(endpoint: str, values: dict[str, Any]) -> None:
    filename = values.get("filename")
    if filename and "v" not in values and _directory(endpoint) is not None:
        found = fingerprint(endpoint, filename)
        if found:
            values["v"] = found


def _cache_fingerprinted(response: Response) -> Response:
    version = request.args.get("v")
    filename = (request.view_args or {}).get("filename")
    if (
        version
        and filename
        and response.status_code == 200
        and version == fingerprint(request.endpoint, filename)
    ):
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    return response


BUILT_DKFDS_CSS = "build/dkfds.css"


def dkfds_stylesheet() -> str:
    """DKFDS's stylesheet trimmed to the rules devtrack uses (`make css`), else the whole one."""
    static = current_app.static_folder
    if static and (Path(static) / BUILT_DKFDS_CSS).is_file():
        return url_for("static", filename=BUILT_DKFDS_CSS)
    return url_for("core.dkfds_asset", filename="css/dkfds.min.css")


def init_app(app: Flask) -> None:
    app.add_template_global(dkfds_stylesheet)
    app.url_defaults(_add_fingerprint)
    app.after_request(_cache_fingerprinted)
