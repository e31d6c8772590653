"""The realistic mix: many distinct signed-in people, each request a different person and page.

People are drawn from the demo organisation (employees, leaders and HR), each signed in over
HTTP as a browser does. A request picks a page type by its weight in `MIX`, then a person who
has such a page, then the page itself (their own goal, their latest plan, any element of the
grundlag in use, their team). About one in ten picks is a write: the form's page is fetched,
its fields (the CSRF token, the version of what is edited) are read from the HTML, and the
form is posted as a browser would, so the write goes through the real form and its checks.
Every request is timed on its own; the figures are reported per page type.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any

# page type -> weight; "write" is split evenly over WRITES.
MIX: tuple[tuple[str, int], ...] = (
    ("front", 30),
    ("timeline", 15),
    ("goal", 15),
    ("plan", 10),
    ("element", 10),
    ("team", 10),
    ("write", 10),
)
WRITES = ("progress", "feedback", "preparation")


@dataclass
class Visitor:
    person_id: int
    email: str
    role: str  # employee, leader or hr
    pages: dict[str, str] = field(default_factory=dict)  # page type -> path
    cookie: str = ""


# --- Who visits ------------------------------------------------------------------------------

# Each chosen person's own goal (an active one), latest plan and latest conversation.
PAGES_OF = """
SELECT p.id, p.email,
  (SELECT g.id FROM goal g WHERE g.owner_id = p.id AND g.status = 'active'
   ORDER BY g.created_at DESC LIMIT 1),
  (SELECT c.id FROM conversation c JOIN development_plan d ON d.conversation_id = c.id
   WHERE c.employee_id = p.id ORDER BY c.invited_at DESC LIMIT 1),
  (SELECT c.id FROM conversation c WHERE c.employee_id = p.id
   ORDER BY c.invited_at DESC LIMIT 1)
FROM person p WHERE p.id IN ({ids}) ORDER BY p.id
"""


def choose_visitors(
    database: Any, employees: int, leaders: int, hr: int, seed: int = 18
) -> list[Visitor]:
    """`employees` employees, `leaders` leaders and `hr` HR people, drawn at random from the
    organisation, with the pages each of them has."""
    rng = random.Random(seed)
    connection = database.connect()
    try:
        cursor = connection.cursor()

        def ids(statement: str) -> list[int]:
            cursor.execute(statement)
            return [int(row[0]) for row in cursor.fetchall()]

        people = "SELECT p.id FROM person p WHERE p.active AND NOT p.is_hr AND NOT p.is_admin"
        leading = "EXISTS (SELECT 1 FROM org_unit u WHERE u.leader_id = p.id)"
        pools = {
            "employee": ids(f"{people} AND NOT {leading} ORDER BY p.id"),
            "leader": ids(f"{people} AND {leading} ORDER BY p.id"),
            "hr": ids("SELECT p.id FROM person p WHERE p.active AND p.is_hr ORDER BY p.id"),
        }
        wanted = {"employee": employees, "leader": leaders, "hr": hr}
        cursor.execute(
            "SELECT e.key FROM element_version v JOIN grundlag_element e ON e.id = v.element_id "
            "WHERE v.version_id = (SELECT v2.id FROM framework_version v2 JOIN framework f "
            "ON f.id = v2.framework_id WHERE f.in_use ORDER BY v2.number DESC LIMIT 1)"
        )
        element_keys = sorted(str(row[0]) for row in cursor.fetchall())
        visitors = []
        for role, pool in pools.items():
            # Someone without a goal or a plan still visits the pages they have.
            chosen = rng.sample(pool, min(len(pool), wanted[role]))
            if not chosen:
                continue
            marks = ", ".join(str(person_id) for person_id in chosen)  # ids from the database
            cursor.execute(PAGES_OF.format(ids=marks))
            for person_id, email, goal_id, plan_id, conversation_id in cursor.fetchall():
                visitor = Visitor(int(person_id), str(email), role)
                visitor.pages = {
                    "front": "/",
                    "timeline": "/tidslinje/",
                    "element": "/grundlag/{element}",
                    "feedback": "/feedback/ny",
                }
                if goal_id is not None:
                    visitor.pages["goal"] = f"/maal/{goal_id}"
                    visitor.pages["progress"] = f"/maal/{goal_id}"
                if plan_id is not None:
                    visitor.pages["plan"] = f"/samtaler/{plan_id}/plan"
                if conversation_id is not None:
                    visitor.pages["preparation"] = f"/samtaler/{conversation_id}/forberedelse"
                if role == "leader":
                    visitor.pages["team"] = "/mine-medarbejdere"
                visitors.append(visitor)
    finally:
        connection.close()
    _ELEMENT_KEYS[:] = element_keys
    return visitors


_ELEMENT_KEYS: list[str] = []


# --- The forms -------------------------------------------------------------------------------


class _Form(HTMLParser):
    """The fields of the form posting to `action`: what a browser would send untouched."""

    def __init__(self, action: str, page: str) -> None:
        super().__init__()
        self.action = action
        self.page = page
        self.inside = False
        self.found = False
        self.fields: dict[str, str] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            # A form without an action posts to its own page.
            posts_to = urllib.parse.urlsplit(values.get("action", "")).path or self.page
            self.inside = posts_to == self.action
            self.found = self.found or self.inside
            return
        if not self.inside:
            return
        name = values.get("name", "")
        if tag == "input" and name:
            kind = values.get("type", "text")
            if kind in ("radio", "checkbox"):
                self.fields.setdefault(name, values.get("value", ""))  # the first choice
            elif kind not in ("submit", "button"):
                self.fields[name] = values.get("value", "")
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and values.get("value"):
            self.fields.setdefault(self.select, values["value"])  # the first real option
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.fields[self.textarea] += data


def form_fields(html: str, action: str, page: str) -> dict[str, str] | None:
    parser = _Form(action, page)
    parser.feed(html)
    return parser.fields if parser.found else None


def _write(kind: str, page: str, number: int) -> tuple[str, dict[str, str]]:
    """The form's address and what the person types into it."""
    today = date.today().isoformat()
    text = f"Skrevet under belastning, nr. {number}."
    if kind == "progress":
        return f"{page}/fremskridt", {"progress-text": text, "progress-occurred_on": today}
    if kind == "feedback":
        return page, {"text": text, "situation_date": today}
    return page, {"looking_back": text, "draft": "1"}


