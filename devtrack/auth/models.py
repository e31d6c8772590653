"""One row per signed-in browser: signing out ends the row, so a copied cookie stops working."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.types import UTCDateTime


class SigninSession(db.Model):  # type: ignore[name-defined,misc]
    """A session started by signing in. The cookie holds a random token; only its hash is here."""

    __tablename__ = "signin_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
