"""Fixtures: the app on a real database (SQLite file or throw-away PostgreSQL), clients, people.

`DEVTRACK_TEST_DATABASE=postgresql` runs the suite on a PostgreSQL server started with
`pgserver`; anything else runs it on a SQLite file. The schema is built by the Alembic
migrations only, once per session; every test starts from empty tables.
"""

from __future__ import annotations

import atexit
import contextvars
import functools
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, select, text
from sqlalchemy.pool import QueuePool

from devtrack import create_app
from devtrack.auth.passwords import hash_password
from devtrack.extensions import db
from devtrack.people.models import Person
from devtrack.people.orgfile import parse_org_file
from devtrack.people.services import sync_organisation

DATABASE = os.environ.get("DEVTRACK_TEST_DATABASE", "sqlite")

# The maintenance flag of every app this run builds (its servers' too) lives in a folder of
# the run's own, never in the project's `instance/`: a restore test raising it there closed
# devtrack for the other database's run going on beside it (`make test` runs both at once).
_RUN_FOLDER = tempfile.mkdtemp(prefix="devtrack-test-")
atexit.register(shutil.rmtree, _RUN_FOLDER, ignore_errors=True)
os.environ["DEVTRACK_MAINTENANCE_FLAG_FILE"] = str(Path(_RUN_FOLDER) / "maintenance")
# argon2 at its lowest costs for every app this run builds (its servers and commands too): the
# suite hashes and checks passwords some thousand times, each 0.15 s at production's costs
# (tests/auth/test_signin.py checks that a hash made at other costs is re-hashed).
for _setting in ("TIME_COST", "MEMORY_KIB", "PARALLELISM"):
    os.environ[f"DEVTRACK_PASSWORD_HASH_{_setting}"] = "8" if _setting == "MEMORY_KIB" else "1"
PASSWORD = "korrekt hest batteri hæfteklamme"
_PASSWORD_HASH: list[str] = []


def pytest_report_header() -> str:
    return f"devtrack database: {DATABASE}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # A skipped or xfailed test is a test that did not run: the suite fails.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and (reporter.stats.get("skipped") or reporter.stats.get("xfailed")):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if DATABASE == "postgresql":
        import pgserver

        pgdata = tmp_path_factory.mktemp("pgdata")
        server = pgserver.get_server(pgdata, cleanup_mode="delete")  # type: ignore[attr-defined]
        # A throw-away server: nothing needs to survive a crash, so commits need not wait
        # for the disk (the suite's PostgreSQL run took half again as long waiting on fsync).
        for setting in ("fsync = off", "synchronous_commit = off", "full_page_writes = off"):
            server.psql(f"ALTER SYSTEM SET {setting};")
        server.psql("SELECT pg_reload_conf();")
        server.psql("CREATE DATABASE devtrack_test;")
        yield server.get_uri("devtrack_test")
        server.cleanup()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'devtrack-test.sqlite3'}"


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production, not in the test's.

    Tests hold an app context to use the database; without this, requests would share its
    `g` (the signed-in user, the CSRF token) and its database session.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        # An empty context: no app context, no request context, as for a real request.
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if _cv_app.get(None) is not None:
            db.session.expire_all()  # the test's objects see what the request changed
        return response


def outside_app_context(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call something (a CLI command of another app) without the test's app context."""
    return contextvars.Context().run(function, *args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SERVER_NAME": None,
            # Tests post far faster than people; the limits have their own tests.
            "WRITE_RATE_LIMIT": 100_000,
            "SIGNIN_RATE_LIMIT": 100_000,
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


AppFactory = Callable[[dict[str, Any]], Flask]


@pytest.fixture
def make_app() -> Iterator[AppFactory]:
    """Build extra apps for a test and close their database connections afterwards.

    An app's engine left to the garbage collector closes nothing: psycopg then warns that a
    connection was deleted while open, and the warning lands on whichever test runs next.
    """
    made: list[Flask] = []

    def build(config: dict[str, Any]) -> Flask:
        built = create_app(config)
        made.append(built)
        return built

    yield build
    held = []
    for built in made:
        with built.app_context():
            # A connection still out of the pool now is held by something outside the app's
            # requests (e.g. a test's object lazy-loading through this app's engine); left
            # open, psycopg's ResourceWarning would fail whichever test runs next.
            pool = db.engine.pool
            held.append(pool.checkedout() if isinstance(pool, QueuePool) else 0)
            db.engine.dispose()
    assert not any(held), f"connections of an app built by this test are still held: {held}"


def _empty_all_tables() -> None:
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # A test leaves a few rows: deleting them and restarting the ids, sent as one
            # batch, takes a tenth of TRUNCATE's time (which makes every table anew).
            # Table names come from our own metadata, never from input.
            sequences = connection.execute(
                text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
            ).scalars()
            batch = ["UPDATE org_unit SET leader_id = NULL"]
            batch += [f"DELETE FROM {table}" for table in tables]  # noqa: S608
            batch += [f"ALTER SEQUENCE {sequence} RESTART" for sequence in sequences]
            connection.exec_driver_sql(";\n".join(batch))
        else:
            connection.execute(text("UPDATE org_unit SET leader_id = NULL"))
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608


@pytest.fixture(autouse=True)
def _clean_database(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield
        db.session.remove()
        _empty_all_tables()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf_token(client: FlaskClient) -> str:
    """The CSRF token of the client's session, as a page's form carries it."""
    for path in ("/tilgaengelighed", "/log-ind"):
        match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
        if match:
            return match.group(1)
    raise AssertionError("no page offered a CSRF token")


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client), **(data or {})}, **kwargs)


