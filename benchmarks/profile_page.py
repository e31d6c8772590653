"""Where a page's render spends its time: pyinstrument over repeated renders in-process.

    .venv/bin/python benchmarks/profile_page.py [--employees 2000] [--as employee|leader|hr]
        [--database URL --email ADDRESS] [--times 50] PATH [PATH …]

Uses the SQLite database `make bench` built (`benchmarks/data/devtrack-N.sqlite3`), signs in
as the demo's person in that role and prints pyinstrument's tree for each page, rendered
`--times` times after one warm-up render. `--database` profiles another database (one built
with `flask devtrack demo --employees N`) signed in as `--email` (everyone's password is the
demo's). `PROFILE_ALL=1` shows the frames of the libraries too (Jinja, SQLAlchemy, WTForms).
"""

from __future__ import annotations

import argparse
import contextvars
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "benchmarks" / "data"
ROLES = {"employee": "Medarbejder", "leader": "Leder", "hr": "HR"}


def _isolated(function: Any, *args: Any, **kwargs: Any) -> Any:
    return contextvars.Context().run(function, *args, **kwargs)


def main() -> None:
    from pyinstrument import Profiler

    from devtrack import create_app
    from devtrack.demo import DEMO_PASSWORD

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--employees", type=int, default=2000)
    parser.add_argument("--as", dest="role", choices=ROLES, default="employee")
    parser.add_argument("--times", type=int, default=50)
    parser.add_argument("--database", help="a database URL instead of the benchmark's")
    parser.add_argument("--email", help="who signs in (with --database)")
    arguments = parser.parse_args()
    if arguments.database:
        if not arguments.email:
            raise SystemExit("--database kræver --email")
        url, email = arguments.database, arguments.email
    else:
        database = DATA / f"devtrack-{arguments.employees}.sqlite3"
        marker = DATA / f"sqlite-{arguments.employees}.built.json"
        if not marker.exists():
            raise SystemExit(
                f"Byg først databasen: make bench BENCH_EMPLOYEES={arguments.employees}"
            )
        url = f"sqlite:///{database}"
        email = (
            arguments.email
            or json.loads(marker.read_text("utf-8"))["signins"][ROLES[arguments.role]]
        )
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "profile-only",
            "SIGNIN_RATE_LIMIT": 1_000_000,
        }
    )
    client = app.test_client()
    page = _isolated(client.get, "/log-ind").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token is not None
    _isolated(
        client.post,
        "/log-ind",
        data={"csrf_token": token.group(1), "email": email, "password": DEMO_PASSWORD},
    )
    for path in arguments.paths:
        assert _isolated(client.get, path).status_code == 200, path
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(arguments.times):
            _isolated(client.get, path)
        profiler.stop()
        print(f"\n===== {path} ({arguments.times} renders) =====")
        every_frame = bool(os.environ.get("PROFILE_ALL"))  # the frames of libraries too
        print(profiler.output_text(unicode=True, color=False, show_all=every_frame))


if __name__ == "__main__":
    main()
