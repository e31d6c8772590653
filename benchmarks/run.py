"""`make bench`: devtrack at the size of Denmark's largest municipality, measured.

For each database (PostgreSQL through pgserver, and SQLite) this builds the large demo
organisation once (`flask devtrack demo --employees N`, reused while its marker file says it is
built at that size), then:

1. counts each page's SQL queries through the Flask test client, EXPLAINs every query the pages
   and reports run, and times the HR report services and their raw-SQL floors in-process;
2. serves devtrack with gunicorn as in production and drives it with wrk, signed in as a real
   employee, leader and HR person: the floor (`GET /healthz`), then every page on its own;
3. runs the realistic mix (benchmarks/mix.py): hundreds of people signed in, each request a
   different person and page, about one in ten a write through the real form;
4. reads the gunicorn workers' resident memory after the mix;

and writes `benchmarks/results.json` and `benchmarks/RESULTS.md`. See benchmarks/README.md.

    BENCH_DB=postgresql|sqlite|both (default both)   BENCH_EMPLOYEES=45000
    BENCH_DURATION=10 (seconds per page)             BENCH_CONNECTIONS=4
    BENCH_MIX_DURATION=30 (seconds of the mix)       BENCH_MIX_PEOPLE=500,50,5 (employees,
                                                     leaders, HR people signed in for the mix)
"""

from __future__ import annotations

import argparse
import contextvars
import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from mix import choose_visitors, run_mix, sign_in_all

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH = ROOT / "benchmarks"
DATA = BENCH / "data"
BIN = Path(sys.executable).parent
LUA = BENCH / "wrk_report.lua"
# The EXPLAIN plans of every run, kept beside the databases so RESULTS.md can show both runs.
PLANS = DATA / "plans.json"
SECRET_KEY = "benchmark-only-secret-key-not-for-production"  # noqa: S105  (local runs only)
# The pages a signed-in person uses; each, rendered fresh, must serve this share of the floor.
PERSONAL_SHARE = 0.20
QUERY_CEILING = 8
MIX_P95_MS = 30.0
REPORT_RATIO = 1.5
REPORT_MS_AT_SIZE = 1000.0
RSS_MB = 150.0
LARGE_TABLE_ROWS = 10_000


# --- Databases ----------------------------------------------------------------------------


@dataclass
class Database:
    kind: str  # "postgresql" or "sqlite"
    url: str  # what DATABASE_URL gets
    employees: int
    sqlite_path: Path | None = None

    @property
    def marker(self) -> Path:
        return DATA / f"{self.kind}-{self.employees}.built.json"

    def connect(self) -> Any:
        """A plain driver connection (sqlite3 / psycopg) for the raw-SQL floors."""
        if self.sqlite_path is not None:
            return sqlite3.connect(self.sqlite_path)
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def sql(self, statement: str) -> str:
        """Named `:parameters` in the driver's own style."""
        if self.kind == "postgresql":
            return re.sub(r"(?<!:):(\w+)", r"%(\1)s", statement)
        return statement

    def moment(self, value: datetime) -> Any:
        """A timestamp as devtrack stores it (SQLite: SQLAlchemy's text form, in UTC)."""
        if self.kind == "sqlite":
            return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return value


