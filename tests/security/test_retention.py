"""`flask devtrack retention`: personal content goes after the retention period; counts stay."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask
from sqlalchemy import func, select

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.conversations.models import Agreement, Conversation
from devtrack.extensions import db
from devtrack.feedback.models import Feedback
from devtrack.goals.models import Goal
from devtrack.i18n import as_utc
from devtrack.limits.models import RateLimitWindow
from devtrack.people.services import deactivate
from devtrack.retention import apply_retention
from tests.conftest import World, outside_app_context, upload_org_file


def _count(model: object) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


def _leave(world: World, ended: date) -> None:
    deactivate(world.employee)
    world.employee.end_date = ended
    db.session.commit()


def test_a_dry_run_lists_and_changes_nothing(app: Flask, world: World) -> None:
    _leave(world, date(2015, 6, 30))
    result = outside_app_context(
        app.test_cli_runner().invoke, args=["devtrack", "retention", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "Prøvekørsel" in result.output and "Emma Åkjær" in result.output
    assert "goals: 2" in result.output
    db.session.expire_all()
    assert _count(Goal) == 2 and world.employee.name == "Emma Åkjær"


def test_retention_deletes_content_keeps_counts_and_logs_the_run(app: Flask, world: World) -> None:
    _leave(world, date(2015, 6, 30))
    old_entry = AccessLogEntry(
        action=AccessAction.READ, at=datetime(2010, 1, 1, tzinfo=UTC), object_type="x"
    )
    db.session.add(old_entry)
    db.session.commit()
    result = outside_app_context(app.test_cli_runner().invoke, args=["devtrack", "retention"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert _count(Goal) == 0
    assert db.session.scalars(select(Feedback.receiver_id)).all() == []
    employee = world.employee
    assert employee.name == "Tidligere medarbejder" and employee.password_hash is None
    assert "emma" not in employee.email
    # The conversation and its agreement's link stay for the anonymous counts; the text goes.
    conversation = db.session.get(Conversation, world.conversation_id)
    assert conversation is not None and conversation.plan is not None
    (agreement,) = conversation.plan.agreements
    assert agreement.what == "" and agreement.links
    old = select(AccessLogEntry).where(AccessLogEntry.object_type == "x")
    assert db.session.scalar(old) is None
    run = db.session.scalar(select(AccessLogEntry).where(AccessLogEntry.object_type == "retention"))
    assert run is not None and "goals=2" in run.detail
    # A second run has nothing left to do.
    again = outside_app_context(app.test_cli_runner().invoke, args=["devtrack", "retention"])
    assert "mere end 5 år siden: 0" in again.output


def test_people_who_left_recently_are_kept(app: Flask, world: World) -> None:
    _leave(world, date.today())
    outside_app_context(app.test_cli_runner().invoke, args=["devtrack", "retention"])
    db.session.expire_all()
    assert _count(Goal) == 2 and _count(Agreement) == 1


def test_an_import_never_recreates_a_removed_person(app: Flask, world: World) -> None:
    from devtrack.people.models import Person, RemovedEmployee
    from devtrack.people.orgfile import parse_org_file
    from devtrack.people.services import sync_organisation
    from tests.conftest import SMALL_ORG, sign_in

    _leave(world, date(2015, 6, 30))
    result = outside_app_context(app.test_cli_runner().invoke, args=["devtrack", "retention"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    # Only the employee number is left behind, to recognise them by.
    assert db.session.scalars(select(RemovedEmployee.employee_number)).all() == ["E1"]
    people = _count(Person)

    # The next HR file still lists her (and as leader of nothing): no one is created.
    report = sync_organisation(parse_org_file(SMALL_ORG.encode("utf-8")))
    db.session.commit()
    assert report.changes.removed_people == ["E1"] and len(report.changes.created) == 0
    assert _count(Person) == people
    assert db.session.scalar(select(Person).where(Person.email == "emma@test.dk")) is None
    assert db.session.scalar(select(Person).where(Person.name == "Emma Åkjær")) is None

    # The admin's import page says so.
    admin = app.test_client()
    sign_in(admin, world.admin)
    page = upload_org_file(admin, SMALL_ORG.encode("utf-8")).text
    assert "ikke oprettet igen: 1" in page and "Medarbejdernummer E1" in page


def test_a_removed_person_created_again_by_an_admin_is_kept_in_step_by_the_next_import(
    app: Flask, world: World
) -> None:
    from devtrack.people.models import Person, RemovedEmployee
    from devtrack.people.orgfile import parse_org_file
    from devtrack.people.services import create_person, sync_organisation
    from tests.conftest import SMALL_ORG

    _leave(world, date(2015, 6, 30))
    apply_retention(date.today(), dry_run=False)
    db.session.commit()
    # Emma is hired again: the admin creates her by hand, with her old employee number.
    unit = world.employee.unit
    create_person(employee_number="E1", name="Emma Åkjær", email="emma@test.dk", unit=unit)
    db.session.commit()
    assert db.session.scalar(select(RemovedEmployee)) is None

    # The next HR file lists her, and she is hers again: not reported as removed.
    report = sync_organisation(parse_org_file(SMALL_ORG.encode("utf-8")))
    db.session.commit()
    assert report.changes.removed_people == []
    emma = db.session.scalar(select(Person).where(Person.employee_number == "E1"))
    assert emma is not None and emma.active and emma.email == "emma@test.dk"


def test_rate_limit_windows_of_todays_danish_hours_are_kept_between_23_and_24_utc(
    app: Flask, world: World
) -> None:
    # 23:30 UTC on 2 December is 00:30 on 3 December in Denmark.
    minutes_old = datetime(2026, 12, 2, 23, 20, tzinfo=UTC)  # 00:20 Danish time, today
    yesterday = datetime(2026, 12, 2, 22, 50, tzinfo=UTC)  # 23:50 Danish time, yesterday
    for start in (minutes_old, yesterday):
        db.session.add(RateLimitWindow(key="write:person:1", window_start=start, hits=3))
    db.session.commit()

    apply_retention(date(2026, 12, 3), dry_run=False)
    db.session.commit()

    kept = [as_utc(start) for start in db.session.scalars(select(RateLimitWindow.window_start))]
    assert kept == [minutes_old]


def test_e_mails_to_a_person_who_left_go_and_sent_e_mails_are_kept_a_month(
    app: Flask, world: World
) -> None:
    from devtrack.notifications.models import OutboxMessage

    _leave(world, date(2015, 6, 30))
    today = datetime.now(UTC)
    db.session.add_all(
        [
            OutboxMessage(to_address=world.employee.email, subject="Til Emma", body="..."),
            OutboxMessage(
                to_address=world.own_leader.email,
                subject="Sendt for længe siden",
                body="...",
                created_at=datetime(2020, 1, 1, tzinfo=UTC),
                sent_at=datetime(2020, 1, 1, tzinfo=UTC),
            ),
            OutboxMessage(
                to_address=world.own_leader.email, subject="Sendt i går", body="...", sent_at=today
            ),
            OutboxMessage(to_address=world.own_leader.email, subject="Venter", body="..."),
        ]
    )
    db.session.commit()
    result = outside_app_context(app.test_cli_runner().invoke, args=["devtrack", "retention"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    left = db.session.scalars(select(OutboxMessage.subject).order_by(OutboxMessage.id)).all()
    assert left == ["Sendt i går", "Venter"]
