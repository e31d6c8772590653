"""Goals' part of `flask devtrack remind` (registered with the factory)."""

from __future__ import annotations

from datetime import date

from flask import current_app

from devtrack.goals.services import remind_deadlines


def goal_reminders(today: date) -> list[tuple[str, int]]:
    """Owners of goals whose target date is near (once per goal and date)."""
    days = int(current_app.config["DEADLINE_REMINDER_DAYS"])
    return [(f"Påmindelser om frister inden for {days} dage", remind_deadlines(today, days))]
