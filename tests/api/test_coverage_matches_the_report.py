"""The API's coverage figures are the HR report's: the same rows, figures and suppression as the
report's CSV export (and its page) for the same filters."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.extensions import db
from devtrack.people.models import OrgUnit
from tests.api.conftest import Tokens, data
from tests.conftest import World, sign_in


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))[1:]


def _api_rows(body: dict[str, Any]) -> list[list[str]]:
    """The API's answer written as the export writes its rows."""
    rows = []
    for unit in body["units"]:
        if unit["suppressed"]:
            assert unit["cells"] == [] and unit["people"] is None
            rows.append([unit["name"], "suppressed"])
            continue
        row = [unit["name"], str(unit["people"])]
        for cell in unit["cells"]:
            share = f"{round(cell['share'] * 100, 1):.1f}".replace(".", ",")
            row += [str(cell["people"]), share, str(cell["feedback"])]
        rows.append(row)
    return rows


FILTERS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "everything, the last year": ({}, {}),
    "goals only, from a date": (
        {"kilder": "goals", "fra": "2020-01-01"},
        {"sources": "goals", "from": "2020-01-01"},
    ),
    "feedback and agreements": (
        {"kilder": ["feedback", "agreements"]},
        {"sources": ["feedback", "agreements"]},
    ),
}


@pytest.mark.parametrize("name", sorted(FILTERS))
@pytest.mark.parametrize("root", [None, "2"])
def test_coverage_through_the_api_equals_the_reports_export(
    client: FlaskClient, world: World, tokens: Tokens, name: str, root: str | None
) -> None:
    page_query, api_query = dict(FILTERS[name][0]), dict(FILTERS[name][1])
    if root is not None:
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.external_id == root))
        assert unit is not None
        page_query["enhed"] = str(unit.id)
        api_query["unit"] = root
    answer = client.get("/api/v1/reports/coverage", query_string=api_query, headers=tokens.header())
    assert answer.status_code == 200, answer.text
    body = data(answer)
    hr = client.application.test_client()
    sign_in(hr, world.hr)
    export = hr.get("/hr/rapporter/daekning.csv", query_string=page_query)
    assert export.status_code == 200
    expected = [
        row if not row[1].startswith("skjult") else [row[0], "suppressed"]
        for row in _csv_rows(export.data)
    ]
    assert _api_rows(body) == expected
    assert any(unit["suppressed"] for unit in body["units"])  # the rule is at work here
    if root is None and name.startswith("everything"):
        # The employee's shared goal and agreement on "mod", and the feedback about it.
        assert any(cell["people"] and cell["feedback"] for cell in body["units"][0]["cells"])
    # The page shows the same top figures.
    page = hr.get("/hr/rapporter/daekning", query_string=page_query).text
    top = body["units"][0]
    if not top["suppressed"]:
        assert f">{top['people']}<" in page.replace(" ", "")


def test_unknown_filters_are_named(client: FlaskClient, world: World, tokens: Tokens) -> None:
    for query, pointer in (
        ({"unit": "nope"}, "/query/unit"),
        ({"part": "nope"}, "/query/part"),
        ({"round": 999999}, "/query/round"),
        ({"from": "2027-01-02", "to": "2027-01-01"}, "/query/to"),
        ({"sources": "gossip"}, "/query/sources/0"),
    ):
        answer = client.get("/api/v1/reports/coverage", query_string=query, headers=tokens.header())
        assert answer.status_code in (400, 422), query
        assert [item["pointer"] for item in data(answer)["errors"]] == [pointer], query
