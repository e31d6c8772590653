from __future__ import annotations

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from devtrack.extensions import db


class HealthProbe(db.Model):  # type: ignore[name-defined,misc]
    """Rows `/healthz` writes and deletes at once, to learn that the database takes writes."""

    __tablename__ = "health_probe"

    id: Mapped[int] = mapped_column(primary_key=True)
    # About one database page, so a database that cannot grow any more fails the probe.
    payload: Mapped[str] = mapped_column(Text())
