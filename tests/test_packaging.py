"""pyproject.toml says what devtrack needs; requirements.txt pins it. The two stay in step."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in project["dependencies"]]


def pinned() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.txt pins every package exactly: {line}"
            pins[canonicalize_name(name)] = version
    return pins


def _needed_by(requirement: Requirement) -> set[str]:
    """The requirement and everything it needs, by the installed packages' metadata."""
    found: set[str] = set()
    waiting = [(requirement, requirement.extras)]
    while waiting:
        current, extras = waiting.pop()
        name = canonicalize_name(current.name)
        if name in found:
            continue
        found.add(name)
        try:
            needs = requires(current.name) or []
        except PackageNotFoundError:
            continue
        for line in needs:
            inner = Requirement(line)
            environments = [{"extra": extra} for extra in extras] or [{"extra": ""}]
            if inner.marker is None or any(inner.marker.evaluate(env) for env in environments):
                waiting.append((inner, inner.extras))
    return found


def test_every_dependency_is_pinned_within_its_range() -> None:
    pins = pinned()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is missing from requirements.txt"
        assert requirement.specifier.contains(pins[name]), (requirement, pins[name])


def test_every_pin_is_needed_by_a_dependency() -> None:
    needed = set().union(*(_needed_by(requirement) for requirement in declared()))
    assert set(pinned()) - needed == set()
