"""A server killed mid-request leaves no half-saved goal: each save is one transaction.

Real gunicorn, real `kill -9` of its worker while people save goals with many links, on the
test database (SQLite file or PostgreSQL).
"""

from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
from sqlalchemy import func, select

from devtrack.extensions import db
from devtrack.goals.models import Goal, GoalEvent, GoalEventKind, GoalLink
from devtrack.grundlag.models import GrundlagElement
from tests.conftest import PASSWORD, World, give_password

PROJECT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            return str(response.read().decode("utf-8"))

    def post(self, path: str, data: list[tuple[str, str]]) -> int:
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def token(self, path: str) -> str:
        match = re.search(r'name="csrf_token" value="([^"]+)"', self.get(path))
        assert match is not None
        return match.group(1)


def _wait_for(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).close()  # noqa: S310
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


def test_killing_the_worker_mid_save_leaves_no_half_saved_goal(
    database_url: str, world: World
) -> None:
    give_password(world.employee)
    elements = [f"e{element_id}" for element_id in db.session.scalars(select(GrundlagElement.id))]
    links = elements[:12]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEVTRACK_SECRET_KEY": "fault-test",
        "DEVTRACK_WRITE_RATE_LIMIT": "100000",
        "DEVTRACK_SIGNIN_RATE_LIMIT": "100000",
    }
    server = subprocess.Popen(
        [str(GUNICORN), "--workers", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    kills = 0
    try:
        _wait_for(base)
        browser = Browser(base)
        browser.post(
            "/log-ind",
            [
                ("csrf_token", browser.token("/log-ind")),
                ("email", world.employee.email),
                ("password", PASSWORD),
            ],
        )
        token = browser.token("/maal/nyt")
        stop = threading.Event()

        def save_goals(number: int) -> None:
            for attempt in range(12):
                if stop.is_set():
                    return
                data = [("csrf_token", token), ("title", f"Mål {number}-{attempt}"), ("share", "y")]
                data += [("links", link) for link in links]
                # The worker died under this request: before, or while, it answered.
                with contextlib.suppress(OSError, http.client.HTTPException):
                    browser.post("/maal/nyt", data)

        savers = [threading.Thread(target=save_goals, args=(n,)) for n in range(4)]
        for saver in savers:
            saver.start()
        for _round in range(3):
            time.sleep(0.25)
            for worker in psutil.Process(server.pid).children():
                os.kill(worker.pid, signal.SIGKILL)
                kills += 1
            _wait_for(base)
        stop.set()
        for saver in savers:
            saver.join(timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert kills >= 3
    db.session.expire_all()
    saved = db.session.scalars(select(Goal).where(Goal.title.startswith("Mål "))).all()
    assert saved, "no goal was saved at all"
    for goal in saved:
        link_count = db.session.scalar(select(func.count()).where(GoalLink.goal_id == goal.id))
        created = db.session.scalar(
            select(func.count()).where(
                GoalEvent.goal_id == goal.id, GoalEvent.kind == GoalEventKind.CREATED
            )
        )
        assert (link_count, created) == (len(links), 1), goal.title