def upload_org_file(client: FlaskClient, content: bytes) -> Any:
    """The administrator's upload of an organisation file on the import page (its preview)."""
    return post(
        client,
        "/admin/import",
        {"file": (io.BytesIO(content), "org.csv")},
        content_type="multipart/form-data",
    )


def give_password(person: Person) -> None:
    if not _PASSWORD_HASH:
        _PASSWORD_HASH.append(hash_password(PASSWORD))
    person.password_hash = _PASSWORD_HASH[0]
    db.session.commit()


def sign_in(client: FlaskClient, person: Person) -> None:
    if person.password_hash is None:
        give_password(person)
    response = post(client, "/log-ind", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 302, response.text


SMALL_ORG = """\ufefftype;id;navn;overordnet;leder;email;enhed;startdato;slutdato
enhed;1;Direktionen;;D1;;;;
enhed;2;Center for Børn;1;C1;;;;
enhed;3;Team Æblehaven;2;LA;;;;
enhed;4;Team Ørnereden;2;LB;;;;
person;D1;Dorte Direktør;;;dorte@test.dk;1;2010-01-01;
person;C1;Carl Centerchef;;;carl@test.dk;2;2011-01-01;
person;LA;Lise Æbeltoft;;;lise@test.dk;3;2012-01-01;
person;LB;Bo Ørsted;;;bo@test.dk;4;2012-01-01;
person;E1;Emma Åkjær;;;emma@test.dk;3;2015-01-01;
person;E2;Erik Østergaard;;;erik@test.dk;3;2016-01-01;
person;E3;Eva Bøgh;;;eva@test.dk;4;2017-01-01;
person;H1;Hanne HR;;;hanne@test.dk;2;2013-01-01;
person;A1;Adam Admin;;;adam@test.dk;1;2013-01-01;
"""


@dataclass
class Org:
    """A small organisation: a direktion, a centre and two teams, each with its leader."""

    people: dict[str, Person]

    @property
    def employee(self) -> Person:
        return self.people["E1"]

    @property
    def colleague(self) -> Person:
        return self.people["E2"]

    @property
    def own_leader(self) -> Person:
        return self.people["LA"]

    @property
    def other_leader(self) -> Person:
        return self.people["LB"]

    @property
    def hr(self) -> Person:
        return self.people["H1"]

    @property
    def admin(self) -> Person:
        return self.people["A1"]


@pytest.fixture
def org(app: Flask) -> Org:
    return make_org()


def make_org() -> Org:
    sync_organisation(parse_org_file(SMALL_ORG.encode("utf-8")))
    people = {person.employee_number: person for person in db.session.query(Person)}
    people["H1"].is_hr = True
    people["A1"].is_admin = True
    db.session.commit()
    return Org(people)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """Count the SQL statements run inside a `with count_queries() as counter:` block."""
    from contextlib import contextmanager

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counting


SEED_DIR = Path(__file__).resolve().parent.parent / "seed"


@pytest.fixture
def grundlag(org: Org) -> Org:
    return add_grundlag(org)


def add_grundlag(org: Org) -> Org:
    """The small organisation with Albertslund's grundlag in use."""
    from devtrack.grundlag.services import import_grundlag, put_in_use

    put_in_use(import_grundlag(_seed_grundlag()).framework)
    db.session.commit()
    return org


@functools.cache
def _seed_grundlag() -> Any:
    """Albertslund's grundlag, read once a run (the importers never change a document)."""
    from devtrack.grundlag.importer import parse_grundlag

    return parse_grundlag((SEED_DIR / "grundlag" / "albertslund.yaml").read_text("utf-8"))


@functools.cache
def _seed_template(kind: str) -> Any:
    from devtrack.conversation_templates.importer import parse_template

    return parse_template((SEED_DIR / "templates" / f"{kind}.yaml").read_text("utf-8"))


def choice(element_key: str, statement_key: str | None = None) -> Any:
    """A `GrundlagChoice` of the grundlag in use, as a form would resolve it."""
    from devtrack.grundlag.links import resolve_choice, version_for_choices
    from devtrack.grundlag.models import BehaviourStatement, Framework, GrundlagElement

    # The framework in use's element: another imported grundlag may use the same key.
    element = db.session.scalar(
        select(GrundlagElement)
        .join(Framework, Framework.id == GrundlagElement.framework_id)
        .where(Framework.in_use.is_(True), GrundlagElement.key == element_key)
    )
    assert element is not None, element_key
    if statement_key is None:
        return resolve_choice(f"e{element.id}", version_for_choices())
    statement = db.session.scalar(
        select(BehaviourStatement).where(
            BehaviourStatement.element_id == element.id, BehaviourStatement.key == statement_key
        )
    )
    assert statement is not None, statement_key
    return resolve_choice(f"s{statement.id}", version_for_choices())


def form_value(element_key: str, statement_key: str | None = None) -> str:
    """The value a form posts for an element (`e<id>`) or a behaviour statement (`s<id>`)."""
    found = choice(element_key, statement_key)
    if statement_key is None:
        return f"e{found.element_version.element_id}"
    return f"s{found.statement_version.statement_id}"


@dataclass
class World(Org):
    """The small organisation with one of each personal object, all about the employee."""

    shared_goal_id: int = 0
    draft_goal_id: int = 0
    leader_feedback_id: int = 0
    colleague_feedback_id: int = 0
    request_id: int = 0
    notification_id: int = 0
    round_id: int = 0
    conversation_id: int = 0
    agreement_id: int = 0
    template_version_id: int = 0


def new_round(
    creator: Person, unit_id: int, *, title: str = "MUS 2027", deadline: Any = None
) -> Any:
    """A MUS round for the unit and its subtree on the grundlag the forms offer (not opened)."""
    from datetime import date

    from devtrack.conversations.models import RoundKind
    from devtrack.conversations.services import create_round
    from devtrack.grundlag.links import version_for_choices

    version = version_for_choices()
    assert version is not None
    return create_round(
        kind=RoundKind.MUS,
        title=title,
        deadline=deadline or date(2099, 1, 31),
        unit_ids=[unit_id],
        version=version,
        creator=creator,
    )


@pytest.fixture
def world(grundlag: Org) -> World:
    return make_world(grundlag)


def fresh_world() -> World:
    """Empty tables and the world again, within one test (for a test that made changes)."""
    db.session.remove()
    _empty_all_tables()
    return make_world(add_grundlag(make_org()))


def make_world(grundlag: Org) -> World:
    """The small organisation with the grundlag, and one of each personal object, all about
    the employee."""
    from datetime import date

    from devtrack.conversation_templates.services import import_template, make_default
    from devtrack.conversations.models import Conversation, DevelopmentKind
    from devtrack.conversations.services import (
        AgreementText,
        add_agreement,
        open_round,
        plan_of,
    )
    from devtrack.feedback.services import ask_for_feedback, give_feedback
    from devtrack.goals.services import create_goal
    from devtrack.notifications.models import Notification

    org = grundlag
    # The shipped MUS template, as the round below would import it on first use (read once
    # a run).
    make_default(import_template(_seed_template("mus")).template)
    shared = create_goal(
        org.employee,
        title="Tage ordet på personalemøder",
        description="Jeg vil sige min mening, også når den er upopulær.",
        target_date=None,
        choices=[choice("mod")],
        share=True,
    )
    draft = create_goal(
        org.employee,
        title="Et hemmeligt udkast",
        description="",
        target_date=None,
        choices=[choice("helhed")],
        share=False,
    )
    leader_feedback = give_feedback(
        org.own_leader,
        org.employee,
        text="Jeg så mod, da du tog ordet på mødet.",
        situation_date=date(2026, 11, 2),
        choice=choice("mod", "s1"),
    )
    colleague_feedback = give_feedback(
        org.colleague,
        org.employee,
        text="Tak for hjælpen med vagtplanen.",
        situation_date=date(2026, 11, 3),
        choice=choice("relationer"),
    )
    (request,) = ask_for_feedback(
        org.employee, [org.colleague], choice=choice("helhed"), message="Hvordan gik overdragelsen?"
    )
    conversation_round = new_round(org.hr, org.employee.unit_id)
    open_round(conversation_round)
    conversation = db.session.scalars(
        select(Conversation).where(Conversation.employee_id == org.employee.id)
    ).one()
    agreement = add_agreement(
        plan_of(conversation),
        org.own_leader,
        AgreementText(
            what="Kursus i konflikthåndtering",
            kind=DevelopmentKind.COURSE,
            who_does_what="",
            deadline=None,
            success="",
        ),
        [choice("mod")],
    )
    db.session.commit()
    notification = db.session.scalar(
        select(Notification).where(Notification.person_id == org.employee.id).limit(1)
    )
    assert notification is not None
    return World(
        people=org.people,
        shared_goal_id=shared.id,
        draft_goal_id=draft.id,
        leader_feedback_id=leader_feedback.id,
        colleague_feedback_id=colleague_feedback.id,
        request_id=request.id,
        notification_id=notification.id,
        round_id=conversation_round.id,
        conversation_id=conversation.id,
        agreement_id=agreement.id,
        template_version_id=conversation_round.template_version_id,
    )
