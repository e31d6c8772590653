"""What SAML must remember between requests, in the database so every app server agrees."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.types import UTCDateTime


class SamlPendingRequest(db.Model):  # type: ignore[name-defined,misc]
    """An AuthnRequest sent and not yet answered: a response must answer one of these, once.

    Kept here rather than in the session cookie, which the browser does not send along with the
    identity provider's cross-site POST (SameSite=Lax). The RelayState carries the id.
    """

    __tablename__ = "saml_pending_request"

    request_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_page: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class SamlUsedAssertion(db.Model):  # type: ignore[name-defined,misc]
    """An assertion accepted once: the same assertion posted again is a replay, refused."""

    __tablename__ = "saml_used_assertion"

    assertion_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    # After this the assertion is refused as expired anyway; the row may then go.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