# --- The run ---------------------------------------------------------------------------------


@dataclass
class Sample:
    person_id: int
    kind: str
    ms: float
    ok: bool
    status: int
    path: str


def _request(
    connection: http.client.HTTPConnection,
    path: str,
    cookie: str,
    body: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    headers = {"Cookie": cookie}
    if body is None:
        connection.request("GET", path, headers=headers)
    else:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request("POST", path, urllib.parse.urlencode(body), headers)
    response = connection.getresponse()
    return response.status, response.read()


def _plan(visitors: list[Visitor], rng: random.Random) -> Iterator[tuple[str, Visitor, str]]:
    """Endless (page type, person, path): the type by its weight, then a person who has it."""
    kinds = [kind for kind, _weight in MIX]
    weights = [weight for _kind, weight in MIX]
    having = {
        kind: [visitor for visitor in visitors if kind in visitor.pages]
        for kind in (*kinds, *WRITES)
    }
    while True:
        kind = rng.choices(kinds, weights)[0]
        if kind == "write":
            kind = rng.choice(WRITES)
        if not having.get(kind):
            continue
        visitor = rng.choice(having[kind])
        path = visitor.pages[kind].replace("{element}", rng.choice(_ELEMENT_KEYS))
        yield kind, visitor, path


def run_mix(
    port: int, visitors: list[Visitor], duration: float, connections: int, seed: int = 18
) -> dict[str, Any]:
    plan = _plan(visitors, random.Random(seed))
    lock = threading.Lock()
    samples: list[Sample] = []
    counter = iter(range(10**9))
    stop_at = time.perf_counter() + duration

    def next_step() -> tuple[str, Visitor, str, int]:
        with lock:
            kind, visitor, path = next(plan)
            return kind, visitor, path, next(counter)

    def timed(
        connection: http.client.HTTPConnection,
        visitor: Visitor,
        kind: str,
        path: str,
        body: dict[str, str] | None = None,
        expect: int = 200,
    ) -> tuple[int, bytes]:
        person, cookie = visitor.person_id, visitor.cookie
        started = time.perf_counter()
        try:
            status, content = _request(connection, path, cookie, body)
        except (OSError, http.client.HTTPException):
            connection.close()
            status, content = 0, b""
        ms = (time.perf_counter() - started) * 1000
        with lock:
            samples.append(Sample(person, kind, ms, status == expect, status, path))
        return status, content

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < stop_at:
            kind, visitor, path, number = next_step()
            if kind not in WRITES:
                timed(connection, visitor, kind, path)
                continue
            status, content = timed(connection, visitor, f"{kind} form", path)
            action, typed = _write(kind, path, number)
            html = content.decode(errors="replace")
            fields = form_fields(html, action, path) if status == 200 else None
            if fields is None:
                with lock:
                    samples.append(
                        Sample(visitor.person_id, f"write {kind}", 0.0, False, status, action)
                    )
                continue
            timed(connection, visitor, f"write {kind}", action, fields | typed, 302)
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return summarise(samples, elapsed, len(visitors), connections)


def _percentile(sorted_ms: list[float], share: float) -> float:
    if not sorted_ms:
        return 0.0
    index = min(len(sorted_ms) - 1, max(0, round(share * len(sorted_ms) + 0.5) - 1))
    return round(sorted_ms[index], 2)


def _figures(found: list[Sample], elapsed: float) -> dict[str, Any]:
    times = sorted(sample.ms for sample in found if sample.ok)
    return {
        "requests": len(found),
        "rps": round(len(found) / elapsed, 1),
        "p50_ms": _percentile(times, 0.50),
        "p95_ms": _percentile(times, 0.95),
        "p99_ms": _percentile(times, 0.99),
        "errors": sum(not sample.ok for sample in found),
    }


def summarise(
    samples: list[Sample], elapsed: float, people: int, connections: int
) -> dict[str, Any]:
    kinds = sorted({sample.kind for sample in samples})
    errors = [sample for sample in samples if not sample.ok]
    return {
        "seconds": round(elapsed, 1),
        "connections": connections,
        "people": people,
        "distinct_people_seen": len({sample.person_id for sample in samples}),
        "all": _figures(samples, elapsed),
        "by_page": {
            kind: _figures([sample for sample in samples if sample.kind == kind], elapsed)
            for kind in kinds
        },
        "writes": sum(sample.kind.startswith("write ") for sample in samples),
        "error_examples": [
            {"kind": sample.kind, "status": sample.status, "path": sample.path}
            for sample in errors[:10]
        ],
    }


def sign_in_all(visitors: list[Visitor], sign_in: Callable[[str], str], threads: int = 4) -> None:
    """Every visitor signs in over HTTP, a few at a time."""
    pending = iter(visitors)
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                visitor = next(pending, None)
            if visitor is None:
                return
            visitor.cookie = sign_in(visitor.email)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