def flask(database: Database, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "FLASK_APP": "wsgi",
        "DEVTRACK_SECRET_KEY": SECRET_KEY,
    }
    done = subprocess.run(
        [str(BIN / "flask"), *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def open_database(kind: str, employees: int) -> tuple[Database, Any]:
    """The database for this run, started (PostgreSQL) and migrated; a handle to keep."""
    DATA.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        path = DATA / f"devtrack-{employees}.sqlite3"
        database = Database(kind, f"sqlite:///{path}", employees, path)
        if not path.exists():
            database.marker.unlink(missing_ok=True)
        return database, None
    import pgserver

    server = pgserver.get_server(DATA / "pgdata", cleanup_mode="stop")  # type: ignore[attr-defined]
    name = f"devtrack_{employees}"
    database = Database(kind, server.get_uri(name), employees)
    exists = f"SELECT count(*) FROM pg_database WHERE datname = '{name}';"  # noqa: S608
    if " 1\n" not in server.psql(exists):
        database.marker.unlink(missing_ok=True)
    if not database.marker.exists():
        server.psql(f"DROP DATABASE IF EXISTS {name};")
        server.psql(f"CREATE DATABASE {name};")
    return database, server


def build(database: Database) -> dict[str, Any]:
    """Build the large organisation unless the marker says it is already built at this size."""
    if database.marker.exists():
        marker: dict[str, Any] = json.loads(database.marker.read_text("utf-8"))
        print(f"  genbruger {database.kind}-databasen med {database.employees} medarbejdere")
        flask(database, "db", "upgrade")
        return marker
    if database.sqlite_path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database.sqlite_path}{suffix}").unlink(missing_ok=True)
    flask(database, "db", "upgrade")
    print(f"  bygger {database.kind}-databasen med {database.employees} medarbejdere …")
    started = time.perf_counter()
    output = flask(database, "devtrack", "demo", "--employees", str(database.employees))
    seconds = time.perf_counter() - started
    print("    " + "\n    ".join(output.strip().splitlines()))
    reported = re.search(r"Det tog ([\d,]+) sekunder", output)
    signins = dict(
        re.findall(r"^\s+(Administrator|HR|Leder|Medarbejder)\S*.*?(\S+@\S+)$", output, re.M)
    )
    marker = {
        "database": database.kind,
        "employees": database.employees,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "demo_seconds": float(reported.group(1).replace(",", ".")) if reported else seconds,
        "demo_wall_seconds": round(seconds, 1),
        "signins": signins,
    }
    database.marker.write_text(json.dumps(marker, indent=2), "utf-8")
    return marker


# --- What to measure ----------------------------------------------------------------------


@dataclass
class Subjects:
    """The people and objects the pages are measured with."""

    emails: dict[str, str]  # role -> e-mail
    goal_id: int
    conversation_id: int
    element_key: str
    centre_id: int
    round_id: int
    element_ids: list[int]
    start: datetime
    end: datetime
    rows: dict[str, int]

    def pages(self) -> dict[str, tuple[str, str]]:
        """name -> (role, path); the personal pages first, then HR's reports."""
        return {
            "front": ("employee", "/"),
            "timeline": ("employee", "/tidslinje/"),
            "goals": ("employee", "/maal/"),
            "goal": ("employee", f"/maal/{self.goal_id}"),
            "feedback": ("employee", "/feedback/"),
            "my_mus": ("employee", "/samtaler/"),
            "conversation": ("employee", f"/samtaler/{self.conversation_id}"),
            "plan": ("employee", f"/samtaler/{self.conversation_id}/plan"),
            "element": ("employee", f"/grundlag/{self.element_key}"),
            "team": ("leader", "/mine-medarbejdere"),
            "coverage": ("hr", "/hr/rapporter/daekning"),
            "coverage_centre": ("hr", f"/hr/rapporter/daekning?enhed={self.centre_id}"),
            "completion": ("hr", "/hr/rapporter/gennemfoersel"),
            "coverage_csv": ("hr", "/hr/rapporter/daekning.csv"),
        }


REPORTS = ("coverage", "coverage_centre", "completion", "coverage_csv")
COUNTED = (
    "person", "org_unit", "goal", "goal_link", "goal_event", "feedback", "feedback_request",
    "conversation", "development_plan", "agreement", "agreement_link", "follow_up",
    "preparation", "preparation_topic", "access_log",
)  # fmt: skip


def find_subjects(database: Database, marker: dict[str, Any]) -> Subjects:
    signins = marker["signins"]
    emails = {"employee": signins["Medarbejder"], "leader": signins["Leder"], "hr": signins["HR"]}
    connection = database.connect()
    try:
        cursor = connection.cursor()

        def one(statement: str, **values: Any) -> Any:
            cursor.execute(database.sql(statement), values)
            row = cursor.fetchone()
            if row is None:
                raise SystemExit(f"Fandt intet med: {statement}")
            return row[0]

        employee = one("SELECT id FROM person WHERE email = :email", email=emails["employee"])
        goal_id = one(
            "SELECT id FROM goal WHERE owner_id = :owner AND shared_at IS NOT NULL "
            "ORDER BY created_at DESC LIMIT 1",
            owner=employee,
        )
        conversation_id = one(
            "SELECT c.id FROM conversation c JOIN development_plan p ON p.conversation_id = c.id "
            "WHERE c.employee_id = :employee ORDER BY c.invited_at DESC LIMIT 1",
            employee=employee,
        )
        element_key = one(
            "SELECT e.key FROM grundlag_element e JOIN feedback f ON f.element_id = e.id "
            "GROUP BY e.key ORDER BY count(*) DESC LIMIT 1"
        )
        round_id = one("SELECT id FROM conversation_round ORDER BY deadline DESC, id DESC LIMIT 1")
        # The report's default part: the first part of the grundlag version in use.
        version = one(
            "SELECT v.id FROM framework_version v JOIN framework f ON f.id = v.framework_id "
            "WHERE f.in_use ORDER BY v.number DESC LIMIT 1"
        )
        part = one(
            "SELECT id FROM grundlag_part WHERE version_id = :version ORDER BY position LIMIT 1",
            version=version,
        )
        cursor.execute(
            database.sql("SELECT element_id FROM element_version WHERE part_id = :part"),
            {"part": part},
        )
        element_ids = [int(row[0]) for row in cursor.fetchall()]
        # The centre with the most units below it.
        cursor.execute("SELECT id, parent_id FROM org_unit")
        parents = dict(cursor.fetchall())
        top = next(unit for unit, parent in parents.items() if parent is None)

        def centre_of(unit: int) -> int | None:
            while parents[unit] is not None and parents[unit] != top:
                unit = parents[unit]
            return unit if parents[unit] == top else None

        below: dict[int, int] = {}
        for unit in parents:
            centre = centre_of(unit)
            if centre is not None:
                below[centre] = below.get(centre, 0) + 1
        rows = {}
        for table in COUNTED:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608  (our own table names)
            rows[table] = int(cursor.fetchone()[0])
    finally:
        connection.close()
    from devtrack.i18n import today_in_denmark

    today = today_in_denmark()
    return Subjects(
        emails=emails,
        goal_id=int(goal_id),
        conversation_id=int(conversation_id),
        element_key=str(element_key),
        centre_id=max(below, key=below.__getitem__),
        round_id=int(round_id),
        element_ids=element_ids,
        start=_midnight(today - timedelta(days=365)),
        end=_midnight(today + timedelta(days=1)),
        rows=rows,
    )


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# --- The raw-SQL floors: the same figures, the single best query, straight on the driver ----

CLOSURE = """
closure(ancestor, unit) AS (
    SELECT id, id FROM org_unit WHERE active
    UNION ALL
    SELECT closure.ancestor, child.id
    FROM closure JOIN org_unit child ON child.parent_id = closure.unit
    WHERE child.active
)"""

COVERAGE_SQL = """
WITH RECURSIVE {closure},
people(id, unit_id) AS (
    SELECT id, unit_id FROM person WHERE active {scope}
),
working(person_id, unit_id, element_id) AS (
    SELECT p.id, p.unit_id, gl.element_id
    FROM people p
    JOIN goal g ON g.owner_id = p.id
    JOIN goal_link gl ON gl.goal_id = g.id
    WHERE gl.element_id IN ({ids}) AND g.shared_at IS NOT NULL AND g.created_at < :end
      AND (g.status IN ('active', 'paused') OR g.updated_at >= :start)
    UNION
    SELECT p.id, p.unit_id, al.element_id
    FROM people p
    JOIN conversation c ON c.employee_id = p.id
    JOIN development_plan dp ON dp.conversation_id = c.id
    JOIN agreement a ON a.plan_id = dp.id
    JOIN agreement_link al ON al.agreement_id = a.id
    WHERE al.element_id IN ({ids}) AND a.created_at < :end
      AND (a.status IN ('not_started', 'under_way') OR c.held_at >= :start)
),
per_unit(unit_id, element_id, people, feedback) AS (
    SELECT unit_id, element_id, count(*), 0
    FROM working GROUP BY unit_id, element_id
    UNION ALL
    SELECT p.unit_id, f.element_id, 0, count(*)
    FROM people p JOIN feedback f ON f.receiver_id = p.id
    WHERE f.element_id IN ({ids}) AND f.created_at >= :start AND f.created_at < :end
    GROUP BY p.unit_id, f.element_id
    UNION ALL
    SELECT unit_id, NULL, count(*), 0 FROM people GROUP BY unit_id
)
SELECT closure.ancestor, per_unit.element_id, sum(per_unit.people), sum(per_unit.feedback)
FROM closure JOIN per_unit ON per_unit.unit_id = closure.unit
{where}
GROUP BY closure.ancestor, per_unit.element_id
"""

# The same figures, the other way round: element links first, people joined last. Which of the
# two is faster depends on the database and the scope; the floor is the faster one.
COVERAGE_BY_LINKS_SQL = """
WITH RECURSIVE {closure},
working(person_id, element_id) AS (
    SELECT g.owner_id, gl.element_id
    FROM goal g JOIN goal_link gl ON gl.goal_id = g.id
    WHERE gl.element_id IN ({ids}) AND g.shared_at IS NOT NULL AND g.created_at < :end
      AND (g.status IN ('active', 'paused') OR g.updated_at >= :start)
    UNION
    SELECT c.employee_id, al.element_id
    FROM conversation c
    JOIN development_plan dp ON dp.conversation_id = c.id
    JOIN agreement a ON a.plan_id = dp.id
    JOIN agreement_link al ON al.agreement_id = a.id
    WHERE al.element_id IN ({ids}) AND a.created_at < :end
      AND (a.status IN ('not_started', 'under_way') OR c.held_at >= :start)
),
per_unit(unit_id, element_id, people, feedback) AS (
    SELECT p.unit_id, w.element_id, count(DISTINCT w.person_id), 0
    FROM working w JOIN person p ON p.id = w.person_id
    WHERE p.active {scope}
    GROUP BY p.unit_id, w.element_id
    UNION ALL
    SELECT p.unit_id, f.element_id, 0, count(*)
    FROM feedback f JOIN person p ON p.id = f.receiver_id
    WHERE p.active {scope}
      AND f.element_id IN ({ids}) AND f.created_at >= :start AND f.created_at < :end
    GROUP BY p.unit_id, f.element_id
    UNION ALL
    SELECT p.unit_id, NULL, count(*), 0 FROM person p WHERE p.active {scope} GROUP BY p.unit_id
)
SELECT closure.ancestor, per_unit.element_id, sum(per_unit.people), sum(per_unit.feedback)
FROM closure JOIN per_unit ON per_unit.unit_id = closure.unit
{where}
GROUP BY closure.ancestor, per_unit.element_id
"""

COMPLETION_SQL = """
WITH RECURSIVE {closure},
per_unit AS (
    SELECT unit_id, count(*) AS invited, count(booked_for) AS booked,
           count(prepared_at) AS prepared, count(held_at) AS held,
           count(acknowledged_at) AS acknowledged, count(followed_up_at) AS followed_up
    FROM conversation WHERE round_id = :round GROUP BY unit_id
)
SELECT closure.ancestor, sum(invited), sum(booked), sum(prepared), sum(held),
       sum(acknowledged), sum(followed_up)
FROM closure JOIN per_unit ON per_unit.unit_id = closure.unit
GROUP BY closure.ancestor
UNION ALL
SELECT -r.id, count(c.id), 0, 0, count(c.held_at), count(c.acknowledged_at), 0
FROM conversation_round r JOIN conversation c ON c.round_id = r.id
WHERE r.kind = (SELECT kind FROM conversation_round WHERE id = :round)
GROUP BY r.id
"""


Candidates = list[tuple[str, str, dict[str, Any]]]  # (label, SQL, parameters)


def raw_sql(subjects: Subjects, centre: int | None) -> dict[str, Candidates]:
    """Each report's candidate queries for its floor; each computes all its figures at once."""
    ids = ", ".join(str(element_id) for element_id in subjects.element_ids) or "NULL"
    subtree = "(SELECT unit FROM closure WHERE ancestor = :centre)"
    whole, centre_only = (
        {"scope": "", "where": ""},
        {
            "scope": f"AND unit_id IN {subtree}",
            "where": f"WHERE closure.ancestor IN {subtree}",
        },
    )
    period = {"start": subjects.start, "end": subjects.end}

    def both(scope: dict[str, str], values: dict[str, Any]) -> Candidates:
        by_links = {**scope, "scope": scope["scope"].replace("unit_id", "p.unit_id")}
        return [
            ("people first", COVERAGE_SQL.format(closure=CLOSURE, ids=ids, **scope), values),
            (
                "links first",
                COVERAGE_BY_LINKS_SQL.format(closure=CLOSURE, ids=ids, **by_links),
                values,
            ),
        ]

    completion = COMPLETION_SQL.format(closure=CLOSURE)
    return {
        "coverage": both(whole, period),
        "coverage_centre": both(centre_only, {**period, "centre": centre}),
        "completion": [("per unit", completion, {"round": subjects.round_id})],
        "coverage_csv": both(whole, period),
    }


def median_ms(run: Callable[[], object], repeat: int = 5) -> float:
    run()  # warm the caches
    times = []
    for _number in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def time_raw_sql(
    database: Database, subjects: Subjects
) -> tuple[dict[str, float], dict[str, list[Any]], dict[str, str]]:
    """Each report's floor in ms (its fastest candidate), and its figures (to check that they
    are the report's figures)."""
    connection = database.connect()
    timings, figures, labels = {}, {}, {}
    try:
        for name, candidates in raw_sql(subjects, subjects.centre_id).items():
            results = []
            for label, statement, values in candidates:
                parameters = {
                    key: database.moment(value) if isinstance(value, datetime) else value
                    for key, value in values.items()
                }

                def run(statement: str = statement, parameters: dict[str, Any] = parameters) -> Any:
                    cursor = connection.cursor()
                    cursor.execute(database.sql(statement), parameters)
                    return cursor.fetchall()

                results.append((median_ms(run), label, sorted(run(), key=repr)))
            ms, label, rows = min(results, key=lambda result: result[0])
            if any(other != rows for _ms, _label, other in results):
                print(f"    advarsel: de rå SQL-forespørgsler for {name} giver ikke det samme")
            print(f"    rå SQL {name}: {ms} ms ({label})")
            timings[name], figures[name], labels[name] = ms, rows, label
    finally:
        connection.close()
    return timings, figures, labels


# --- In-process: queries per page, EXPLAIN, the report services ---------------------------


@dataclass
class Statement:
    sql: str
    parameters: Any


@dataclass
class InProcess:
    queries: dict[str, int] = field(default_factory=dict)  # a fresh render
    render_ms: dict[str, float] = field(default_factory=dict)
    statements: dict[str, list[Statement]] = field(default_factory=dict)
    service_ms: dict[str, float] = field(default_factory=dict)
    plans: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    floor_check: dict[str, str] = field(default_factory=dict)


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    if match is None:
        raise SystemExit("Log ind-siden har ingen csrf_token")
    return match.group(1)


def in_process(database: Database, subjects: Subjects, figures: dict[str, list[Any]]) -> InProcess:
    from flask import Flask
    from sqlalchemy import event

    from devtrack import create_app
    from devtrack.demo import DEMO_PASSWORD
    from devtrack.extensions import db

    app: Flask = create_app({"SQLALCHEMY_DATABASE_URI": database.url, "SECRET_KEY": SECRET_KEY})
    found = InProcess()
    clients = {}
    for role, email in subjects.emails.items():
        client = app.test_client()
        token = _csrf(_isolated(client.get, "/log-ind").text)
        signed_in = _isolated(
            client.post,
            "/log-ind",
            data={"csrf_token": token, "email": email, "password": DEMO_PASSWORD},
        )
        if signed_in.status_code != 302:
            raise SystemExit(f"{email} kunne ikke logge ind ({signed_in.status_code})")
        clients[role] = client
    with app.app_context():
        engine = db.engine
    for client in clients.values():
        _isolated(client.get, "/")  # the first page after signing in starts the CSRF token

    def fresh(client: Any, path: str) -> Any:
        return _isolated(client.get, path)

    for name, (role, path) in subjects.pages().items():
        client = clients[role]
        response = _isolated(client.get, path)  # warm
        if response.status_code != 200:
            raise SystemExit(f"{path} svarede {response.status_code}")

        def counted(get: Callable[[], Any]) -> list[Statement]:
            statements: list[Statement] = []

            def record(_c: Any, _cur: Any, sql: str, parameters: Any, _x: Any, many: bool) -> None:
                if not many:
                    statements.append(Statement(sql, parameters))

            event.listen(engine, "before_cursor_execute", record)
            try:
                get()
            finally:
                event.remove(engine, "before_cursor_execute", record)
            return statements

        found.statements[name] = counted(partial(fresh, client, path))
        found.queries[name] = len(found.statements[name])
        if name not in REPORTS:
            found.render_ms[name] = median_ms(partial(fresh, client, path), repeat=9)
    found.plans = explain_all(engine, found.statements, subjects.rows)
    found.service_ms = time_services(app, subjects)
    found.floor_check = check_floors(app, subjects, figures)
    with app.app_context():
        db.engine.dispose()
    return found


def _isolated(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A request in a context of its own, as in production (see tests/conftest.py)."""
    return contextvars.Context().run(function, *args, **kwargs)


def explain_all(
    engine: Any, statements: dict[str, list[Statement]], rows: dict[str, int]
) -> dict[str, list[dict[str, Any]]]:
    """Every SELECT each page ran, EXPLAINed; full scans of large tables are called out."""
    large = {table for table, count in rows.items() if count >= LARGE_TABLE_ROWS}
    postgres = engine.dialect.name == "postgresql"
    plans: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as connection:
        for page, found in statements.items():
            plans[page] = []
            for statement in found:
                if not statement.sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                prefix = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
                result = connection.exec_driver_sql(prefix + statement.sql, statement.parameters)
                if postgres:
                    lines = [row[0] for row in result]
                    scans = re.findall(r"Seq Scan on (\w+)", "\n".join(lines))
                else:
                    lines = [row[3] for row in result]
                    scans = [
                        match.group(1) for line in lines if (match := re.match(r"SCAN (\w+)", line))
                    ]
                plans[page].append(
                    {
                        "sql": " ".join(statement.sql.split()),
                        "plan": lines,
                        "full_scans_of_large_tables": sorted(set(scans) & large),
                    }
                )
            connection.rollback()
    return plans


def time_services(app: Any, subjects: Subjects) -> dict[str, float]:
    """The report services on their own (fresh session each time), as the views call them."""
    from devtrack.extensions import db
    from devtrack.grundlag.links import version_for_choices
    from devtrack.i18n import today_in_denmark
    from devtrack.reports.services import (
        SOURCES,
        CoverageFilter,
        completion,
        completion_trend,
        coverage,
        rounds_newest_first,
    )
    from devtrack.reports.tables import as_csv, coverage_table

    today = today_in_denmark()
    threshold = int(app.config["REPORT_MIN_GROUP"])
    shown = _shown_depth()

    def run_coverage(unit_id: int | None, csv: bool = False) -> Callable[[], object]:
        def run() -> object:
            with app.app_context(), app.test_request_context():
                version = version_for_choices()
                assert version is not None
                report = coverage(
                    version,
                    CoverageFilter(
                        None, unit_id, today - timedelta(days=365), today, None, SOURCES
                    ),
                    threshold,
                    **({} if csv else shown),
                )
                result = as_csv(coverage_table(report)) if csv else report
                db.session.remove()
                return result

        return run

    def run_completion() -> object:
        with app.app_context():
            chosen = rounds_newest_first()[0]
            report = completion(chosen, None, today, **shown)
            trend = completion_trend(chosen.kind, report)
            db.session.remove()
            return report, trend

    return {
        "coverage": median_ms(run_coverage(None)),
        "coverage_centre": median_ms(run_coverage(subjects.centre_id)),
        "completion": median_ms(run_completion),
        "coverage_csv": median_ms(run_coverage(None, csv=True)),
    }


def _shown_depth() -> dict[str, Any]:
    """How deep the report pages show the unit tree, when the views limit it (the exports
    show it all): the services are timed as the views call them."""
    import inspect

    from devtrack.reports import services, views

    depth = getattr(views, "SHOWN_DEPTH", None)
    if depth is None or "max_depth" not in inspect.signature(services.coverage).parameters:
        return {}
    return {"max_depth": depth}


def check_floors(app: Any, subjects: Subjects, figures: dict[str, list[Any]]) -> dict[str, str]:
    """Do the raw-SQL floors compute the reports' own figures? Compared unit by unit."""
    from devtrack.grundlag.links import version_for_choices
    from devtrack.i18n import today_in_denmark
    from devtrack.reports.services import (
        SOURCES,
        CoverageFilter,
        completion,
        coverage,
        rounds_newest_first,
    )

    today = today_in_denmark()
    checked = {}
    with app.app_context(), app.test_request_context():
        version = version_for_choices()
        assert version is not None
        for name, unit_id in (("coverage", None), ("coverage_centre", subjects.centre_id)):
            period = (today - timedelta(days=365), today)
            report = coverage(
                version,
                CoverageFilter(None, unit_id, *period, None, SOURCES),
                int(app.config["REPORT_MIN_GROUP"]),
            )
            raw = {(unit, element): (int(p), int(f)) for unit, element, p, f in figures[name]}
            shown = [row for row in report.rows if not row.unit.suppressed]
            same = sum(
                raw.get((row.unit.id, None), (0, 0))[0] == row.unit.people
                and all(
                    raw.get((row.unit.id, element_id), (0, 0)) == (cell.people, cell.feedback)
                    for element_id, cell in row.cells.items()
                )
                for row in shown
            )
            checked[name] = f"{same}/{len(shown)} units"
        checked["coverage_csv"] = checked["coverage"]
        progress = completion(rounds_newest_first()[0], None, today)
        raw_steps = {
            row[0]: tuple(int(value) for value in row[1:]) for row in figures["completion"]
        }
        steps = ("invited", "booked", "prepared", "held", "acknowledged", "followed_up")
        same = sum(
            raw_steps.get(row.unit.id) == tuple(row.counts[step] for step in steps)
            for row in progress.rows
        )
        checked["completion"] = f"{same}/{len(progress.rows)} units"
    return checked


# --- Over HTTP: gunicorn and wrk -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(
    database: Database, workers: int = 2, **settings: str
) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database.url, "DEVTRACK_SECRET_KEY": SECRET_KEY}
    env.update({f"DEVTRACK_{name}": value for name, value in settings.items()})
    log = (DATA / f"gunicorn-{database.kind}.log").open("wb")
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _attempt in range(100):
            try:
                if request(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("gunicorn svarer ikke; se " + log.name)
        yield port, server
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def request(
    port: int, path: str, cookie: str = "", body: dict[str, str] | None = None
) -> tuple[int, dict[str, list[str]], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Cookie": cookie} if cookie else {}
    try:
        if body is None:
            connection.request("GET", path, headers=headers)
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request("POST", path, urllib.parse.urlencode(body), headers)
        response = connection.getresponse()
        all_headers: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            all_headers.setdefault(name.lower(), []).append(value)
        return response.status, all_headers, response.read()
    finally:
        connection.close()


def _session(headers: dict[str, list[str]]) -> str:
    for value in headers.get("set-cookie", []):
        match = re.match(r"session=([^;]+)", value)
        if match:
            return f"session={match.group(1)}"
    return ""


def sign_in(port: int, email: str) -> str:
    """Post the sign-in form as a browser does; the `session` cookie of the signed-in person."""
    from devtrack.demo import DEMO_PASSWORD

    status, headers, body = request(port, "/log-ind")
    cookie = _session(headers)
    form = {"csrf_token": _csrf(body.decode()), "email": email, "password": DEMO_PASSWORD}
    status, headers, body = request(port, "/log-ind", cookie, form)
    if status != 302 or not _session(headers):
        raise SystemExit(f"{email} kunne ikke logge ind over HTTP ({status})")
    cookie = _session(headers)
    # Follow the redirect, as a browser does: the first page starts the session's CSRF token
    # and sends the cookie again. wrk cannot store cookies, so it gets the final one.
    status, headers, body = request(port, "/", cookie)
    return _session(headers) or cookie


def wrk(port: int, path: str, cookie: str, duration: int, connections: int) -> dict[str, Any]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "60s"]
    command += ["-s", str(LUA)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH "))
    found = json.loads(line[len("BENCH ") :])
    if found["socket_errors"] or found["http_errors"]:
        print(
            f"    advarsel: {path}: {found['socket_errors']} socket- og "
            f"{found['http_errors']} HTTP-fejl"
        )
    return {
        "rps": round(found["requests"] / (found["duration_us"] / 1e6), 1),
        "p50_ms": round(found["p50_us"] / 1000, 2),
        "p95_ms": round(found["p95_us"] / 1000, 2),
        "requests": found["requests"],
        "errors": found["socket_errors"] + found["http_errors"],
    }


def worker_rss_mb(master: int) -> list[float]:
    """VmRSS of each gunicorn worker (the master's children), from /proc."""
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        rss = re.search(r"VmRSS:\s+(\d+) kB", status)
        if parent == master and rss:
            sizes.append(round(int(rss.group(1)) / 1024, 1))
    return sizes


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installerer wrk (Debian-pakken) …")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        return
    raise SystemExit("wrk mangler: kør 'sudo apt-get install wrk' og derefter 'make bench' igen.")


# --- One run -------------------------------------------------------------------------------


def run(
    kind: str,
    employees: int,
    duration: int,
    connections: int,
    mix_seconds: int,
    mix_people: tuple[int, int, int],
) -> dict[str, Any]:
    print(f"\n== {kind}, {employees} medarbejdere ==")
    load_before = os.getloadavg()[0]
    sampler = LoadSampler()
    sampler.start()
    database, server = open_database(kind, employees)
    try:
        marker = build(database)
        subjects = find_subjects(database, marker)
        print("  tæller forespørgsler, EXPLAIN og rapporternes egen tid …")
        floors, figures, floor_queries = time_raw_sql(database, subjects)
        measured = in_process(database, subjects, figures)
        pages: dict[str, dict[str, Any]] = {}
        reports: dict[str, dict[str, Any]] = {}
        # Hundreds of people sign in for the mix, all from this one address.
        with gunicorn(database, SIGNIN_RATE_LIMIT="1000000") as (port, master):
            cookies = {role: sign_in(port, email) for role, email in subjects.emails.items()}
            for role, path in subjects.pages().values():
                status, _headers, _body = request(port, path, cookies[role])
                if status != 200:
                    raise SystemExit(f"{path} svarede {status} over HTTP")
            floor = wrk(port, "/healthz", "", duration, connections)
            print(f"  gulv  /healthz  {floor['rps']} req/s")
            for name, (role, path) in subjects.pages().items():
                result = wrk(port, path, cookies[role], duration, connections)
                result["ratio_to_floor"] = round(result["rps"] / floor["rps"], 3)
                result["queries"] = measured.queries[name]
                if name in measured.render_ms:
                    result["render_ms"] = measured.render_ms[name]
                result["path"] = path
                result["role"] = role
                pages[name] = result
                print(
                    f"  {name:16} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:8.1f} ms  "
                    f"p95 {result['p95_ms']:8.1f} ms  {result['queries']} forespørgsler"
                )
            for name in REPORTS:
                role, path = subjects.pages()[name]
                ms = median_ms(partial(request, port, path, cookies["hr"]))
                reports[name] = {
                    "ms": ms,
                    "service_ms": measured.service_ms[name],
                    "raw_sql_ms": floors[name],
                    "raw_sql_query": floor_queries[name],
                    "raw_sql_same_figures": measured.floor_check[name],
                    "ratio": round(ms / floors[name], 2) if floors[name] else None,
                    "service_ratio": round(measured.service_ms[name] / floors[name], 2)
                    if floors[name]
                    else None,
                }
                print(
                    f"  rapport {name:16} {ms:8.1f} ms (tjenesten {measured.service_ms[name]} ms, "
                    f"rå SQL {floors[name]} ms)"
                )
            visitors = choose_visitors(database, *mix_people)
            print(f"  {len(visitors)} personer logger ind til blandingen …")
            sign_in_all(visitors, partial(sign_in, port))
            mix = run_mix(port, visitors, mix_seconds, connections)
            mix["ratio_to_floor"] = round(mix["all"]["rps"] / floor["rps"], 3)
            mix["people_by_role"] = {
                role: sum(visitor.role == role for visitor in visitors)
                for role in ("employee", "leader", "hr")
            }
            print(
                f"  blandingen: {mix['all']['rps']} req/s, p95 {mix['all']['p95_ms']} ms, "
                f"p99 {mix['all']['p99_ms']} ms, {mix['all']['errors']} fejl"
            )
            for name, found in mix["by_page"].items():
                print(
                    f"    {name:20} {found['requests']:6} stk  p50 {found['p50_ms']:7.1f} ms  "
                    f"p95 {found['p95_ms']:7.1f} ms  p99 {found['p99_ms']:7.1f} ms  "
                    f"{found['errors']} fejl"
                )
            rss = worker_rss_mb(master.pid)
    finally:
        sampler.stop()
        if server is not None:
            server.cleanup()
    return {
        "database": kind,
        "employees": employees,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        # Other work on the machine slows every figure; the floor is slowed alike.
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        # Sampled every few seconds through the whole run: the machine is shared.
        "load_average_during": sampler.summary(),
        "demo_seconds": marker.get("demo_seconds"),
        "rows": subjects.rows,
        "load": {"tool": "wrk", "threads": 2, "connections": connections, "seconds": duration},
        "gunicorn_workers": 2,
        "floor": floor,
        "pages": pages,
        "reports": reports,
        "mix": mix,
        "worker_rss_mb": max(rss) if rss else None,
        "worker_rss_each_mb": rss,
        "plans": measured.plans,
        "targets": targets(kind, employees, pages, reports, mix, rss),
    }


def targets(
    kind: str,
    employees: int,
    pages: dict[str, dict[str, Any]],
    reports: dict[str, dict[str, Any]],
    mix: dict[str, Any],
    rss: list[float],
) -> list[dict[str, Any]]:
    found = []
    for name, page in pages.items():
        if name in REPORTS:
            continue
        found.append(
            {
                "target": f"{name}, rendered fresh: ≥ {PERSONAL_SHARE:.0%} of the floor's "
                "throughput",
                "value": f"{page['ratio_to_floor']:.0%}",
                "met": page["ratio_to_floor"] >= PERSONAL_SHARE,
            }
        )
    personal = {name: page for name, page in pages.items() if name not in REPORTS}
    most = max(personal.values(), key=lambda page: page["queries"])
    found.append(
        {
            "target": f"≤ {QUERY_CEILING} SQL queries per personal page",
            "value": f"at most {most['queries']} ({most['path']}); the same counts on small "
            "and larger data: tests/test_query_ceilings.py",
            "met": most["queries"] <= QUERY_CEILING,
        }
    )
    connections = mix["connections"]
    found.append(
        {
            "target": f"the realistic mix: p95 < {MIX_P95_MS:.0f} ms at {connections} connections",
            "value": f"p95 {mix['all']['p95_ms']} ms (p50 {mix['all']['p50_ms']}, "
            f"p99 {mix['all']['p99_ms']})",
            "met": mix["all"]["p95_ms"] < MIX_P95_MS and connections >= 4,
        }
    )
    found.append(
        {
            "target": "the realistic mix: 0 errors",
            "value": f"{mix['all']['errors']} of {mix['all']['requests']} requests",
            "met": mix["all"]["errors"] == 0,
        }
    )
    for name, report in reports.items():
        found.append(
            {
                "target": f"{name}: ≤ {REPORT_RATIO}× its raw-SQL floor",
                "value": f"{report['ratio']}× ({report['ms']} ms vs {report['raw_sql_ms']} ms)",
                "met": report["ratio"] is not None and report["ratio"] <= REPORT_RATIO,
            }
        )
        if kind == "postgresql":
            found.append(
                {
                    "target": f"{name}: < 1 s at 45,000 employees on PostgreSQL",
                    "value": f"{report['ms']} ms at {employees}",
                    "met": report["ms"] < REPORT_MS_AT_SIZE and employees >= 45_000,
                }
            )
    found.append(
        {
            "target": f"gunicorn worker < {RSS_MB:.0f} MB resident after the reports and the mix",
            "value": f"{max(rss) if rss else '?'} MB",
            "met": bool(rss) and max(rss) < RSS_MB,
        }
    )
    return found


# --- Results -------------------------------------------------------------------------------


def write_results(runs: dict[str, dict[str, Any]]) -> None:
    primary = runs.get("postgresql") or runs["sqlite"]
    summary = {key: value for key, value in primary.items() if key != "plans"}
    others = {
        kind: {key: value for key, value in found.items() if key != "plans"}
        for kind, found in runs.items()
    }
    (BENCH / "results.json").write_text(
        json.dumps({**summary, "runs": others}, indent=2, ensure_ascii=False) + "\n", "utf-8"
    )
    (BENCH / "RESULTS.md").write_text(markdown(runs), "utf-8")


class LoadSampler(threading.Thread):
    """The machine's 1-minute load average, every few seconds while a run lasts."""

    def __init__(self, every: float = 5.0) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.samples: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.samples.append(os.getloadavg()[0])
            self.done.wait(self.every)

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=10)

    def summary(self) -> dict[str, float]:
        if not self.samples:
            return {}
        return {
            "min": round(min(self.samples), 1),
            "mean": round(statistics.fmean(self.samples), 1),
            "max": round(max(self.samples), 1),
        }


def _load_during(found: dict[str, Any]) -> str:
    during = found.get("load_average_during") or {}
    if not during:
        return ""
    return f", during the run {during['min']}–{during['max']} (mean {during['mean']})"


def _met(value: bool) -> str:
    return "met" if value else "**NOT met**"


def markdown(runs: dict[str, dict[str, Any]]) -> str:
    lines = ["# Benchmark results", ""]
    lines += [
        "Written by `make bench` (`benchmarks/run.py`; see `benchmarks/README.md`). "
        "gunicorn with 2 sync workers; single pages driven by wrk, the realistic mix by "
        "`benchmarks/mix.py`; every page as a signed-in person.",
        "",
    ]
    for kind, found in runs.items():
        lines += [
            f"## {kind}: {found['employees']:,} employees".replace(",", " "),
            "",
            f"Measured {found['measured_at']}; the demo organisation was built in "
            f"{found['demo_seconds']} s; load: wrk {found['load']['threads']} threads, "
            f"{found['load']['connections']} connections, {found['load']['seconds']} s per page; "
            f"the machine's load average before and after: {found.get('load_average', '?')}"
            + _load_during(found)
            + f" ({os.cpu_count()} CPU cores; other work on the machine slows the floor alike).",
            "",
            "| rows | " + " | ".join(found["rows"]) + " |",
            "|---|" + "---:|" * len(found["rows"]),
            "| | " + " | ".join(f"{count:,}" for count in found["rows"].values()) + " |",
            "",
            "### Targets",
            "",
            "| target | measured | |",
            "|---|---|---|",
            *(f"| {t['target']} | {t['value']} | {_met(t['met'])} |" for t in found["targets"]),
            "",
            "### Pages",
            "",
            f"Floor: `GET /healthz` {found['floor']['rps']} requests/s "
            f"(p50 {found['floor']['p50_ms']} ms).",
            "",
            "Each page on its own: wrk fetches the page over and over as one signed-in person. "
            "Nothing is kept between requests: every request renders the page from the "
            "database. *render ms*: one render in-process (Flask test client, median of 9).",
            "",
            "| page | as | req/s | share of floor | p50 ms | p95 ms | render ms | SQL queries |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name, page in found["pages"].items():
            lines.append(
                f"| {name} `{page['path']}` | {page['role']} | {page['rps']} | "
                f"{page['ratio_to_floor']:.0%} | {page['p50_ms']} | {page['p95_ms']} | "
                f"{page.get('render_ms', '')} | {page['queries']} |"
            )
        if "mix" in found:
            lines += mix_section(found["mix"])
        lines += [
            "",
            "### HR reports against their raw-SQL floors",
            "",
            "`ms`: one request at a time over HTTP (median of 5); `service`: the report "
            "services alone in-process; `raw SQL`: the same figures from one hand-written query "
            "on the driver (median of 5).",
            "",
            "| report | ms | service ms | raw SQL ms | ratio | service ratio | "
            "raw SQL gives the report's figures for |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for name, report in found["reports"].items():
            lines.append(
                f"| {name} | {report['ms']} | {report['service_ms']} | {report['raw_sql_ms']} | "
                f"{report['ratio']} | {report['service_ratio']} | "
                f"{report.get('raw_sql_same_figures', '?')} |"
            )
        lines += [
            "",
            f"gunicorn workers' RSS after the reports and the mix: "
            f"{found['worker_rss_each_mb']} MB.",
            "",
        ]
        lines += explain_section(found["plans"])
    lines += [
        "## The raw-SQL floors",
        "",
        "Each report's floor is the faster of these queries (`{ids}`: the elements of the "
        "report's part; the centre's report adds its subtree to `{scope}` and `{where}`), run "
        "straight on the driver; the benchmark checks, unit by unit, that it gives the report's "
        "own figures.",
        "",
        "<details><summary>the queries</summary>",
        "",
        "```sql",
        f"-- {{closure}}: {' '.join(CLOSURE.split())}",
        COVERAGE_SQL.strip(),
        "```",
        "```sql",
        COVERAGE_BY_LINKS_SQL.strip(),
        "```",
        "```sql",
        COMPLETION_SQL.strip(),
        "```",
        "</details>",
        "",
    ]
    if len(runs) == 2:
        lines += [
            "## SQLite compared with PostgreSQL",
            "",
            "| page | PostgreSQL req/s | SQLite req/s |",
        ]
        lines.append("|---|---:|---:|")
        for name in runs["postgresql"]["pages"]:
            lines.append(
                f"| {name} | {runs['postgresql']['pages'][name]['rps']} | "
                f"{runs['sqlite']['pages'].get(name, {}).get('rps')} |"
            )
        lines += ["", "| report | PostgreSQL ms | SQLite ms |", "|---|---:|---:|"]
        for name in runs["postgresql"]["reports"]:
            lines.append(
                f"| {name} | {runs['postgresql']['reports'][name]['ms']} | "
                f"{runs['sqlite']['reports'].get(name, {}).get('ms')} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def mix_section(mix: dict[str, Any]) -> list[str]:
    people = mix.get("people_by_role", {})
    lines = [
        "",
        "### The realistic mix",
        "",
        f"{mix['people']} people signed in ({people.get('employee', '?')} employees, "
        f"{people.get('leader', '?')} leaders, {people.get('hr', '?')} HR); "
        f"{mix['connections']} connections for {mix['seconds']} s; each request a person and "
        "a page drawn at random (weights in `benchmarks/mix.py`), about one in ten a write: "
        "the form's page, then the form posted with its CSRF token. "
        f"{mix['distinct_people_seen']} different people were served; "
        f"{mix['all']['rps']} requests/s in all ({mix['ratio_to_floor']:.0%} of the floor).",
        "",
        "| page | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, found in [("all", mix["all"]), *mix["by_page"].items()]:
        lines.append(
            f"| {'**all**' if name == 'all' else name} | {found['requests']} | {found['rps']} | "
            f"{found['p50_ms']} | {found['p95_ms']} | {found['p99_ms']} | {found['errors']} |"
        )
    examples = [
        f"{error['kind']} {error['path']} → {error['status']}" for error in mix["error_examples"]
    ]
    if examples:
        lines += ["", "Errors (the first ten): " + ", ".join(examples)]
    return lines


def explain_section(plans: dict[str, list[dict[str, Any]]]) -> list[str]:
    lines = [
        "### Do the queries use indexes? (EXPLAIN)",
        "",
        f"Every SELECT a page ran, EXPLAINed. A full scan of a table with ≥ {LARGE_TABLE_ROWS:,} "
        "rows is listed; the HR reports' plans are printed in full below.",
        "",
        "| page | SELECTs | full scans of large tables |",
        "|---|---:|---|",
    ]
    for page, found in plans.items():
        scans = sorted({table for plan in found for table in plan["full_scans_of_large_tables"]})
        lines.append(f"| {page} | {len(found)} | {', '.join(scans) or 'none'} |")
    lines.append("")
    for page, found in plans.items():
        shown = [plan for plan in found if page in REPORTS or plan["full_scans_of_large_tables"]]
        if not shown:
            continue
        lines += [f"<details><summary>{page}: {len(shown)} plan(s)</summary>", ""]
        for plan in shown:
            lines += ["```sql", plan["sql"][:1500], "```", "```", *plan["plan"], "```", ""]
        lines += ["</details>", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "both"))
    parser.add_argument(
        "--employees", type=int, default=int(os.environ.get("BENCH_EMPLOYEES", 45000))
    )
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", 10)))
    parser.add_argument(
        "--connections", type=int, default=int(os.environ.get("BENCH_CONNECTIONS", 4))
    )
    parser.add_argument(
        "--mix-duration", type=int, default=int(os.environ.get("BENCH_MIX_DURATION", 30))
    )
    parser.add_argument("--mix-people", default=os.environ.get("BENCH_MIX_PEOPLE", "500,50,5"))
    arguments = parser.parse_args()
    employees, leaders, hr = (int(number) for number in arguments.mix_people.split(","))
    kinds = ("postgresql", "sqlite") if arguments.db == "both" else (arguments.db,)
    if any(kind not in ("postgresql", "sqlite") for kind in kinds):
        raise SystemExit("BENCH_DB skal være postgresql, sqlite eller both")
    ensure_wrk()
    # Earlier runs of the other database are kept, so the two can be compared.
    runs: dict[str, dict[str, Any]] = {}
    results = BENCH / "results.json"
    if results.exists() and PLANS.exists():
        earlier = json.loads(results.read_text("utf-8")).get("runs", {})
        plans = json.loads(PLANS.read_text("utf-8"))
        runs = {kind: {**found, "plans": plans.get(kind, {})} for kind, found in earlier.items()}
    for kind in kinds:
        runs[kind] = run(
            kind,
            arguments.employees,
            arguments.duration,
            arguments.connections,
            arguments.mix_duration,
            (employees, leaders, hr),
        )
    PLANS.write_text(
        json.dumps({kind: found["plans"] for kind, found in runs.items()}, indent=1), "utf-8"
    )
    write_results(dict(sorted(runs.items())))
    print(f"\nSkrev {BENCH / 'results.json'} og {BENCH / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
