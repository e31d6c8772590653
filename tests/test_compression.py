"""Text travels gzip-compressed to browsers that ask for it; nothing else changes."""

from __future__ import annotations

import gzip
import re

from flask.testing import FlaskClient

from tests.conftest import Org, sign_in


def test_pages_and_stylesheets_are_gzipped_for_browsers_that_accept_it(
    client: FlaskClient, org: Org
) -> None:
    sign_in(client, org.employee)
    plain = client.get("/")
    assert "Content-Encoding" not in plain.headers
    packed = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data).decode().count("<main") == 1
    stylesheet = re.search(r'href="(/assets/dkfds/css/[^"]+|/static/build/[^"]+)"', plain.text)
    assert stylesheet is not None
    with client.get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"}) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert len(response.data) < 0.3 * len(gzip.decompress(response.data))
        assert "max-age=31536000" in response.headers["Cache-Control"]


def test_fonts_and_small_responses_are_sent_as_they_are(client: FlaskClient) -> None:
    font = "/assets/dkfds/fonts/IBMPlexSans/complete/woff2/IBMPlexSans-Regular.woff2"
    with client.get(font, headers={"Accept-Encoding": "gzip"}) as response:
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers
    healthz = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in healthz.headers
