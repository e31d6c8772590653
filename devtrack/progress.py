"""How far a long command is: a progress bar on a terminal; silence from cron or with --quiet.

Every long command (`org import`, `grundlag import`, `demo`, `retention`, `backup`,
`restore`) goes through its steps with `Progress` and ends with one summary line that says
what it did and how long it took; that line is printed also without a terminal.

A service that works through many rows (the organisation's sync, the large demo) takes a
`RowProgress` and says how many rows it expects and each row it has done; `Progress` is one,
`NO_PROGRESS` (the default, for requests and tests) is the other.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def quiet_option(command: F) -> F:
    return click.option(
        "--quiet", is_flag=True, help="Vis ingen fremdrift, kun resultatet (som fra cron)."
    )(command)


def on_terminal() -> bool:
    return sys.stderr.isatty()


# A terminal line is redrawn at most this often, however many rows are done in between.
REDRAW_SECONDS = 0.1


class RowProgress(Protocol):
    def expect(self, rows: int, stage: str) -> None:
        """`rows` more rows are coming, in the stage named."""

    def advance(self, rows: int = 1) -> None:
        """This many rows are done."""


class _NoProgress:
    def expect(self, rows: int, stage: str) -> None:
        pass

    def advance(self, rows: int = 1) -> None:
        pass


NO_PROGRESS: RowProgress = _NoProgress()


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Progress:
    """A command's progress line on stderr: `Label: stage  12.345 af 45.000 (27 %)`, redrawn
    in place as steps and rows are done."""

    def __init__(self, label: str, steps: int, *, quiet: bool) -> None:
        self.label = label
        self.steps = steps
        self.done_steps = 0
        self.stage = ""
        self.show = not quiet and on_terminal()
        self.started = time.perf_counter()
        self._drawn_at = 0.0
        self._width = 0

    def __enter__(self) -> Progress:
        self.started = time.perf_counter()
        self._draw()
        return self

    def step(self, name: str) -> None:
        """One step done; the line names it."""
        self.stage = name
        self.done_steps += 1
        self._draw()

    def expect(self, rows: int, stage: str) -> None:
        """Rows of work to come (beyond the steps given at the start), in the stage named."""
        self.steps += rows
        self.stage = stage
        self._draw()

    def advance(self, rows: int = 1) -> None:
        self.done_steps += rows
        now = time.perf_counter()
        if now - self._drawn_at >= REDRAW_SECONDS:
            self._draw()

    def _draw(self) -> None:
        if not self.show:
            return
        self._drawn_at = time.perf_counter()
        total = max(self.steps, 1)
        done = min(self.done_steps, total)
        line = f"{self.label}: {self.stage}" if self.stage else self.label
        line += f"  {_number(done)} af {_number(total)} ({done * 100 // total} %)"
        sys.stderr.write("\r" + line.ljust(self._width))
        sys.stderr.flush()
        self._width = len(line)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.show:
            self._draw()
            sys.stderr.write("\n")
            sys.stderr.flush()

    def seconds(self) -> str:
        return f"{time.perf_counter() - self.started:.1f}".replace(".", ",")

    def done(self, summary: str) -> None:
        """The command's last line: what it did, and how long it took."""
        click.echo(f"{summary} ({self.seconds()} s)")
