"""Count a hit and say whether it is within the limit.

Counted on a connection of its own, committed at once: a refused or failed request still
counts, and the request's own unit of work is left alone.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, request
from flask_login import current_user
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.limits.models import RateLimitWindow

table = RateLimitWindow.__table__


def _window_start(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


def hit(key: str, limit: int, seconds: int, now: datetime | None = None) -> bool:
    """Record one hit for `key`; True while the window's hits are within `limit`."""
    start = _window_start(now or utcnow(), seconds)
    key = key[:300]
    with db.engine.begin() as connection:
        where = (table.c.key == key) & (table.c.window_start == start)
        updated = connection.execute(update(table).where(where).values(hits=table.c.hits + 1))
        if updated.rowcount == 0:
            try:
                with connection.begin_nested():
                    connection.execute(insert(table).values(key=key, window_start=start, hits=1))
            except IntegrityError:  # another worker inserted the same window first
                connection.execute(update(table).where(where).values(hits=table.c.hits + 1))
        hits = connection.execute(select(table.c.hits).where(where)).scalar_one()
    return int(hits) <= limit


def limit_writes() -> None:
    """Before every state-changing request: a person (or an address) may only write so often."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    config = current_app.config
    if current_user.is_authenticated:
        key = f"write:person:{current_user.id}"
    else:
        key = f"write:address:{request.remote_addr}"
    if not hit(key, int(config["WRITE_RATE_LIMIT"]), int(config["WRITE_RATE_WINDOW_SECONDS"])):
        current_app.logger.warning("Rate limit for %s", key, extra={"event": "rate_limited"})
        abort(429)


def limit_signins(email: str) -> None:
    """Sign-in attempts per client address and per e-mail, on top of the account lockout."""
    config = current_app.config
    window = int(config["SIGNIN_RATE_WINDOW_SECONDS"])
    limit = int(config["SIGNIN_RATE_LIMIT"])
    for key in (f"signin:address:{request.remote_addr}", f"signin:email:{email.strip().lower()}"):
        if not hit(key, limit, window):
            current_app.logger.warning("Rate limit for %s", key, extra={"event": "rate_limited"})
            abort(429)
