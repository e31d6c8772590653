"""A sync compares the whole organisation before it writes anything: people saving while a
long sync runs are not kept waiting, and their saves do not make the sync fail.

The save is made from the sync's own progress (`RowProgress`), at the first person row of the
file, through a second app on the same database whose connection does not wait for a lock at
all: it succeeds only if the sync holds no lock the save needs at that moment. No timing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from devtrack.extensions import db
from devtrack.people.models import OrgUnit, Person
from devtrack.people.orgfile import parse_org_file
from devtrack.people.services import apply_sync, sync_organisation
from tests.conftest import DATABASE, SMALL_ORG, AppFactory, Org

# Team Ørnereden is renamed and Emma moves to it: the unit rows change before the people.
RENAMED_AND_MOVED = SMALL_ORG.replace(
    "enhed;4;Team Ørnereden;", "enhed;4;Team Ørnereden Syd;"
).replace("emma@test.dk;3", "emma@test.dk;4")


class SaveBeside:
    """A sync's progress that, at the file's first person row, lets Emma change her language
    through another app, as her own request would."""

    def __init__(self, other: Flask, person_id: int) -> None:
        self.other, self.person_id = other, person_id
        self.stage = ""
        self.saved = False

    def expect(self, rows: int, stage: str) -> None:
        self.stage = stage

    def advance(self, rows: int = 1) -> None:
        if self.stage != "personer" or self.saved:
            return
        with self.other.app_context():
            person = db.session.get(Person, self.person_id)
            assert person is not None
            person.language = "en"
            db.session.commit()
            db.session.remove()
        self.saved = True


def _impatient_app(make_app: AppFactory, app: Flask) -> Flask:
    """The same database, through a connection that refuses to wait for any lock."""
    config: dict[str, Any] = {
        "SECRET_KEY": "x",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SQLITE_BUSY_TIMEOUT_MS": 0,
    }
    if DATABASE == "postgresql":
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": "-c lock_timeout=1"}}
    return make_app(config)


def _import(org: Any, progress: Any) -> None:
    sync_organisation(org, progress=progress)


def _api(org: Any, progress: Any) -> None:
    assert apply_sync(org, progress=progress).applied


@pytest.mark.parametrize("run_sync", [_import, _api], ids=["import", "api and import page"])
def test_a_save_beside_a_sync_neither_waits_nor_fails_the_sync(
    app: Flask, org: Org, make_app: AppFactory, run_sync: Callable[[Any, Any], None]
) -> None:
    emma = org.employee.id
    progress = SaveBeside(_impatient_app(make_app, app), emma)
    run_sync(parse_org_file(RENAMED_AND_MOVED.encode("utf-8")), progress)
    db.session.commit()
    assert progress.saved
    db.session.expire_all()
    moved = db.session.get(Person, emma)
    assert moved is not None
    # Both happened: the sync's move, and Emma's own save, which the sync left alone.
    assert moved.language == "en"
    assert moved.unit.name == "Team Ørnereden Syd"


def test_an_unchanged_organisation_writes_nothing(
    org: Org, count_queries: Callable[[], Any]
) -> None:
    with count_queries() as statements:
        report = sync_organisation(parse_org_file(SMALL_ORG.encode("utf-8")), log=False)
    assert (
        len(report.changes.updated),
        len(report.changes.leader_changes),
        report.changes.units_renamed,
    ) == (0, 0, [])
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELE"))]
    assert writes == []
    assert db.session.scalar(select(OrgUnit.name).where(OrgUnit.external_id == "4")) == (
        "Team Ørnereden"
    )
