"""`make bench-org-sync`: the organisation sync at 45,000 people, by CSV and by API, and the
locks it holds.

Issue 17 asks that a large sync through `PUT /api/v1/organisation` finish within the time of
the CSV import (`flask devtrack org import FILE`) and not hold long locks. Both run
`devtrack/people/services.py` `sync_organisation`. For each database (a SQLite file in a
temporary folder; PostgreSQL started by `pgserver`, as the tests do) this:

1. generates a deterministic organisation of N people shaped like the large demo's (its unit
   tree: about 3,400 units five levels deep, a leader per unit), as the CSV the import reads
   and as the JSON the API takes, and a changed copy (about 2% moved, 1% new, 1% leaving,
   a few leader changes, renamed units and new surnames);
2. on a fresh migrated database (`flask db upgrade`) holding only the top unit and its
   leader, runs the CSV import as a subprocess three times: the first sync (to N people), the
   same file again (no changes) and the changed file;
3. on another fresh database, serves devtrack with gunicorn (2 workers, as in production),
   creates an API client with `org:write` (`flask devtrack api-client create`) and sends the
   same three organisations as JSON, plus a dry run of the changed one before it is applied;
4. while each sync runs, a probe thread saves as users do, each save in its own session and
   connection of an app built with devtrack's own settings (SQLite's busy timeout): every
   ~50 ms a new goal for the top leader, then a language change of a person the changed sync
   moves (a row the sync itself writes). Each save's time is recorded: the longest wait, how
   many took over a second and how many failed. On PostgreSQL a second thread samples
   `pg_stat_activity` every 100 ms for sessions waiting on a lock.

Writes `benchmarks/org_sync_results.json` and `benchmarks/org_sync_results.md`; see
benchmarks/README.md. Never part of `make test`.

    BENCH_DB=postgresql|sqlite|both (default both)   BENCH_ORG_PEOPLE=45000
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

# The main benchmark's places, its secret key (and its putting the project on sys.path).
from run import BENCH, BIN, ROOT, SECRET_KEY, LoadSampler, free_port

RESULTS_JSON = BENCH / "org_sync_results.json"
RESULTS_MD = BENCH / "org_sync_results.md"
# The same benchmark run on the sync as it was before it planned first (shown beside).
BEFORE_JSON = BENCH / "org_sync_before.json"
PROBE_EVERY_SECONDS = 0.05
# Earlier runs kept, in short, beside the latest.
HISTORY = 5
SLOW_SAVE_SECONDS = 1.0
# gunicorn's own default: a request running longer has its worker killed.
GUNICORN_DEFAULT_TIMEOUT = 30
HEADER = "type;id;navn;overordnet;leder;email;enhed;startdato;slutdato"
DOMAIN = "bench.devtrack.dk"
ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", " ": "."})


# --- The organisations ------------------------------------------------------------------------


@dataclass
class Unit:
    id: str
    name: str
    parent: str | None
    leader: str | None


@dataclass
class Someone:
    id: str
    name: str
    email: str
    unit: str
    start: date
    end: date | None = None


@dataclass
class Organisation:
    units: dict[str, Unit]
    people: dict[str, Someone]
    # What the changed copy changed, by kind: what the sync should report.
    changes: dict[str, int] = field(default_factory=dict)

    def csv(self) -> bytes:
        def day(value: date | None) -> str:
            return value.isoformat() if value else ""

        lines = [HEADER]
        lines += [
            f"enhed;{u.id};{u.name};{u.parent or ''};{u.leader or ''};;;;"
            for u in self.units.values()
        ]
        lines += [
            f"person;{p.id};{p.name};;;{p.email};{p.unit};{day(p.start)};{day(p.end)}"
            for p in self.people.values()
        ]
        return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")

    def json(self) -> bytes:
        body = {
            "units": [
                {"id": u.id, "name": u.name, "parent": u.parent, "leader": u.leader}
                for u in self.units.values()
            ],
            "people": [
                {
                    "id": p.id,
                    "name": p.name,
                    "email": p.email,
                    "unit": p.unit,
                    "start_date": p.start.isoformat(),
                    "end_date": p.end.isoformat() if p.end else None,
                }
                for p in self.people.values()
            ],
        }
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    def teams(self) -> list[str]:
        """Units with no unit below them."""
        parents = {u.parent for u in self.units.values()}
        return [unit_id for unit_id in self.units if unit_id not in parents]


def _person(rng: random.Random, number: int, unit: str) -> Someone:
    from devtrack.demo.large import FIRST_NAMES, LAST_NAMES

    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    local = f"{first}.{last}".lower().translate(ASCII)
    return Someone(
        f"M{number:06d}",
        f"{first} {last}",
        f"{local}.{number}@{DOMAIN}",
        unit,
        date(1995, 1, 1) + timedelta(days=rng.randint(0, 11_000)),
    )


def generate(people: int, seed: int = 17) -> Organisation:
    """N people in the large demo's unit tree (direktion, centres, areas, institutions,
    teams); each unit's first person leads it."""
    from devtrack.demo.large import _build_tree, _people_per_unit

    rng = random.Random(seed)
    tree, hr = _build_tree(rng, people)
    sizes = _people_per_unit(rng, tree, hr, people)
    org = Organisation({}, {})
    for unit in tree:
        unit_id = f"E{unit.id:05d}"
        parent = f"E{unit.parent.id:05d}" if unit.parent else None
        org.units[unit_id] = Unit(unit_id, unit.name, parent, None)
        for number in range(sizes[unit.id]):
            someone = _person(rng, len(org.people) + 1, unit_id)
            org.people[someone.id] = someone
            if number == 0:
                org.units[unit_id].leader = someone.id
    return org


