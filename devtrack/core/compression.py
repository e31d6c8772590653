"""Text responses travel gzip-compressed to browsers that accept it.

Pages are compressed as they are sent; static files (stylesheets, scripts, fonts' neighbours,
the logo) are compressed once per file version and kept in memory, since they are the same
for everyone.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from flask import Flask, request
from werkzeug.wrappers import Response

from devtrack.core.assets import file_of
from devtrack.security import ASSET_ENDPOINTS

COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/csv",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
}
SMALLEST = 1024  # below this, compressing saves less than it costs


@lru_cache(maxsize=64)
def _compressed_file(path: str, modified: float, size: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=9)


def _accepts_gzip() -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def compress(response: Response) -> Response:
    if (
        response.status_code != 200
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
        or not _accepts_gzip()
    ):
        return response
    response.vary.add("Accept-Encoding")
    path = file_of(request.endpoint, (request.view_args or {}).get("filename"))
    if request.endpoint in ASSET_ENDPOINTS and path is not None:
        status = path.stat()
        if status.st_size < SMALLEST:
            return response
        body = _compressed_file(str(path), status.st_mtime, status.st_size)
        # The open file the response would have streamed is replaced: close it.
        closing = getattr(response.response, "close", None)
        if callable(closing):
            closing()
        response.direct_passthrough = False
    else:
        if response.is_streamed or response.direct_passthrough:
            return response
        data = response.get_data()
        if len(data) < SMALLEST:
            return response
        body = gzip.compress(data, compresslevel=6)
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(f"{etag}-gzip", bool(weak))
    return response


def init_app(app: Flask) -> None:
    app.after_request(compress)
