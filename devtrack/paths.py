"""Where devtrack's files are, in a source checkout and in an installed package alike.

A checkout keeps `templates/`, `migrations/` and `seed/` beside the package; `pip install .`
copies them into the package (see `[tool.hatch.build]` in pyproject.toml). This module imports
nothing of devtrack, so anything may use it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
# A source checkout has its pyproject.toml beside the package; an installed package has not.
IS_SOURCE_CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file()


def resource(name: str) -> Path:
    """The folder `name` (templates, migrations, seed): the package's copy when installed."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PROJECT_ROOT / name


def instance_path() -> str | None:
    """`instance/` in a checkout; Flask's own choice (`<prefix>/var/devtrack-instance`) when
    installed, so the configuration and the SQLite file never land inside site-packages."""
    return str(PROJECT_ROOT / "instance") if IS_SOURCE_CHECKOUT else None


def municipality_logo_path(app: Any) -> Path | None:
    """The configured logo file (absolute, or relative to the instance folder), if it exists:
    the page header, the print view and the plan's PDF show it."""
    configured = str(app.config.get("MUNICIPALITY_LOGO") or "").strip()
    if not configured:
        return None
    path = Path(configured)
    if not path.is_absolute():
        path = Path(app.instance_path) / path
    return path if path.is_file() else None
