"""How far a long command is: a progress bar on a terminal; silence from cron or with --quiet.

Every long command (`org import`, `grundlag import`, `demo`, `retention`, `backup`,
`restore`) goes through its steps with `Progress` and ends with one summary line that says
what it did and how long it took; that line is printed also without a terminal.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def quiet_option(command: F) -> F:
    return click.option(
        "--quiet", is_flag=True, help="Vis ingen fremdrift, kun resultatet (som fra cron)."
    )(command)


def on_terminal() -> bool:
    return sys.stderr.isatty()


class Progress:
    def __init__(self, label: str, steps: int, *, quiet: bool) -> None:
        self.label = label
        self.steps = steps
        self.show = not quiet and on_terminal()
        self.started = time.perf_counter()
        self._bar: Any = None

    def __enter__(self) -> Progress:
        self.started = time.perf_counter()
        if self.show:
            self._bar = click.progressbar(length=self.steps, label=self.label, file=sys.stderr)
            self._bar.__enter__()
        return self

    def step(self, name: str) -> None:
        """One step done; the bar names the next one."""
        if self._bar is not None:
            self._bar.label = f"{self.label}: {name}"
            self._bar.update(1)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, error, trace)

    def seconds(self) -> str:
        return f"{time.perf_counter() - self.started:.1f}".replace(".", ",")

    def done(self, summary: str) -> None:
        """The command's last line: what it did, and how long it took."""
        click.echo(f"{summary} ({self.seconds()} s)")
