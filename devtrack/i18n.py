"""Language and time: Danish first, English second; times stored in UTC, shown in Danish time."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers
from flask import Flask, current_app, g, has_app_context, has_request_context, session
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

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


# A page shows many dates and times; Flask-Babel looks up the locale, the time zone and the
# pattern on every call. The text of a day or a time of day in a language never changes, so
# each is formatted once per process (a few thousand short strings at most).
@lru_cache(maxsize=8192)
def _formatted_day(day: date, width: str, language: Locale | str) -> str:
    return str(dates.format_date(day, width, locale=language))


@lru_cache(maxsize=2048)
def _formatted_clock(clock: time, language: Locale | str) -> str:
    return str(dates.format_time(clock, "short", locale=language))


# Flask-Babel keeps the request's locale (and the one `force_locale` sets) in its namespace on
# `g`; its `get_locale` reaches it through half a dozen context-proxy lookups, and a page asks
# for every text and date it shows. This reads the same attribute directly and asks
# `get_locale` only when it is not there yet (the first text of a request), so it always
# answers what `get_locale` would.
_BABEL_STATE = "_flask_babel"


def request_locale() -> Locale | None:
    """Flask-Babel's `get_locale()`, cheaply: the locale of this request (or of `force_locale`)."""
    if not has_app_context():
        return None
    state = getattr(g._get_current_object(), _BABEL_STATE, None)
    locale: Locale | None = getattr(state, "babel_locale", None)
    return locale if locale is not None else get_locale()


def _language() -> Locale | str:
    return request_locale() or str(current_app.config["BABEL_DEFAULT_LOCALE"])


E = TypeVar("E", bound=Hashable)


def labels_in_language(labels: Mapping[E, Any]) -> Callable[[E], str]:
    """`str(labels[key])` for a table of lazy texts (a label per state or kind), each text
    translated once per process and language instead of once per row shown."""
    texts: dict[tuple[E, Locale | str], str] = {}

    def label(key: E) -> str:
        found = texts.get((key, language := _language()))
        if found is None:
            found = texts[key, language] = str(labels[key])
        return found

    return label


def danish_datetime(moment: datetime | None) -> str:
    """E.g. '23. nov. 2026 14.05' in Danish time, never with seconds; English its own way."""
    if moment is None:
        return ""
    here = as_utc(moment).astimezone(DANISH_TIME)
    language = _language()
    clock = time(here.hour, here.minute)
    return f"{_formatted_day(here.date(), 'medium', language)} {_formatted_clock(clock, language)}"


def danish_date(day: date | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = as_utc(day).astimezone(DANISH_TIME).date()
    return _formatted_day(day, "long", _language())


_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?$")


def readable(value: object) -> object:
    """A date or time kept as ISO text (personal data as exported) shown as on every page."""
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        if "T" in value:
            return danish_datetime(datetime.fromisoformat(value))
        return danish_date(date.fromisoformat(value))
    return value


@lru_cache(maxsize=8192, typed=True)
def _formatted_number(value: int | float, language: Locale | str) -> str:
    return str(numbers.format_decimal(value, locale=language))


def number(value: int | float) -> str:
    """A count with the language's thousands separator: 45.000 in Danish, 45,000 in English.
    (A report shows hundreds; each count is formatted once per process and language.)"""
    return _formatted_number(value, _language())


_CATALOGUE = "devtrack_catalogue"


def _catalogue() -> Any:
    """The request's catalogue, found once per language: Flask-Babel finds it again (through
    half a dozen context lookups) for every string, and a page shows dozens."""
    locale = request_locale()
    here = g._get_current_object()
    kept = getattr(here, _CATALOGUE, None)
    if kept is None or kept[0] is not locale:
        kept = (locale, get_translations())
        setattr(here, _CATALOGUE, kept)
    return kept[1]


# Jinja's own wrappers of Flask-Babel's callables resolve and call through the template
# context twice per string. These do the same work directly: the request's catalogue,
# escaped under autoescape, always formatted with the variables (as Jinja's newstyle gettext).
# They ask only for the evaluation context (whether to escape): a function that asks for the
# template context gets a copy of it made for every call inside a loop.
def _escaped(variables: dict[str, Any]) -> dict[str, Any]:
    """The variables as `Markup % variables` would put them in: escaped, numbers as they are
    (for %d). Escaped here, the text is formatted as a plain string, without markupsafe's
    wrapper object per variable (a list shows a translated text per row)."""
    return {
        name: value if isinstance(value, int | float) else escape(value)
        for name, value in variables.items()
    }


@pass_eval_context
def _template_gettext(context: EvalContext, string: str, /, **variables: Any) -> str:
    text: str = _catalogue().ugettext(string)
    if context.autoescape:
        # Our own catalogue, as Jinja does; the variables escaped.
        return Markup(text % _escaped(variables))  # noqa: S704
    return text % variables


@pass_eval_context
def _template_ngettext(
    context: EvalContext, singular: str, plural: str, number: int, /, **variables: Any
) -> str:
    variables.setdefault("num", number)
    text: str = _catalogue().ungettext(singular, plural, number)
    if context.autoescape:
        # Our own catalogue, as Jinja does; the variables escaped.
        return Markup(text % _escaped(variables))  # noqa: S704
    return text % variables


def init_app(app: Flask) -> None:
    translations = Path(__file__).parent / "translations"
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(translations))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(
        gettext=_template_gettext, _=_template_gettext, ngettext=_template_ngettext
    )
    app.jinja_env.filters["datetime"] = danish_datetime
    app.jinja_env.filters["date"] = danish_date
    app.jinja_env.filters["readable"] = readable
    app.jinja_env.filters["number"] = number
