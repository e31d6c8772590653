"""Count a hit and say whether it is within the limit.

Counted on a connection of its own, committed at once: a refused or failed request still
counts, and the request's own unit of work is left alone.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, request
from flask_login import current_user
from sqlalchemy import case, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import TooManyRequests

from devtrack.extensions import db
from devtrack.i18n import as_utc, utcnow
from devtrack.limits.models import AttemptCount, RateLimitWindow

table = RateLimitWindow.__table__
attempts_table = AttemptCount.__table__


def _window_start(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


def seconds_left(seconds: int, now: datetime | None = None) -> int:
    """Seconds until the current window of `seconds` ends and its count starts over."""
    return seconds - int((now or utcnow()).timestamp()) % seconds


def too_many(seconds: int) -> TooManyRequests:
    """429, telling the client (`Retry-After`) when the window of `seconds` starts over."""
    return TooManyRequests(retry_after=seconds_left(seconds))


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


def hits_so_far(key: str, seconds: int, now: datetime | None = None) -> int:
    """The hits counted for `key` in the current window, without counting one."""
    start = _window_start(now or utcnow(), seconds)
    with db.engine.connect() as connection:
        hits = connection.execute(
            select(table.c.hits).where((table.c.key == key[:300]) & (table.c.window_start == start))
        ).scalar()
    return int(hits or 0)


def limit_writes() -> None:
    """Before every state-changing request: a person (or an address) may only write so often."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    if request.endpoint in ("auth.signin", "sso.saml_acs", "sso.saml_logout"):
        # Sign-in has its own limits, on failures only (`limit_signins`, `Backoff`); the
        # identity provider's signed messages come from a whole workforce's addresses.
        return
    if request.blueprint == "api":
        return  # API clients have a limit each (`devtrack.api.auth`)
    config = current_app.config
    if current_user.is_authenticated:
        key = f"write:person:{current_user.id}"
    else:
        key = f"write:address:{request.remote_addr}"
    window = int(config["WRITE_RATE_WINDOW_SECONDS"])
    if not hit(key, int(config["WRITE_RATE_LIMIT"]), window):
        current_app.logger.warning("Rate limit for %s", key, extra={"event": "rate_limited"})
        raise too_many(window)


def _failed_signins_key() -> str:
    return f"signin-failed:address:{request.remote_addr}"


def limit_signins() -> None:
    """Refuse sign-in from an address with many recent failures (429).

    Only failures count, and the limit is high: behind a NAT or a proxy a whole workforce may
    share one address, and their successful sign-ins must never lock each other out.
    """
    config = current_app.config
    window = int(config["SIGNIN_RATE_WINDOW_SECONDS"])
    if hits_so_far(_failed_signins_key(), window) >= int(config["SIGNIN_RATE_LIMIT"]):
        current_app.logger.warning(
            "Rate limit for %s", _failed_signins_key(), extra={"event": "rate_limited"}
        )
        raise too_many(window)


def count_failed_signin() -> None:
    config = current_app.config
    hit(
        _failed_signins_key(),
        int(config["SIGNIN_RATE_LIMIT"]),
        int(config["SIGNIN_RATE_WINDOW_SECONDS"]),
    )


@dataclass(frozen=True)
class Backoff:
    """How long to wait between attempts at something guessable, after `free` failures.

    The wait doubles with each further failure, from `first_wait` up to `max_wait` seconds: a
    person who mistypes a few times waits seconds, a guesser gets a few attempts an hour, and
    no one can lock anyone out for longer than `max_wait`. Failures are forgotten after
    `memory` seconds without any.
    """

    free: int
    first_wait: int
    max_wait: int
    memory: int

    def wait_after(self, failures: int) -> int:
        if failures < self.free:
            return 0
        return int(min(self.max_wait, self.first_wait * 2 ** min(failures - self.free, 30)))


def _attempt_key(key: str) -> str:
    """Keys hold e-mails and addresses: only their hash is stored."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def take_attempt(key: str, backoff: Backoff, now: datetime | None = None) -> int:
    """Count an attempt under `key` unless it must wait; return the seconds left to wait (0: go).

    The attempt counts as a failure until `forget_attempts` is called for a success. Counted
    with `attempts = attempts + 1` in SQL, on a connection of its own and committed at once,
    so parallel attempts each count and a blocked key stays blocked for all of them.
    """
    now = now or utcnow()
    key = _attempt_key(key)
    c = attempts_table.c
    by_key = c.key == key
    open_now = by_key & (c.blocked_until.is_(None) | (c.blocked_until <= now))
    counted = case(
        (c.last_attempt_at < now - timedelta(seconds=backoff.memory), 1),
        else_=c.attempts + 1,
    )
    with db.engine.begin() as connection:
        taken = connection.execute(
            update(attempts_table).where(open_now).values(attempts=counted, last_attempt_at=now)
        ).rowcount
        if taken == 0:
            blocked_until = connection.execute(select(c.blocked_until).where(by_key)).scalar()
            if blocked_until is not None:
                return max(1, math.ceil((as_utc(blocked_until) - now).total_seconds()))
            try:
                with connection.begin_nested():
                    connection.execute(
                        insert(attempts_table).values(key=key, attempts=1, last_attempt_at=now)
                    )
            except IntegrityError:  # another worker counted the first attempt at this moment
                taken = connection.execute(
                    update(attempts_table)
                    .where(open_now)
                    .values(attempts=counted, last_attempt_at=now)
                ).rowcount
                if taken == 0:
                    return 1
        failures = connection.execute(select(c.attempts).where(by_key)).scalar_one()
        wait = backoff.wait_after(int(failures))
        if wait:
            connection.execute(
                update(attempts_table)
                .where(by_key)
                .values(blocked_until=now + timedelta(seconds=wait))
            )
    return 0


def seconds_to_wait(key: str, now: datetime | None = None) -> int:
    now = now or utcnow()
    with db.engine.connect() as connection:
        blocked_until = connection.execute(
            select(attempts_table.c.blocked_until).where(attempts_table.c.key == _attempt_key(key))
        ).scalar()
    if blocked_until is None or as_utc(blocked_until) <= now:
        return 0
    return math.ceil((as_utc(blocked_until) - now).total_seconds())


def forget_attempts(*keys: str) -> None:
    """A success: the failures counted under these keys no longer count."""
    hashed = [_attempt_key(key) for key in keys]
    db.session.execute(delete(AttemptCount).where(AttemptCount.key.in_(hashed)))
