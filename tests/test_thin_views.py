"""Views are thin: they parse, authorise, call a service and render. No SQL in a view.

Read from the source: a view module imports nothing from SQLAlchemy but its exceptions, and
calls no `execute`, `scalar` or `scalars`; the query belongs in the feature's services.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "devtrack"
ALLOWED_IMPORTS = {"sqlalchemy.exc", "sqlalchemy.orm.exc"}
QUERY_CALLS = {"execute", "scalar", "scalars"}


def _view_modules() -> list[Path]:
    return sorted({*PACKAGE.rglob("views.py"), *PACKAGE.rglob("views/*.py")})


def _sql_in(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            top = node.module.split(".")[0]
            if top == "sqlalchemy" and node.module not in ALLOWED_IMPORTS:
                found.append(f"line {node.lineno}: from {node.module} import …")
        elif isinstance(node, ast.Import):
            found += [
                f"line {node.lineno}: import {alias.name}"
                for alias in node.names
                if alias.name.split(".")[0] == "sqlalchemy"
            ]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERY_CALLS
        ):
            found.append(f"line {node.lineno}: .{node.func.attr}(…)")
    return found


def test_the_views_are_found() -> None:
    names = {path.relative_to(PACKAGE).as_posix() for path in _view_modules()}
    assert {"people/views.py", "conversations/views/rounds.py", "goals/views.py"} <= names


def test_no_view_holds_sql() -> None:
    offenders = {
        path.relative_to(PACKAGE).as_posix(): found
        for path in _view_modules()
        if (found := _sql_in(path))
    }
    assert offenders == {}
