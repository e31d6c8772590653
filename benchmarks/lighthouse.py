"""Lighthouse on devtrack as it is served in production: `make lighthouse`.

Builds (once) a demo database in benchmarks/data/, serves it with gunicorn, signs in over HTTP
as the demo employee, leader and HR person, and runs Lighthouse (npm, mobile emulation, the
machine's Chromium) on the front page, timeline, a goal, a plan, "Mine medarbejdere" and the
coverage report. The scores go to benchmarks/lighthouse.json; the targets are accessibility
100, best practices 100 and performance at least 95. Not part of `make test`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import free_port, request, sign_in  # noqa: E402  (benchmarks/run.py, beside this file)

DATA = ROOT / "benchmarks" / "data"
DATABASE = DATA / "lighthouse.sqlite3"
RESULTS = ROOT / "benchmarks" / "lighthouse.json"
BIN = Path(sys.executable).parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("DEVTRACK_CHROMIUM", "/usr/bin/chromium")
SECRET_KEY = "lighthouse-only-secret-key-not-for-production"  # noqa: S105  (local runs only)
TARGETS = {"accessibility": 100, "best-practices": 100, "performance": 95}
EMPLOYEE = "frederik.froelich@demo.devtrack.dk"
LEADER = "joergen.hansen@demo.devtrack.dk"
HR = "rasmus.aaberg@demo.devtrack.dk"


def environment() -> dict[str, str]:
    return {
        **os.environ,
        "FLASK_APP": "wsgi",
        "DATABASE_URL": f"sqlite:///{DATABASE}",
        "DEVTRACK_SECRET_KEY": SECRET_KEY,
    }


def build_database() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    for command in (["db", "upgrade"], ["devtrack", "demo", "--if-empty"]):
        subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=environment(), check=True)


def pages() -> dict[str, tuple[str, str]]:
    """Page name -> (who looks at it, its address), with the demo's ids."""
    os.environ.update(environment())
    from sqlalchemy import select

    from devtrack import create_app
    from devtrack.conversations.models import Conversation, DevelopmentPlan
    from devtrack.extensions import db
    from devtrack.goals.models import Goal
    from devtrack.people.models import Person

    app = create_app()
    with app.app_context():
        employee = db.session.scalars(select(Person).where(Person.email == EMPLOYEE)).one()
        goal = db.session.scalars(
            select(Goal.id).where(Goal.owner_id == employee.id).order_by(Goal.id)
        ).first()
        conversation = db.session.scalars(
            select(Conversation.id)
            .join(DevelopmentPlan, DevelopmentPlan.conversation_id == Conversation.id)
            .where(Conversation.employee_id == employee.id)
            .order_by(Conversation.id.desc())
        ).first()
        db.engine.dispose()
    return {
        "front page": (EMPLOYEE, "/"),
        "timeline": (EMPLOYEE, "/tidslinje/"),
        "goal": (EMPLOYEE, f"/maal/{goal}"),
        "plan": (EMPLOYEE, f"/samtaler/{conversation}/plan"),
        "Mine medarbejdere": (LEADER, "/mine-medarbejdere"),
        "coverage report": (HR, "/hr/rapporter/daekning"),
    }


def lighthouse(url: str, cookie: str, attempts: int = 3) -> dict[str, Any]:
    """One Lighthouse run; a run Chrome spoils (NO_NAVSTART and the like) is tried again."""
    report = DATA / "lighthouse-report.json"
    report.unlink(missing_ok=True)
    done = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            "--only-categories=performance,accessibility,best-practices",
            f"--extra-headers={json.dumps({'Cookie': cookie})}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        cwd=ROOT,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=False,
    )
    if done.returncode != 0 or not report.exists():
        if attempts > 1:
            return lighthouse(url, cookie, attempts - 1)
        return {"scores": {}, "audits_below_90": [], "error": "Lighthouse failed three times"}
    result = json.loads(report.read_text("utf-8"))
    scores = {
        name: round(category["score"] * 100) for name, category in result["categories"].items()
    }
    failing = sorted(
        audit["id"]
        for audit in result["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    )
    return {"scores": scores, "audits_below_90": failing}


def main() -> int:
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse mangler: kør `npm ci` (make lighthouse gør det)")
    if not DATABASE.exists():
        build_database()
    addresses = pages()
    port = free_port()
    log = (DATA / "gunicorn-lighthouse.log").open("wb")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    results: dict[str, Any] = {}
    try:
        for _attempt in range(100):
            try:
                if request(port, "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        cookies = {email: sign_in(port, email) for email in {EMPLOYEE, LEADER, HR}}
        for name, (email, path) in addresses.items():
            results[name] = {
                "path": path,
                **lighthouse(f"http://127.0.0.1:{port}{path}", cookies[email]),
            }
            print(name, results[name]["scores"], results[name]["audits_below_90"])
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    missed = [
        f"{name}: {category} {score} < {TARGETS[category]}"
        for name, result in results.items()
        for category, score in result["scores"].items()
        if score < TARGETS[category]
    ] + [f"{name}: {result['error']}" for name, result in results.items() if "error" in result]
    load = os.getloadavg()[0]
    RESULTS.write_text(
        json.dumps(
            {
                "measured": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "machine": f"{os.cpu_count()} CPUs, load average {load:.1f} during the run",
                "targets": TARGETS,
                "pages": results,
                "missed": missed,
            },
            indent=2,
        )
        + "\n",
        "utf-8",
    )
    print(f"{RESULTS}: " + ("every target met" if not missed else "; ".join(missed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
