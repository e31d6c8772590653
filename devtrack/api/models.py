"""API clients: systems (a SOFD, a BI tool, the intranet) an administrator lets in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.types import UTCDateTime


class ApiClient(db.Model):  # type: ignore[name-defined,misc]
    """One client and its token. The token is `dt_<token_id>_<secret>`: the id finds the row,
    only a SHA-256 of the whole token is stored (the secret has 256 random bits, so a fast
    hash is safe), and it is shown once, when the client is created."""

    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[str] = mapped_column(String(200))  # separated by spaces
    token_id: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    # Calls per minute.
    rate_limit: Mapped[int] = mapped_column(default=600)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
