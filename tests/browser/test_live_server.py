"""The browser tests' live server survives a browser that drops a font it no longer needs.

A CI run failed a SAML test because Chromium left a page while a DKFDS font was on its way and
Werkzeug's server left the font's file open (`tests/browser/server.py` says why)."""

from __future__ import annotations

import gc
import socket
import struct
import warnings
from urllib.parse import urlsplit

from flask import Flask, url_for

FONT = "fonts/IBMPlexSans/complete/woff2/IBMPlexSans-Bold.woff2"


def _fetch_then_reset(address: tuple[str, int], path: str) -> int:
    """Reads the whole response, then drops the connection at once (a TCP reset), as a
    browser does when it leaves a page; returns the bytes read."""
    with socket.create_connection(address) as connection:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.sendall(f"GET {path} HTTP/1.1\r\nHost: {address[0]}\r\n\r\n".encode())
        received = b""
        while b"\r\n\r\n" not in received:
            received += connection.recv(65536)
        head, _, body = received.partition(b"\r\n\r\n")
        length = next(
            int(line.split(b":", 1)[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        while len(body) < length:
            body += connection.recv(65536)
        return len(body)


def test_a_dropped_connection_leaves_no_file_open(app: Flask, live_server: str) -> None:
    with app.test_request_context():
        font = url_for("core.dkfds_asset", filename=FONT)
    where = urlsplit(live_server)
    address = (where.hostname or "127.0.0.1", where.port or 80)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sizes = {_fetch_then_reset(address, font) for _ in range(10)}
        gc.collect()

    assert min(sizes) > 10_000  # the font itself came, every time
    assert [str(w.message) for w in caught if w.category is ResourceWarning] == []
