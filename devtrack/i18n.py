"""Language and time: Danish first, English second; times stored in UTC, shown in Danish time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context, session
from flask_babel import format_date, format_decimal, format_time

from devtrack.extensions import babel

SESSION_KEY = "language"
# Where devtrack's users are: the time zone of every Danish day and every time shown.
DANISH_TIME = ZoneInfo("Europe/Copenhagen")


def select_locale() -> str:
    languages: tuple[str, ...] = current_app.config["LANGUAGES"]
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return str(chosen)
    from devtrack.database import signed_in_user

    preferred = getattr(signed_in_user(), "language", None)
    if preferred in languages:
        return str(preferred)
    default: str = current_app.config["BABEL_DEFAULT_LOCALE"]
    return default


def utcnow() -> datetime:
    """The current time as an aware UTC datetime: the only kind devtrack stores."""
    return datetime.now(UTC)


def today_in_denmark() -> date:
    """Today's date where devtrack's users are: deadlines and 'overdue' are Danish days."""
    return datetime.now(DANISH_TIME).date()


def start_of_danish_day(day: date) -> datetime:
    """Midnight in Denmark at the start of `day`, as a UTC instant (22:00 or 23:00 UTC before)."""
    return datetime.combine(day, time.min, tzinfo=DANISH_TIME).astimezone(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything devtrack stores is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def danish_datetime(moment: datetime | None) -> str:
    """E.g. '23. nov. 2026 14.05' in Danish time, never with seconds; English its own way."""
    if moment is None:
        return ""
    moment = as_utc(moment)
    return f"{format_date(moment, 'medium')} {format_time(moment, 'short')}"


def danish_date(day: date | None) -> str:
    if day is None:
        return ""
    return str(format_date(day, "long"))


_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?$")


def readable(value: object) -> object:
    """A date or time kept as ISO text (personal data as exported) shown as on every page."""
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        if "T" in value:
            return danish_datetime(datetime.fromisoformat(value))
        return danish_date(date.fromisoformat(value))
    return value


def number(value: int | float) -> str:
    """A count with the language's thousands separator: 45.000 in Danish, 45,000 in English."""
    return str(format_decimal(value))


def init_app(app: Flask) -> None:
    translations = Path(__file__).parent / "translations"
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(translations))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["datetime"] = danish_datetime
    app.jinja_env.filters["date"] = danish_date
    app.jinja_env.filters["readable"] = readable
    app.jinja_env.filters["number"] = number
