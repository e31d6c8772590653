"""Two organisation syncs at once (the nightly API sync and an administrator's import, say).

The sync that compared the file while the other wrote is refused with nothing written; sent
again, it compares with what the other wrote and applies on top of it. The other sync runs from
the first's own progress (at the file's first person row), or just before the first compares,
through a second app on the same database, and commits before the first writes. No timing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

import devtrack.people.services as people_services
from devtrack.api.services import create_client
from devtrack.extensions import db
from devtrack.people.models import OrgUnit, Person, UnitMembership
from devtrack.people.orgfile import parse_org_file
from devtrack.people.services import OrganisationChanged, sync_organisation
from tests.api.test_organisation_sync import as_json
from tests.conftest import SMALL_ORG, AppFactory, Org, post, sign_in, upload_org_file
from tests.people.test_org_import import _draft_token

# The other sync moves Emma to Team Ørnereden; this one moves Emma and Erik there.
EMMA_MOVED = SMALL_ORG.replace("emma@test.dk;3", "emma@test.dk;4")
EMMA_AND_ERIK_MOVED = EMMA_MOVED.replace("erik@test.dk;3", "erik@test.dk;4")


def _other_app(make_app: AppFactory, app: Flask) -> Flask:
    return make_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )


def _sync_through(other: Flask, content: str) -> None:
    with other.app_context():
        sync_organisation(parse_org_file(content.encode("utf-8")))
        db.session.commit()
        db.session.remove()


class SyncBeside:
    """A sync's progress that, at the file's first person row, lets another sync write."""

    def __init__(self, other: Flask) -> None:
        self.other = other
        self.stage = ""
        self.synced = False

    def expect(self, rows: int, stage: str) -> None:
        self.stage = stage

    def advance(self, rows: int = 1) -> None:
        if self.stage == "personer" and not self.synced:
            _sync_through(self.other, EMMA_MOVED)
            self.synced = True


def _units_of(number: str) -> list[tuple[str, bool]]:
    """(unit, still there) for every membership row of the person, oldest first."""
    db.session.expire_all()
    rows = db.session.execute(
        select(OrgUnit.name, UnitMembership.ended_at)
        .join(UnitMembership, UnitMembership.unit_id == OrgUnit.id)
        .join(Person, Person.id == UnitMembership.person_id)
        .where(Person.employee_number == number)
        .order_by(UnitMembership.id)
    )
    return [(name, ended_at is None) for name, ended_at in rows]


HISTORY_AFTER_EMMA_MOVED = [("Team Æblehaven", False), ("Team Ørnereden", True)]


def test_a_sync_compared_while_another_wrote_is_refused_then_applies_when_sent_again(
    app: Flask, org: Org, make_app: AppFactory
) -> None:
    beside = SyncBeside(_other_app(make_app, app))
    with pytest.raises(OrganisationChanged):
        sync_organisation(parse_org_file(EMMA_AND_ERIK_MOVED.encode("utf-8")), progress=beside)
    db.session.rollback()
    assert beside.synced
    # Only the other sync's move is there: Emma's history has one row per unit she was in.
    assert _units_of("E1") == HISTORY_AFTER_EMMA_MOVED
    assert _units_of("E2") == [("Team Æblehaven", True)]

    again = sync_organisation(parse_org_file(EMMA_AND_ERIK_MOVED.encode("utf-8")))
    db.session.commit()
    assert [move.employee_number for move in again.changes.moved] == ["E2"]
    assert _units_of("E1") == HISTORY_AFTER_EMMA_MOVED
    assert _units_of("E2") == [("Team Æblehaven", False), ("Team Ørnereden", True)]


@pytest.fixture
def sync_beside_the_next_compare(
    app: Flask, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], None]:
    """From the call on, the next sync's comparison begins with another sync writing."""
    other = _other_app(make_app, app)
    compare = people_services._plan

    def arm() -> None:
        def compare_after_another_sync(*args: Any, **kwargs: Any) -> Any:
            monkeypatch.setattr(people_services, "_plan", compare)
            _sync_through(other, EMMA_MOVED)
            return compare(*args, **kwargs)

        monkeypatch.setattr(people_services, "_plan", compare_after_another_sync)

    return arm


def test_the_import_page_says_so_and_previews_the_file_again(
    client: FlaskClient, org: Org, sync_beside_the_next_compare: Callable[[], None]
) -> None:
    sign_in(client, org.admin)
    preview = upload_org_file(client, EMMA_AND_ERIK_MOVED.encode("utf-8"))
    assert "Emma Åkjær (E1)" in preview.text
    sync_beside_the_next_compare()
    refused = post(client, "/admin/import/anvend", {"udkast": _draft_token(preview.text)})
    assert refused.status_code == 409
    assert "En anden synkronisering ændrede organisationen" in refused.text
    assert "Intet fra denne fil er gemt" in refused.text
    # The new preview moves only Erik, and confirming it applies it.
    assert "Erik Østergaard (E2)" in refused.text and "Emma Åkjær (E1)" not in refused.text
    applied = post(client, "/admin/import/anvend", {"udkast": _draft_token(refused.text)})
    assert "Organisationen er opdateret" in applied.text
    assert _units_of("E1") == HISTORY_AFTER_EMMA_MOVED
    assert _units_of("E2")[-1] == ("Team Ørnereden", True)


def test_the_api_answers_409_and_the_same_body_applies_when_sent_again(
    client: FlaskClient, org: Org, sync_beside_the_next_compare: Callable[[], None]
) -> None:
    token = create_client("SOFD", ["org:write"], days=1).token
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    sync_beside_the_next_compare()
    refused = client.put("/api/v1/organisation", json=as_json(EMMA_AND_ERIK_MOVED), headers=headers)
    assert refused.status_code == 409
    assert refused.content_type == "application/problem+json"
    assert "another sync" in refused.json["detail"]  # type: ignore[index]
    assert _units_of("E2") == [("Team Æblehaven", True)]
    again = client.put("/api/v1/organisation", json=as_json(EMMA_AND_ERIK_MOVED), headers=headers)
    assert again.status_code == 200
    assert _units_of("E1") == HISTORY_AFTER_EMMA_MOVED
    assert _units_of("E2")[-1] == ("Team Ørnereden", True)


def test_the_command_says_so_and_exits_with_an_error(
    app: Flask, org: Org, sync_beside_the_next_compare: Callable[[], None], tmp_path: Path
) -> None:
    path = tmp_path / "org.csv"
    path.write_text(EMMA_AND_ERIK_MOVED, encoding="utf-8")
    sync_beside_the_next_compare()
    result = app.test_cli_runner().invoke(args=["devtrack", "org", "import", str(path)])
    assert result.exit_code == 1
    assert "En anden synkronisering ændrede organisationen" in result.output
    assert _units_of("E2") == [("Team Æblehaven", True)]
    again = app.test_cli_runner().invoke(args=["devtrack", "org", "import", str(path)])
    assert again.exit_code == 0, again.output
    assert _units_of("E2")[-1] == ("Team Ørnereden", True)
