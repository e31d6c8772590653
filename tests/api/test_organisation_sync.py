"""PUT /api/v1/organisation: the import's rules and sync, fed JSON instead of a CSV file."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.api.services import create_client
from devtrack.extensions import db
from devtrack.people.models import OrgUnit, Person, UnitLeadership, UnitMembership
from devtrack.people.orgfile import parse_org_file
from devtrack.people.services import sync_organisation
from tests.api.conftest import data
from tests.conftest import SMALL_ORG, _empty_all_tables
from tests.people.test_org_import import big_file

MOVED = (
    SMALL_ORG.replace("enhed;3;Team Æblehaven;2;LA", "enhed;3;Team Æblehaven;2;E2")
    .replace("emma@test.dk;3", "emma@test.dk;4")
    .replace("person;E3;Eva Bøgh;;;eva@test.dk;4;2017-01-01;\n", "")
)
PASSED_ON = SMALL_ORG.replace(
    "person;E3;Eva Bøgh;;;eva@test.dk;4;2017-01-01;\n",
    "person;N1;Nina Nørby;;;eva@test.dk;4;2026-01-01;\n",
)
SWAPPED = (
    SMALL_ORG.replace("emma@test.dk", "SWAP")
    .replace("erik@test.dk", "emma@test.dk")
    .replace("SWAP", "erik@test.dk")
)
RENAMED = SMALL_ORG.replace("enhed;4;Team Ørnereden;", "enhed;4;Team Ørnereden Syd;")
# The fixtures of tests/people/test_org_import.py, each synced after the small organisation.
FIXTURES = {
    "moved, new leader, one gone": MOVED,
    "address passed on": PASSED_ON,
    "addresses swapped": SWAPPED,
    "unit renamed": RENAMED,
    "300 people": big_file(300, units=40),
}


def as_json(content: str) -> dict[str, Any]:
    """An organisation file as the API's JSON: the same values, named in English."""
    rows = list(csv.DictReader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    return {
        "units": [
            {"id": r["id"], "name": r["navn"], "parent": r["overordnet"], "leader": r["leder"]}
            for r in rows
            if r["type"] == "enhed"
        ],
        "people": [
            {
                "id": r["id"],
                "name": r["navn"],
                "email": r["email"],
                "unit": r["enhed"],
                "start_date": r["startdato"] or None,
                "end_date": r["slutdato"] or None,
            }
            for r in rows
            if r["type"] == "person"
        ],
    }


def snapshot() -> dict[str, Any]:
    """The organisation as stored, without the database's own ids and clocks."""
    db.session.expire_all()
    units = {u.id: u for u in db.session.scalars(select(OrgUnit))}
    people = {p.id: p for p in db.session.scalars(select(Person))}

    def unit(unit_id: int | None) -> str | None:
        return units[unit_id].external_id if unit_id is not None else None

    def person(person_id: int | None) -> str | None:
        return people[person_id].employee_number if person_id is not None else None

    return {
        "units": sorted(
            (u.external_id, u.name, unit(u.parent_id), person(u.leader_id), u.active)
            for u in units.values()
        ),
        "people": sorted(
            (
                p.employee_number,
                p.name,
                p.email if not p.email.endswith("@devtrack.invalid") else "freed",
                unit(p.unit_id),
                p.start_date,
                p.end_date,
                p.active,
                p.session_version,
            )
            for p in people.values()
        ),
        "memberships": sorted(
            (person(m.person_id), unit(m.unit_id), m.ended_at is None)
            for m in db.session.scalars(select(UnitMembership))
        ),
        "leaderships": sorted(
            (unit(m.unit_id), person(m.person_id), m.ended_at is None)
            for m in db.session.scalars(select(UnitLeadership))
        ),
    }


def _token() -> str:
    new = create_client("SOFD", ["org:write"], days=1)
    db.session.commit()
    return new.token


def _put(client: FlaskClient, token: str, body: Any, query: str = "") -> Any:
    return client.put(
        f"/api/v1/organisation{query}", json=body, headers={"Authorization": f"Bearer {token}"}
    )


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_the_import_fixtures_sent_as_json_give_the_same_database(
    app: Flask, client: FlaskClient, name: str
) -> None:
    content = FIXTURES[name]
    for text in (SMALL_ORG, content):
        sync_organisation(parse_org_file(text.encode("utf-8")))
        db.session.commit()
    by_file = snapshot()
    db.session.remove()
    _empty_all_tables()
    token = _token()
    for text in (SMALL_ORG, content):
        response = _put(client, token, as_json(text), "?confirm_deactivations=true")
        assert response.status_code == 200, response.text
        assert data(response)["applied"] is True
    assert snapshot() == by_file
    # Idempotent: the same organisation again changes nothing.
    again = data(_put(client, token, as_json(content)))
    assert again["created"] == again["updated"] == again["moved"] == again["deactivated"] == []
    assert snapshot() == by_file


def test_a_dry_run_says_what_would_change_and_changes_nothing(
    app: Flask, client: FlaskClient
) -> None:
    token = _token()
    assert _put(client, token, as_json(SMALL_ORG)).status_code == 200
    before = snapshot()
    response = _put(client, token, as_json(MOVED), "?dry_run=true")
    assert response.status_code == 200, response.text
    preview = data(response)
    assert preview["dry_run"] is True and preview["applied"] is False
    assert preview["moved"] == [
        {"id": "E1", "name": "Emma Åkjær", "from_unit": "3", "to_unit": "4"}
    ]
    assert preview["deactivated"] == [{"id": "E3", "name": "Eva Bøgh"}]
    assert preview["leader_changes"] == [
        {"unit": "3", "unit_name": "Team Æblehaven", "before": "LA", "after": "E2"}
    ]
    assert snapshot() == before
    # The same call without dry_run (confirmed: one of nine is more than a tenth) does it.
    applied = data(_put(client, token, as_json(MOVED), "?confirm_deactivations=true"))
    assert {k: v for k, v in applied.items() if k not in ("dry_run", "applied")} == {
        k: v for k, v in preview.items() if k not in ("dry_run", "applied")
    }
    assert snapshot() != before


def test_deactivating_more_than_the_configured_share_is_refused_unless_confirmed(
    app: Flask, client: FlaskClient
) -> None:
    token = _token()
    _put(client, token, as_json(SMALL_ORG))
    before = snapshot()
    only_the_top = as_json(SMALL_ORG)
    only_the_top["people"] = [p for p in only_the_top["people"] if p["unit"] in ("1", "2")]
    for unit in only_the_top["units"]:
        if unit["id"] in ("3", "4"):
            unit["leader"] = ""
    refused = _put(client, token, only_the_top)
    assert refused.status_code == 409
    assert refused.content_type == "application/problem+json"
    assert data(refused)["deactivated"] == 5 and data(refused)["active"] == 9
    assert snapshot() == before
    app.config["ORG_SYNC_MAX_DEACTIVATED_SHARE"] = 0.6
    try:
        allowed = _put(client, token, only_the_top)
    finally:
        app.config["ORG_SYNC_MAX_DEACTIVATED_SHARE"] = 0.1
    assert allowed.status_code == 200 and len(data(allowed)["deactivated"]) == 5
    _put(client, token, as_json(SMALL_ORG))
    confirmed = _put(client, token, only_the_top, "?confirm_deactivations=true")
    assert confirmed.status_code == 200 and len(data(confirmed)["deactivated"]) == 5


def test_problems_name_their_path_and_nothing_is_written(app: Flask, client: FlaskClient) -> None:
    token = _token()
    _put(client, token, as_json(SMALL_ORG))
    before = snapshot()
    bad = as_json(SMALL_ORG)
    bad["units"][1]["parent"] = "99"
    bad["people"][4]["email"] = "ikke en e-mail"
    bad["people"][5]["start_date"] = "31/31/2020"
    response = _put(client, token, bad)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    problems = {item["pointer"]: item["detail"] for item in data(response)["errors"]}
    assert set(problems) == {"/units/1", "/people/4", "/people/5"}
    assert "99" in problems["/units/1"] and "ikke en e-mail" in problems["/people/4"]
    # A body that is not the schema: each problem with its path, too.
    response = _put(client, token, {"units": [{"name": "x"}], "people": "nobody"})
    assert response.status_code == 422
    pointers = {item["pointer"] for item in data(response)["errors"]}
    assert pointers == {"/units/0/id", "/people"}
    assert snapshot() == before


def test_an_organisation_larger_than_other_requests_may_be_is_taken(
    app: Flask, client: FlaskClient
) -> None:
    # 45,000 people are about 7 MB of JSON, more than the 5 MB any other request may send; the
    # sync takes as much as the organisation file may hold (ORG_FILE_MAX_MB).
    token = _token()
    body = as_json(SMALL_ORG)
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        assert len(json.dumps(body)) > 1024
        response = _put(client, token, body)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 200, response.text
    assert len(data(response)["created"]) == 9
