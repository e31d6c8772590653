"""`flask devtrack retention`: personal content goes a set number of years after employment.

For each person whose employment ended more than `RETENTION_YEARS` ago, every feature's
registered purge runs (`<feature>/personal_data.py`, in registration order): their goals, the
feedback about them, their feedback requests, notifications and MUS preparations are deleted;
their plans keep their agreements' links to the grundlag and their dates (the anonymous counts
the HR reports use) but lose every text. The person becomes "Tidligere medarbejder" with no
e-mail, number or password. Access-log entries older than `ACCESS_LOG_RETENTION_YEARS` are
deleted. Everything is done in bulk SQL in one transaction, and the run itself is logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.cli import database_errors_as_messages
from devtrack.extensions import db
from devtrack.i18n import start_of_danish_day, today_in_denmark
from devtrack.people.models import Person, RemovedEmployee
from devtrack.personal_data import PurgeScope, registered
from devtrack.progress import Progress, quiet_option

ANONYMOUS_DOMAIN = "@devtrack.invalid"


@dataclass
class RetentionReport:
    people: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def due_people(today: date, years: int) -> list[Person]:
    cutoff = _years_before(today, years)
    return list(
        db.session.scalars(
            select(Person)
            .where(
                Person.active.is_(False),
                Person.end_date.is_not(None),
                Person.end_date <= cutoff,
                ~Person.email.endswith(ANONYMOUS_DOMAIN),
            )
            .order_by(Person.id)
        )
    )


def apply_retention(today: date, *, dry_run: bool) -> RetentionReport:
    config = current_app.config
    people = due_people(today, int(config["RETENTION_YEARS"]))
    ids = [person.id for person in people]
    # Danish days: `today` is Denmark's date, so its midnight is Denmark's too (UTC midnight
    # of a Danish date lies up to two hours in the future between 22:00 and 24:00 UTC).
    log_cutoff = start_of_danish_day(
        _years_before(today, int(config["ACCESS_LOG_RETENTION_YEARS"]))
    )
    report = RetentionReport(
        people=[f"{person.name} ({person.employee_number})" for person in people]
    )
    scope = PurgeScope(
        person_ids=ids, start_of_today=start_of_danish_day(today), access_log_before=log_cutoff
    )
    statements = [step for hooks in registered() if hooks.purge for step in hooks.purge(scope)]
    if dry_run:
        for name, statement in statements:
            table = statement.table
            where = statement.whereclause  # type: ignore[attr-defined]
            report.counts[name] = int(
                db.session.scalar(select(db.func.count()).select_from(table).where(where)) or 0
            )
        return report
    for name, statement in statements:
        result = db.session.execute(statement.execution_options(synchronize_session=False))
        report.counts[name] = int(getattr(result, "rowcount", 0))
    for person in people:
        # A tombstone: the next organisation file that still lists them creates no one.
        db.session.add(RemovedEmployee(employee_number=person.employee_number))
        person.name = "Tidligere medarbejder"
        person.email = f"slettet-{person.id}{ANONYMOUS_DOMAIN}"
        person.employee_number = f"slettet-{person.id}"
        person.password_hash = None
        person.language = None
        person.last_signin_at = None
        person.session_version += 1
    report.counts["people_anonymised"] = len(people)
    log_access(
        AccessAction.DELETE,
        object_type="retention",
        detail=", ".join(f"{name}={count}" for name, count in report.counts.items()),
    )
    db.session.flush()
    return report


@click.command("retention")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Vis, hvad der ville blive slettet, uden at slette.")
@quiet_option
@database_errors_as_messages
def retention_command(dry_run: bool, quiet: bool) -> None:
    """Slet personligt indhold for personer, der er fratrådt for mere end N år siden."""
    with Progress("Opbevaringsperiode", 2, quiet=quiet) as progress:
        report = apply_retention(today_in_denmark(), dry_run=dry_run)
        progress.step("optalt" if dry_run else "slettet")
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
        progress.step("færdig")
    years = current_app.config["RETENTION_YEARS"]
    click.echo(f"Personer fratrådt for mere end {years} år siden: {len(report.people)}")
    for name in report.people:
        click.echo(f"  {name}")
    for name, count in report.counts.items():
        click.echo(f"  {name}: {count}")
    rows = sum(report.counts.values())
    if dry_run:
        progress.done(f"Prøvekørsel: intet er slettet; {rows} rækker ville blive berørt.")
    else:
        progress.done(f"Opbevaringsperioden er håndhævet: {rows} rækker slettet eller tømt.")
