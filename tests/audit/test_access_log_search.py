"""The admin's access log: found by whom, about whom and between two Danish days."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask.testing import FlaskClient

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.audit.search import LogFilter, log_entries
from devtrack.extensions import db
from tests.conftest import Org, sign_in


def _entries(org: Org) -> None:
    # 22:30 UTC on 1 March is 23:30 in Denmark (still 1 March); 23:30 UTC is 2 March there.
    for at, actor, subject in (
        (datetime(2026, 3, 1, 22, 30, tzinfo=UTC), org.own_leader, org.employee),
        (datetime(2026, 3, 1, 23, 30, tzinfo=UTC), org.own_leader, org.colleague),
        (datetime(2026, 3, 5, 9, 0, tzinfo=UTC), org.hr, org.employee),
    ):
        db.session.add(
            AccessLogEntry(
                at=at, actor=actor, subject=subject, action=AccessAction.READ, object_type="goal"
            )
        )
    db.session.commit()


def _subjects(chosen: LogFilter) -> list[str]:
    return [
        entry.subject.name for entry in log_entries(chosen, limit=100) if entry.subject is not None
    ]


def test_the_log_is_found_by_person_actor_and_danish_days(org: Org) -> None:
    _entries(org)
    emma, erik = org.employee.name, org.colleague.name
    assert _subjects(LogFilter(person="emma")) == [emma, emma]
    assert _subjects(LogFilter(person="E2")) == [erik]  # an employee number, exactly
    assert _subjects(LogFilter(actor="lise@")) == [erik, emma]
    assert _subjects(LogFilter(start=date(2026, 3, 1), end=date(2026, 3, 1))) == [emma]
    assert _subjects(LogFilter(start=date(2026, 3, 2))) == [emma, erik]


def test_wrong_days_are_explained_and_the_names_still_filter(client: FlaskClient, org: Org) -> None:
    _entries(org)
    sign_in(client, org.admin)
    page = client.get("/admin/adgangslog/?person=E2&fra=1.3.2026")
    assert "Fra-datoen skal skrives som ÅÅÅÅ-MM-DD." in page.text
    assert org.colleague.name in page.text and org.employee.name not in page.text
    backwards = client.get("/admin/adgangslog/?fra=2026-03-05&til=2026-03-01")
    assert "Til-datoen ligger før fra-datoen." in backwards.text
