"""Reading the grundlag and the rounds through the API."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.api.conftest import Tokens, data
from tests.conftest import Org, World


def test_the_grundlag_version_with_elements_statements_and_an_etag(
    client: FlaskClient, tokens: Tokens, grundlag: Org
) -> None:
    listing = client.get("/api/v1/grundlag/versions", headers=tokens.header())
    assert listing.status_code == 200
    (version,) = data(listing)["items"]
    assert version["in_use"] is True and data(listing)["next_cursor"] is None
    response = client.get(f"/api/v1/grundlag/versions/{version['id']}", headers=tokens.header())
    assert response.status_code == 200
    parts = data(response)["parts"]
    elements = {element["key"]: element for part in parts for element in part["elements"]}
    assert "mod" in elements and elements["mod"]["statements"]
    assert all(statement["text"] for statement in elements["mod"]["statements"])
    etag = response.headers["ETag"]
    again = client.get(
        f"/api/v1/grundlag/versions/{version['id']}",
        headers={**tokens.header(), "If-None-Match": etag},
    )
    assert again.status_code == 304 and again.data == b""
    missing = client.get("/api/v1/grundlag/versions/999999", headers=tokens.header())
    assert missing.status_code == 404 and missing.content_type == "application/problem+json"


def test_rounds_come_by_cursor_with_per_unit_completion(
    client: FlaskClient, tokens: Tokens, world: World
) -> None:
    from datetime import date

    from devtrack.conversations.models import RoundKind
    from devtrack.conversations.services import create_round
    from devtrack.extensions import db
    from devtrack.grundlag.links import version_for_choices

    version = version_for_choices()
    assert version is not None
    for year in (2028, 2029):
        create_round(
            kind=RoundKind.LUS,
            title=f"LUS {year}",
            deadline=date(year, 1, 31),
            unit_ids=[world.own_leader.unit_id],
            version=version,
            creator=world.hr,
        )
    db.session.commit()
    titles, cursor = [], None
    for _ in range(5):
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = data(client.get(f"/api/v1/rounds?{query}", headers=tokens.header()))
        titles += [item["title"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert titles == ["MUS 2027", "LUS 2028", "LUS 2029"]
    bad = client.get("/api/v1/rounds?cursor=%21%21", headers=tokens.header())
    assert bad.status_code == 400 and data(bad)["errors"][0]["pointer"] == "/query/cursor"
    detail = data(client.get(f"/api/v1/rounds/{world.round_id}", headers=tokens.header()))
    assert detail["totals"]["invited"] == 2  # the employee and the colleague in Team Æblehaven
    by_unit = {row["unit"]: row["counts"] for row in detail["units"]}
    assert by_unit["3"]["invited"] == 2 and by_unit["1"]["invited"] == 2
    # Counts of steps only: no names, no content.
    assert "Emma" not in str(detail) and "Kursus" not in str(detail)
