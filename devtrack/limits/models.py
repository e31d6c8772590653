from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from devtrack.extensions import db
from devtrack.types import UTCDateTime


class RateLimitWindow(db.Model):  # type: ignore[name-defined,misc]
    """How many times a key (a client address, a person) acted within one fixed window."""

    __tablename__ = "rate_limit_window"
    __table_args__ = (UniqueConstraint("key", "window_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    hits: Mapped[int] = mapped_column(default=0)


class AttemptCount(db.Model):  # type: ignore[name-defined,misc]
    """Attempts at something guessable (a password) under one key, and when the next may come.

    A success deletes the row; each failure makes the wait before the next attempt longer.
    """

    __tablename__ = "attempt_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)  # a hash: keys hold e-mails
    attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # No attempt under this key is even checked before this moment.
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
