"""The shape of the package, read from its imports: no circles, and every arrow points down.

    shared modules (below)  ←  grundlag, people  ←  goals, feedback  ←  conversations  ←  reports

Shared modules import no feature (only the organisation's models and the hierarchy service,
which every feature hangs on). A feature imports only features of a lower rank. The factory
(`devtrack/__init__.py`) and the command group (`devtrack/commands.py`) put everything together
and are the only modules allowed to import everything.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "devtrack"

# Small modules every feature may use; they import no feature.
SHARED = frozenset(
    {
        "addresses",
        "audit",
        "cli",
        "config",
        "database",
        "errors",
        "exports",
        "extensions",
        "forms",
        "i18n",
        "importfiles",
        "limits",
        "logs",
        "maintenance",
        "paths",
        "permissions",
        "personal_data",
        "progress",
        "retention",
        "security",
        "types",
        "backup",
    }
)
# What the shared layer may use of the feature packages: the organisation tree, who leads whom,
# and the app shell's own table (the health probe). These import no feature themselves.
BASE = frozenset({"devtrack.people.models", "devtrack.people.hierarchy", "devtrack.core.models"})
# Features by rank: a feature imports only features of a lower rank (style.md's diagram, plus
# the packages it does not draw: sign-in, notifications, the timeline, the front page).
RANK = {
    "grundlag": 1,
    "conversation_templates": 1,
    "auth": 1,
    "notifications": 1,
    "people": 2,
    "sso": 2,
    "goals": 3,
    "feedback": 3,
    "timeline": 4,
    "conversations": 5,
    "reports": 6,
    "mydata": 6,
    "core": 6,
    "demo": 7,
    # The JSON API serves what the pages serve: it calls the features' and the reports' services.
    "api": 7,
}
# The composition roots: they import every feature to register it.
ROOTS = frozenset({"devtrack", "devtrack.commands"})


@cache
def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Nodes under `if TYPE_CHECKING:`: for the type checker only, never imported at run time."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(inner) for child in node.body for inner in ast.walk(child))
    return skipped


@cache
def imports_of(module: str) -> frozenset[str]:
    """Every devtrack module `module` imports, at module level or inside a function."""
    tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
    skipped = _type_checking_only(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("devtrack"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] != "devtrack":
                continue
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in modules() else node.module)
    found.discard(module)
    return frozenset(found)


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def edges() -> Iterator[tuple[str, str]]:
    for module in modules():
        for imported in imports_of(module):
            yield module, imported


def circles() -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan), i.e. every import circle."""
    graph = {module: sorted(imports_of(module) & modules().keys()) for module in modules()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_every_package_has_a_place_in_the_layers() -> None:
    """A new package or top-level module is placed on purpose: in SHARED or in RANK above."""
    packages = {package_of(module) for module in modules()} - {""}
    assert packages - SHARED - RANK.keys() - {"commands"} == set()


def test_no_module_imports_itself_round_a_circle() -> None:
    assert circles() == []


def test_shared_modules_import_no_feature() -> None:
    wrong = [
        f"{module} imports {imported}"
        for module, imported in edges()
        if package_of(module) in SHARED and package_of(imported) in RANK and imported not in BASE
    ]
    assert wrong == []


def test_the_modules_shared_modules_may_use_import_no_feature_either() -> None:
    wrong = [
        f"{module} imports {imported}"
        for module, imported in edges()
        if module in BASE and package_of(imported) in RANK and imported not in BASE
    ]
    assert wrong == []


def test_features_import_only_features_below_them() -> None:
    wrong = [
        f"{module} imports {imported}"
        for module, imported in edges()
        if package_of(module) in RANK
        and package_of(imported) in RANK
        and package_of(module) != package_of(imported)
        and imported not in BASE
        and RANK[package_of(imported)] >= RANK[package_of(module)]
    ]
    assert wrong == []


def test_reports_and_the_demo_are_imported_only_by_the_composition_roots() -> None:
    """…and the reports by the API, which publishes their figures computed by them."""
    wrong = [
        f"{module} imports {imported}"
        for module, imported in edges()
        if package_of(imported) in {"reports", "demo"}
        and package_of(module) != package_of(imported)
        and module not in ROOTS
        and not (package_of(imported) == "reports" and package_of(module) == "api")
    ]
    assert wrong == []


def test_models_know_no_views_or_forms_and_services_know_no_views() -> None:
    wrong = [
        f"{module} imports {imported}"
        for module, imported in edges()
        if module.rsplit(".", 1)[-1] in {"models", "services"}
        and imported.rsplit(".", 1)[-1] in {"views", "forms", "blueprint"}
        and not (module.endswith("services") and imported.endswith("forms"))
    ]
    assert wrong == []


def test_a_web_worker_never_loads_the_demo(database_url: str, tmp_path: Path) -> None:
    """The demo's 1,400 lines are imported by its command only, not by the app serving pages."""
    script = (
        "import sys\n"
        "from devtrack import create_app\n"
        "app = create_app({'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': sys.argv[1]})\n"
        "client = app.test_client()\n"
        "for path in ('/healthz', '/', '/log-ind'):\n"
        "    assert client.get(path, follow_redirects=True).status_code == 200, path\n"
        "print(sorted(name for name in sys.modules if name.startswith('devtrack.demo')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, database_url],
        capture_output=True,
        text=True,
        cwd=PACKAGE.parent,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
