"""Long commands show progress on a terminal, stay quiet from cron or with --quiet, and end
with one line saying what they did and how long it took."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from devtrack import progress
from tests.conftest import SEED_DIR, outside_app_context

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
