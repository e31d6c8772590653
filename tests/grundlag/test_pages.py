"""The grundlag as people read it."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import Org, sign_in


def test_the_overview_names_its_sources_by_title_not_by_archive_file(
    client: FlaskClient, grundlag: Org
) -> None:
    sign_in(client, grundlag.employee)
    page = client.get("/grundlag/").text
    sources = page.split("Kilde")[1]
    assert "Medarbejder- og ledelsesgrundlag (ren tekst)" in sources
    assert "Ledelsesgrundlag (webside)" in sources
    assert ".txt" not in sources
