from __future__ import annotations

from sqlalchemy.orm import Mapped, mapped_column

from devtrack.extensions import db


class SiteRevision(db.Model):  # type: ignore[name-defined,misc]
    """One row: bumped whenever organisation-wide data changes, which every page may show."""

    __tablename__ = "site_revision"
    # Rows whose change no page shows: the revisions themselves.
    page_scope = "unseen"  # whose pages show its rows: devtrack/pagecache/revisions.py

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(default=0)