def changed(org: Organisation, seed: int = 18) -> Organisation:
    """A month later: ~2% moved to another team, ~1% new, ~1% leaving (half missing from the
    file, half with an end date passed), a few new leaders, renamed units and new surnames."""
    from devtrack.demo.large import LAST_NAMES

    rng = random.Random(seed)
    units = {unit_id: replace(unit) for unit_id, unit in org.units.items()}
    people = {number: replace(someone) for number, someone in org.people.items()}
    count = len(people)
    leaders = {unit.leader for unit in units.values()}
    others = sorted(set(people) - leaders)
    rng.shuffle(others)
    leaving = others[: count // 100]
    moved = others[count // 100 : count // 100 + count // 50]
    rest = others[count // 100 + count // 50 :]
    teams = org.teams()
    for index, number in enumerate(leaving):
        if index % 2:
            del people[number]
        else:
            people[number].end = date.today() - timedelta(days=7)
    for number in moved:
        people[number].unit = rng.choice([team for team in teams if team != people[number].unit])
    surnames = rest[: count // 500]
    for number in surnames:
        first = people[number].name.split(" ")[0]
        people[number].name = f"{first} {rng.choice(LAST_NAMES)}"
    # New leaders: a colleague in the same team takes over (the old leader stays a member).
    by_unit: dict[str, list[str]] = {}
    for number in rest[count // 500 :]:
        by_unit.setdefault(people[number].unit, []).append(number)
    new_leaders = rng.sample(sorted(unit for unit in by_unit if unit in teams), k=20)
    for unit_id in new_leaders:
        units[unit_id].leader = by_unit[unit_id][0]
    for unit_id in rng.sample(sorted(units), k=10):
        units[unit_id].name = f"{units[unit_id].name} og Omegn"
    first_new = len(org.people) + 1
    for number in range(first_new, first_new + count // 100):
        someone = _person(rng, number, rng.choice(teams))
        people[someone.id] = someone
    return Organisation(
        units,
        people,
        {
            "moved": len(moved),
            "new": count // 100,
            "leaving": len(leaving),
            "leader_changes": len(new_leaders),
            "units_renamed": 10,
            "surnames": len(surnames),
        },
    )


def seed_of(org: Organisation) -> Organisation:
    """Only the top unit and its leader: who the probe saves as before the first sync."""
    top = next(unit for unit in org.units.values() if unit.parent is None)
    assert top.leader is not None
    return Organisation({top.id: replace(top)}, {top.leader: replace(org.people[top.leader])})


# --- Databases and processes ----------------------------------------------------------------


@dataclass
class Database:
    kind: str
    url: str

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "FLASK_APP": "wsgi",
            "DEVTRACK_SECRET_KEY": SECRET_KEY,
        }


class Databases:
    """Fresh databases of one kind in a temporary folder: SQLite files, or databases of one
    PostgreSQL server started with pgserver."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind, self.folder = kind, folder
        folder.mkdir(parents=True, exist_ok=True)
        self.server: Any = None
        if kind == "postgresql":
            import pgserver

            self.server = pgserver.get_server(folder / "pgdata", cleanup_mode="stop")

    def fresh(self, name: str) -> Database:
        if self.server is None:
            return Database(self.kind, f"sqlite:///{self.folder / name}.sqlite3")
        self.server.psql(f"DROP DATABASE IF EXISTS {name};")
        self.server.psql(f"CREATE DATABASE {name};")
        return Database(self.kind, self.server.get_uri(name))

    def close(self) -> None:
        if self.server is not None:
            self.server.cleanup()


def flask(database: Database, *args: str) -> tuple[str, float]:
    """Run a flask command; its output and wall time."""
    started = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "flask"), *args],
        cwd=ROOT,
        env=database.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout, seconds


def prepared(database: Database, seed_file: Path) -> None:
    """Migrated, with only the top unit and its leader."""
    flask(database, "db", "upgrade")
    flask(database, "devtrack", "org", "import", str(seed_file), "--quiet")


@contextmanager
def gunicorn(database: Database, log: Path) -> Iterator[int]:
    port = free_port()
    with log.open("wb") as output:
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                "2",
                # gunicorn's default (30 s) would kill a worker in a long first sync; the
                # report says whether a sync took longer than that.
                "--timeout",
                "1800",
                "--bind",
                f"127.0.0.1:{port}",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=database.env(),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            for _attempt in range(150):
                try:
                    if http_request(port, "GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.2)
            else:
                raise SystemExit(f"gunicorn svarer ikke; se {log}")
            yield port
        finally:
            server.terminate()
            server.wait(timeout=60)


def http_request(
    port: int, method: str, path: str, body: bytes | None = None, token: str = ""
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def api_client(database: Database) -> str:
    output, _seconds = flask(
        database, "devtrack", "api-client", "create", "benchmark", "--scope", "org:write"
    )
    return output.strip().splitlines()[-1].strip()


# --- Measuring ----------------------------------------------------------------------------------


class Probe(threading.Thread):
    """A user's saves beside the sync, each in a fresh session of an app built with devtrack's
    own settings: a new goal for one person, then a language change of another."""

    def __init__(self, app: Any, goal_person: int, language_person: int) -> None:
        super().__init__(daemon=True)
        self.app, self.goal_person, self.language_person = app, goal_person, language_person
        self.saves: list[tuple[str, float, float, bool]] = []  # kind, at, seconds, saved
        self.errors: list[str] = []
        self.done = threading.Event()
        self.started_at = time.perf_counter()

    def run(self) -> None:
        from devtrack.extensions import db
        from devtrack.goals.services import create_goal
        from devtrack.people.models import Person

        def goal() -> None:
            person = db.session.get(Person, self.goal_person)
            assert person is not None
            create_goal(
                person,
                title="Et mål gemt under synkroniseringen",
                description="",
                target_date=None,
                choices=[],
                share=False,
            )

        def language() -> None:
            person = db.session.get(Person, self.language_person)
            assert person is not None
            person.language = "en" if person.language != "en" else "da"

        with self.app.app_context():
            while not self.done.is_set():
                self._save("goal", goal)
                self._save("language", language)
                self.done.wait(PROBE_EVERY_SECONDS)

    def _save(self, kind: str, change: Callable[[], None]) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from devtrack.extensions import db

        started = time.perf_counter()
        saved = True
        try:
            change()
            db.session.commit()
        except SQLAlchemyError as error:
            saved = False
            db.session.rollback()
            self.errors.append(str(error).splitlines()[0][:200])
        finally:
            db.session.remove()
        self.saves.append((kind, started - self.started_at, time.perf_counter() - started, saved))

    def stop(self) -> dict[str, Any]:
        self.done.set()
        self.join(timeout=120)
        return self.summary()

    def summary(self) -> dict[str, Any]:
        times = [seconds for _kind, _at, seconds, _saved in self.saves]
        if not times:
            return {"saves": 0}
        longest = max(self.saves, key=lambda save: save[2])
        return {
            "saves": len(times),
            "longest_wait_s": round(longest[2], 3),
            "longest_wait_kind": longest[0],
            "longest_wait_at_s": round(longest[1], 1),
            "median_ms": round(statistics.median(times) * 1000, 1),
            "p99_ms": round(_percentile(times, 0.99) * 1000, 1),
            "over_1s": sum(seconds > SLOW_SAVE_SECONDS for seconds in times),
            "failed": sum(not saved for *_rest, saved in self.saves),
            "errors": sorted(set(self.errors))[:3],
        }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class LockWatch(threading.Thread):
    """PostgreSQL: sessions of the database waiting on a lock, sampled every 100 ms."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        import psycopg

        self.connection = psycopg.connect(url, autocommit=True)
        self.done = threading.Event()
        self.samples = 0
        self.samples_waiting = 0
        self.most_waiting = 0
        self.events: set[str] = set()
        self.waiting_since: dict[tuple[int, Any], float] = {}
        self.longest = 0.0

    def run(self) -> None:
        query = (
            "SELECT pid, query_start, wait_event FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        while not self.done.is_set():
            now = time.perf_counter()
            rows = self.connection.execute(query).fetchall()
            self.samples += 1
            self.samples_waiting += bool(rows)
            self.most_waiting = max(self.most_waiting, len(rows))
            seen = set()
            for pid, query_start, event in rows:
                key = (pid, query_start)
                seen.add(key)
                self.events.add(str(event))
                since = self.waiting_since.setdefault(key, now)
                self.longest = max(self.longest, now - since)
            for key in set(self.waiting_since) - seen:
                del self.waiting_since[key]
            self.done.wait(0.1)

    def stop(self) -> dict[str, Any]:
        self.done.set()
        self.join(timeout=30)
        self.connection.close()
        return {
            "samples": self.samples,
            "samples_with_a_lock_wait": self.samples_waiting,
            "most_sessions_waiting": self.most_waiting,
            "longest_wait_seen_s": round(self.longest, 1),
            "wait_events": sorted(self.events),
        }


@dataclass
class Watched:
    """The app the probe saves through, and the people it saves as."""

    app: Any
    goal_person: int
    language_person: int

    @contextmanager
    def during(self, database: Database) -> Iterator[dict[str, Any]]:
        found: dict[str, Any] = {}
        probe = Probe(self.app, self.goal_person, self.language_person)
        watch = LockWatch(database.url) if database.kind == "postgresql" else None
        load = LoadSampler(every=2.0)
        for thread in (probe, load, watch):
            if thread is not None:
                thread.start()
        try:
            yield found
        finally:
            found["saves"] = probe.stop()
            if watch is not None:
                found["pg_lock_waits"] = watch.stop()
            load.stop()
            found["load_average"] = load.summary()


def probe_app(database: Database) -> Any:
    from devtrack import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": database.url, "SECRET_KEY": SECRET_KEY})


def person_id(app: Any, employee_number: str) -> int:
    from sqlalchemy import select

    from devtrack.extensions import db
    from devtrack.people.models import Person

    with app.app_context():
        found = db.session.scalar(
            select(Person.id).where(Person.employee_number == employee_number)
        )
        db.session.remove()
    assert found is not None, employee_number
    return int(found)


def stored(app: Any) -> dict[str, int]:
    """What the database holds, to check that both ways gave the same organisation."""
    from sqlalchemy import text

    from devtrack.extensions import db

    queries = {
        "units": "SELECT count(*) FROM org_unit WHERE active",
        "people": "SELECT count(*) FROM person",
        "active_people": "SELECT count(*) FROM person WHERE active",
        "open_memberships": "SELECT count(*) FROM unit_membership WHERE ended_at IS NULL",
        "memberships": "SELECT count(*) FROM unit_membership",
        "open_leaderships": "SELECT count(*) FROM unit_leadership WHERE ended_at IS NULL",
        "leaderships": "SELECT count(*) FROM unit_leadership",
    }
    with app.app_context():
        counts = {name: int(db.session.scalar(text(query)) or 0) for name, query in queries.items()}
        db.session.remove()
    return counts


def dispose(app: Any) -> None:
    from devtrack.extensions import db

    with app.app_context():
        db.engine.dispose()


# --- One database -------------------------------------------------------------------------------

STEPS = ("first", "unchanged", "changed")
SUMMARY = re.compile(r"Organisationen er opdateret: (.*)\. \(([\d.,]+) s\)\s*$")


def by_csv(
    databases: Databases, files: dict[str, Path], probe_people: tuple[str, str]
) -> tuple[dict[str, Any], dict[str, int]]:
    database = databases.fresh("org_sync_csv")
    prepared(database, files["seed.csv"])
    app = probe_app(database)
    watched = Watched(app, person_id(app, probe_people[0]), person_id(app, probe_people[0]))
    steps: dict[str, Any] = {}
    for step in STEPS:
        if step == "changed":
            watched.language_person = person_id(app, probe_people[1])
        print(f"    CSV-import: {step} …", flush=True)
        with watched.during(database) as found:
            output, seconds = flask(
                database, "devtrack", "org", "import", str(files[f"{step}.csv"]), "--quiet"
            )
        summary = SUMMARY.search(output.strip().splitlines()[-1])
        found["seconds"] = round(seconds, 2)
        if summary:
            found["summary"] = summary.group(1)
            found["command_seconds"] = float(summary.group(2).replace(".", "").replace(",", "."))
        steps[step] = found
        print(f"      {seconds:.1f} s; {found.get('summary', output.strip())}", flush=True)
    counts = stored(app)
    dispose(app)
    return steps, counts


def by_api(
    databases: Databases, files: dict[str, Path], probe_people: tuple[str, str], log: Path
) -> tuple[dict[str, Any], dict[str, int]]:
    database = databases.fresh("org_sync_api")
    prepared(database, files["seed.csv"])
    token = api_client(database)
    app = probe_app(database)
    watched = Watched(app, person_id(app, probe_people[0]), person_id(app, probe_people[0]))
    steps: dict[str, Any] = {}
    with gunicorn(database, log) as port:
        for step in (*STEPS[:2], "preview", STEPS[2]):
            body = files["changed.json" if step == "preview" else f"{step}.json"].read_bytes()
            query = "?dry_run=true" if step == "preview" else ""
            if step in ("preview", "changed"):
                watched.language_person = person_id(app, probe_people[1])
            print(f"    API: {step} …", flush=True)
            with watched.during(database) as found:
                status, answer, seconds = _put(port, token, body, query)
            if status != 200:
                # Refused while users saved: say so, and time it again without the probe so
                # the next step starts from the organisation it expects.
                found["refused_while_users_saved"] = f"{status} {answer[:300]!r}"
                print(f"      {status} efter {seconds:.1f} s; igen uden brugernes gemninger")
                status, answer, seconds = _put(port, token, body, query)
                if status != 200:
                    raise SystemExit(f"PUT /api/v1/organisation{query}: {status} {answer[:2000]!r}")
            result = json.loads(answer)
            found["seconds"] = round(seconds, 2)
            found["over_gunicorn_default_timeout"] = seconds > GUNICORN_DEFAULT_TIMEOUT
            found["summary"] = (
                f"{len(result['units_created'])} nye enheder, {len(result['created'])} nye "
                f"personer, {len(result['updated'])} ændrede, {len(result['moved'])} flyttede, "
                f"{len(result['deactivated'])} deaktiverede, {len(result['leader_changes'])} "
                f"lederskift, {len(result['units_renamed'])} omdøbte enheder"
            )
            steps[step] = found
            print(f"      {seconds:.1f} s; {found['summary']}", flush=True)
    counts = stored(app)
    dispose(app)
    return steps, counts


def _put(port: int, token: str, body: bytes, query: str) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    try:
        status, answer = http_request(port, "PUT", f"/api/v1/organisation{query}", body, token)
    except OSError as error:  # the server closed the connection before it read the body
        status, answer = 0, repr(error).encode()
    return status, answer, time.perf_counter() - started


def run(kind: str, files: dict[str, Path], probe_people: tuple[str, str], folder: Path) -> Any:
    print(f"\n{kind}", flush=True)
    load_before = os.getloadavg()
    databases = Databases(kind, folder / kind)
    try:
        csv_steps, csv_counts = by_csv(databases, files, probe_people)
        api_steps, api_counts = by_api(
            databases, files, probe_people, folder / f"gunicorn-{kind}.log"
        )
    finally:
        databases.close()
    steps: dict[str, Any] = {}
    for step in ("first", "unchanged", "preview", "changed"):
        csv, api = csv_steps.get(step), api_steps[step]
        steps[step] = {"csv": csv, "api": api}
        if csv is not None:
            steps[step]["ratio"] = round(api["seconds"] / csv["seconds"], 2)
            if "command_seconds" in csv:
                steps[step]["ratio_to_command"] = round(
                    api["seconds"] / max(csv["command_seconds"], 0.05), 2
                )
    return {
        "database": kind,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_average_before": [round(value, 1) for value in load_before],
        "load_average_after": [round(value, 1) for value in os.getloadavg()],
        "steps": steps,
        "stored": {"csv": csv_counts, "api": api_counts},
        "same_result": csv_counts == api_counts,
    }


# --- Results ------------------------------------------------------------------------------------


def markdown(results: dict[str, Any], before: dict[str, Any] | None) -> str:
    lines = [
        "# The organisation sync at size: CSV import against the API, and its locks",
        "",
        "Written by `make bench-org-sync` (`benchmarks/org_sync.py`; see benchmarks/README.md).",
        f"{results['people']:,} people in {results['units']:,} units; the changed organisation: "
        + ", ".join(f"{name} {count}" for name, count in results["changes"].items())
        + ".",
        "",
        "*CSV* is `flask devtrack org import FILE --quiet` as a subprocess: its wall time, with "
        "the command's own time (without starting Python and the app) in brackets. *API* is "
        "`PUT /api/v1/organisation` to gunicorn: the request's wall time. *API / CSV* divides "
        "them (in brackets: by the command's own time). *Longest save* is the longest of the "
        "probe's saves (a new goal, a language change; one after the other every ~50 ms, each "
        "in its own connection) while the sync ran; *> 1 s* how many took longer than a "
        "second; *failed* how many were refused (SQLite gives up after its busy timeout, 5 s).",
        "",
    ]
    for kind, found in results["runs"].items():
        lines += _run_section(f"## {kind}", found, results["cores"])
        if results.get("history", {}).get(kind):
            lines += _history_section(kind, results["history"][kind])
    if before:
        lines += [
            "## Before: the sync as it was",
            "",
            f"{before.get('code', '')}",
            "",
        ]
        for kind, found in before["runs"].items():
            lines += _run_section(f"### {kind}, before", found, before["cores"])
    return "\n".join(lines)


def _run_section(heading: str, found: dict[str, Any], cores: int) -> list[str]:
    lines = [
        heading,
        "",
        f"Measured {found['measured_at']}; load average (1, 5, 15 min) before "
        f"{found['load_average_before']}, after {found['load_average_after']} on {cores} "
        f"cores. Both ways gave the same database: {'yes' if found['same_result'] else 'NO'} "
        f"({found['stored']['api']}).",
        "",
        "| sync | CSV s | API s | API / CSV | longest save CSV / API | > 1 s CSV / API "
        "| failed CSV / API | load during CSV / API (mean, max) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for step, figures in found["steps"].items():
        csv, api = figures["csv"], figures["api"]
        ratio = "–"
        if "ratio" in figures:
            ratio = f"{figures['ratio']:.2f}"
            if "ratio_to_command" in figures:
                ratio += f" ({figures['ratio_to_command']:.2f})"
        cells = [
            step,
            _seconds(csv),
            f"{api['seconds']:.1f}",
            ratio,
            f"{_save(csv, 'longest_wait_s')} / {_save(api, 'longest_wait_s')} s",
            f"{_save(csv, 'over_1s')} / {_save(api, 'over_1s')}",
            f"{_save(csv, 'failed')} / {_save(api, 'failed')}",
            _load(csv) + " / " + _load(api),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for step, figures in found["steps"].items():
        for way in ("csv", "api"):
            lines += _notes(step, way, figures[way] or {})
    lines.append("")
    return lines


def _notes(step: str, way: str, found: dict[str, Any]) -> list[str]:
    notes = []
    waits = found.get("pg_lock_waits")
    if waits and waits["samples_with_a_lock_wait"]:
        notes.append(
            f"- {step}, {way}: a PostgreSQL session waited on a lock in "
            f"{waits['samples_with_a_lock_wait']} of {waits['samples']} samples (every 100 ms); "
            f"longest seen {waits['longest_wait_seen_s']} s ({', '.join(waits['wait_events'])})"
        )
    elif waits:
        notes.append(
            f"- {step}, {way}: no PostgreSQL session waited on a lock in {waits['samples']} "
            "samples (every 100 ms)"
        )
    if found.get("refused_while_users_saved"):
        notes.append(
            f"- {step}, {way}: **the sync itself failed while users saved** "
            f"({found['refused_while_users_saved'][:120]}…); the saves above are from that "
            "attempt, its time from a second try without the probe"
        )
    errors = (found.get("saves") or {}).get("errors")
    if errors:
        notes.append(f"- {step}, {way}: the failed saves said: `{errors[0]}`")
    return notes


def summary(run: dict[str, Any]) -> dict[str, Any]:
    """A run in one line: when, under what load, each step's ratio and longest saves."""
    steps: dict[str, Any] = {}
    loads: list[float] = []
    for step, figures in run["steps"].items():
        found = {
            way: {
                "seconds": figures[way]["seconds"],
                "longest_save_s": _save(figures[way], "longest_wait_s"),
            }
            for way in ("csv", "api")
            if figures[way]
        }
        steps[step] = {**found, "ratio": figures.get("ratio")}
        loads += [
            figures[way]["load_average"]["mean"]
            for way in ("csv", "api")
            if figures[way] and figures[way].get("load_average")
        ]
    return {
        "measured_at": run["measured_at"],
        "load_average_during": [min(loads), max(loads)] if loads else None,
        "steps": steps,
    }


def _history_section(kind: str, runs: list[dict[str, Any]]) -> list[str]:
    lines = [
        f"### {kind}: the runs before it",
        "",
        "Each sync: API / CSV seconds (API / CSV), then the longest save CSV / API.",
        "",
        "| measured | load during | first | unchanged | changed |",
        "|---|---|---|---|---|",
    ]
    for run in runs:
        cells = [run["measured_at"], "–".join(str(x) for x in run["load_average_during"] or [])]
        for step in STEPS:
            found = run["steps"].get(step, {})
            if "csv" not in found or "api" not in found:
                cells.append("–")
                continue
            cells.append(
                f"{found['api']['seconds']:.1f} / {found['csv']['seconds']:.1f} s "
                f"({found['ratio']:.2f}), {found['csv']['longest_save_s']} / "
                f"{found['api']['longest_save_s']} s"
            )
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]


def _seconds(csv: dict[str, Any] | None) -> str:
    if csv is None:
        return "–"
    own = f" ({csv['command_seconds']:.1f})" if "command_seconds" in csv else ""
    return f"{csv['seconds']:.1f}{own}"


def _save(found: dict[str, Any] | None, name: str) -> str:
    if found is None:
        return "–"
    return str(found["saves"].get(name, "–"))


def _load(found: dict[str, Any] | None) -> str:
    if found is None or not found.get("load_average"):
        return "–"
    return f"{found['load_average']['mean']}, {found['load_average']['max']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "both"))
    parser.add_argument(
        "--people", type=int, default=int(os.environ.get("BENCH_ORG_PEOPLE", 45000))
    )
    arguments = parser.parse_args()
    kinds = ("sqlite", "postgresql") if arguments.db == "both" else (arguments.db,)
    if any(kind not in ("postgresql", "sqlite") for kind in kinds):
        raise SystemExit("BENCH_DB skal være postgresql, sqlite eller both")
    folder = Path(tempfile.mkdtemp(prefix="devtrack-org-sync-"))
    try:
        base = generate(arguments.people)
        later = changed(base)
        files = {
            "seed.csv": seed_of(base).csv(),
            "first.csv": base.csv(),
            "unchanged.csv": base.csv(),
            "changed.csv": later.csv(),
            "first.json": base.json(),
            "unchanged.json": base.json(),
            "changed.json": later.json(),
        }
        paths = {name: folder / name for name in files}
        for name, content in files.items():
            paths[name].write_bytes(content)
        top = next(unit for unit in base.units.values() if unit.parent is None)
        mover = next(
            number
            for number, someone in later.people.items()
            if number in base.people and base.people[number].unit != someone.unit
        )
        assert top.leader is not None
        print(
            f"{len(base.people)} personer i {len(base.units)} enheder; CSV "
            f"{len(files['first.csv']) / 1e6:.1f} MB, JSON {len(files['first.json']) / 1e6:.1f} MB"
        )
        runs = {kind: run(kind, paths, (top.leader, mover), folder) for kind in kinds}
    finally:
        if os.environ.get("BENCH_KEEP"):
            print(f"Beholder {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    earlier: dict[str, Any] = {}
    history: dict[str, list[dict[str, Any]]] = {}
    if RESULTS_JSON.exists():
        previous = json.loads(RESULTS_JSON.read_text("utf-8"))
        if previous.get("people") == arguments.people:
            earlier = previous.get("runs", {})
            history = previous.get("history", {})
    # The machine's load moves every figure: the runs a new one replaces are kept, in short.
    for kind in runs:
        if kind in earlier:
            history[kind] = [summary(earlier[kind]), *history.get(kind, [])][:HISTORY]
    results = {
        "people": len(base.people),
        "units": len(base.units),
        "changes": later.changes,
        "cores": os.cpu_count(),
        "runs": {**earlier, **runs},
        "history": history,
    }
    RESULTS_JSON.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    before = json.loads(BEFORE_JSON.read_text("utf-8")) if BEFORE_JSON.exists() else None
    if before is not None and before.get("people") != results["people"]:
        before = None
    RESULTS_MD.write_text(markdown(results, before), "utf-8")
    print(f"\nSkrev {RESULTS_JSON} og {RESULTS_MD}")


if __name__ == "__main__":
    main()
