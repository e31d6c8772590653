"""The jobs `flask devtrack remind` runs: each feature registers its own with the factory
(goals' deadlines, the MUS round's steps); this module only runs what was registered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Flask, current_app

# A job makes its reminders for `today` and says what it did: (what, how many) per line.
ReminderJob = Callable[[date], list[tuple[str, int]]]
REMINDER_JOBS = "devtrack.reminder_jobs"


def register_reminders(app: Flask, *jobs: ReminderJob) -> None:
    app.extensions.setdefault(REMINDER_JOBS, []).extend(jobs)


def run_reminders(today: date) -> list[tuple[str, int]]:
    lines: list[tuple[str, int]] = []
    for job in current_app.extensions.get(REMINDER_JOBS, []):
        lines += job(today)
    return lines
