"""Long commands show progress on a terminal, stay quiet from cron or with --quiet, and end
with one line saying what they did and how long it took."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from devtrack import progress
from tests.conftest import SEED_DIR, SMALL_ORG, outside_app_context

ALBERTSLUND = str(SEED_DIR / "grundlag" / "albertslund.yaml")
SUMMARY = re.compile(r"Indlæst: .*version 1 \(\d+ elementer\)\. \(\d+,\d s\)\n\Z")


def _import(app: Flask, *options: str) -> str:
    runner = app.test_cli_runner()
    result = outside_app_context(
        runner.invoke, args=["devtrack", "grundlag", "import", ALBERTSLUND, *options]
    )
    assert result.exit_code == 0, result.output
    return str(result.output)


def test_without_a_terminal_only_the_summary_is_printed(app: Flask) -> None:
    output = _import(app)
    assert SUMMARY.search(output), output
    assert "Grundlagsimport" not in output
    assert output.count("\n") == 1


def test_on_a_terminal_the_progress_is_shown(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "on_terminal", lambda: True)
    output = _import(app)
    assert "Grundlagsimport" in output
    assert SUMMARY.search(output), output


def test_quiet_hides_the_progress_on_a_terminal_too(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "on_terminal", lambda: True)
    output = _import(app, "--quiet")
    assert "Grundlagsimport" not in output
    assert SUMMARY.search(output), output


# The organisation file of the small organisation and 1.200 more employees in its teams.
EXTRA_PEOPLE = 1200
LARGE_ORG = SMALL_ORG + "".join(
    f"person;X{n};Person {n};;;person{n}@test.dk;{3 + n % 2};2020-01-01;\n"
    for n in range(EXTRA_PEOPLE)
)
ORG_SUMMARY = re.compile(r"Organisationen er opdateret: .* \(\d+,\d s\)\n\Z")


def _org_import(app: Flask, tmp_path: Path, *options: str) -> str:
    path = tmp_path / "org.csv"
    path.write_text(LARGE_ORG, encoding="utf-8")
    runner = app.test_cli_runner()
    result = outside_app_context(
        runner.invoke, args=["devtrack", "org", "import", str(path), *options]
    )
    assert result.exit_code == 0, result.output
    return str(result.output)


def test_the_org_import_counts_its_rows_on_a_terminal(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "on_terminal", lambda: True)
    monkeypatch.setattr(progress, "REDRAW_SECONDS", 0.0)
    output = _org_import(app, tmp_path)
    people = EXTRA_PEOPLE + 9
    assert "Organisationsimport: enheder" in output
    assert "Organisationsimport: personer" in output
    counts = [int(done.replace(".", "")) for done in re.findall(r"([\d.]+) af [\d.]+ \(", output)]
    # Each row of the file moves the count on, not one step for the whole import.
    assert len(set(counts)) > people
    assert counts == sorted(counts)
    assert "1.216 af 1.216 (100 %)" in output  # 3 steps of the command, 4 units, the people
    assert ORG_SUMMARY.search(output), output
    assert f"{people} nye personer" in output.splitlines()[-1]


def test_the_org_import_prints_only_its_summary_without_a_terminal_or_when_quiet(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = _org_import(app, tmp_path)
    assert output.count("\n") == 1 and ORG_SUMMARY.search(output), output
    monkeypatch.setattr(progress, "on_terminal", lambda: True)
    quiet = _org_import(app, tmp_path, "--quiet")
    assert quiet.count("\n") == 1 and ORG_SUMMARY.search(quiet), quiet
    assert "0 nye personer" in quiet  # the second run changes nothing
