"""`flask devtrack demo`: a demo municipality, loaded through the real import code.

The command itself is declared in `devtrack/commands.py` and imports this module only when it
runs, so no web worker ever loads demo code.
"""

from __future__ import annotations

import click
from sqlalchemy import func, select

from devtrack.auth.services import find_by_email, set_password
from devtrack.conversation_templates.importer import parse_template
from devtrack.conversation_templates.models import TemplateKind
from devtrack.conversation_templates.services import import_template, make_default
from devtrack.demo import DEMO_PASSWORD, DEMO_SIGNINS
from devtrack.demo.activity import load_demo_activity, load_demo_rounds
from devtrack.demo.large import analyse, large_demo_summary, load_large_demo
from devtrack.extensions import db
from devtrack.grundlag.importer import parse_grundlag
from devtrack.grundlag.services import import_grundlag, put_in_use
from devtrack.i18n import today_in_denmark
from devtrack.paths import resource
from devtrack.people.models import Person
from devtrack.people.orgfile import parse_org_file
from devtrack.people.services import sync_organisation
from devtrack.progress import NO_PROGRESS, RowProgress

SEED = resource("seed")


def load_templates() -> None:
    """Every shipped conversation template; `<kind>.yaml` is the default for its kind."""
    for path in sorted((SEED / "templates").glob("*.yaml")):
        result = import_template(parse_template(path.read_text("utf-8")))
        if path.stem in {kind.value for kind in TemplateKind}:
            make_default(result.template)


def load_demo(grundlag: str) -> None:
    document = parse_grundlag((SEED / "grundlag" / f"{grundlag}.yaml").read_text("utf-8"))
    put_in_use(import_grundlag(document).framework)
    load_templates()
    sync_organisation(parse_org_file((SEED / "demo" / "organisation.csv").read_bytes()))
    people = {person.email: person for person in db.session.scalars(select(Person))}
    for _role, email in DEMO_SIGNINS:
        person = people[email]
        person.is_admin = _role == "Administrator"
        person.is_hr = _role == "HR"
    for person in people.values():
        if person.password_hash is None:
            set_password(person, DEMO_PASSWORD)
    db.session.flush()
    if load_demo_activity(today_in_denmark()):
        hr = people[DEMO_SIGNINS[1][1]]
        load_demo_rounds(today_in_denmark(), hr)


def run_demo(
    grundlag: str, if_empty: bool, employees: int | None, progress: RowProgress = NO_PROGRESS
) -> str:
    """What `flask devtrack demo` does, with the options it was given; returns what it did, in
    a sentence for the command's last line."""
    people = db.session.scalar(select(func.count()).select_from(Person)) or 0
    if employees is not None:
        return _large_demo(grundlag, employees, if_empty, people, progress)
    if if_empty and people:
        done = "Databasen har allerede data; demoen indlæses ikke igen."
    else:
        load_demo(grundlag)
        db.session.commit()
        done = f"Demokommunen er klar med {grundlag}s grundlag."
    if find_by_email(DEMO_SIGNINS[0][1]) is not None:
        click.echo(f"Log ind på http://127.0.0.1:5000 med adgangskoden {DEMO_PASSWORD}:")
        for role, email in DEMO_SIGNINS:
            click.echo(f"  {role:30} {email}")
    return done


def _large_demo(
    grundlag: str, employees: int, if_empty: bool, people: int, progress: RowProgress
) -> str:
    """`--employees N`: the grundlag as in `load_demo`, then a large organisation in bulk."""
    if people:
        if if_empty:
            return "Databasen har allerede data; demoen indlæses ikke igen."
        raise click.ClickException(
            f"Den store demokommune bygges kun i en tom database, og der er allerede {people} "
            "personer. Brug en ny database (DATABASE_URL), og kør 'flask db upgrade' først."
        )
    document = parse_grundlag((SEED / "grundlag" / f"{grundlag}.yaml").read_text("utf-8"))
    put_in_use(import_grundlag(document).framework)
    load_templates()
    built = load_large_demo(
        employees, password=DEMO_PASSWORD, today=today_in_denmark(), progress=progress
    )
    db.session.commit()
    analyse()
    summary, *signins = large_demo_summary(built, DEMO_PASSWORD)
    for line in signins:
        click.echo(line)
    return summary
