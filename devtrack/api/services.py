"""Creating, finding and revoking API clients. Services flush."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from devtrack.api.models import ApiClient
from devtrack.api.pagination import rows_after
from devtrack.api.permissions import SCOPES
from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.conversations.models import ConversationRound
from devtrack.extensions import db
from devtrack.grundlag.models import ElementVersion, FrameworkVersion, Part, StatementVersion
from devtrack.i18n import utcnow
from devtrack.people.models import OrgUnit

TOKEN_PREFIX = "dt"  # noqa: S105 (not a secret: every token starts so)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewClient:
    client: ApiClient
    token: str  # shown once; never stored


def create_client(
    name: str,
    scopes: list[str],
    *,
    days: int,
    rate_limit: int = 600,
    now: datetime | None = None,
) -> NewClient:
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise ValueError(f"unknown scopes: {unknown}" if unknown else "no scopes")
    token_id = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}_{token_id}_{secrets.token_urlsafe(32)}"
    client = ApiClient(
        name=name,
        scopes=" ".join(scope for scope in SCOPES if scope in scopes),
        token_id=token_id,
        secret_hash=_hash(token),
        rate_limit=rate_limit,
        created_at=now or utcnow(),
        expires_at=(now or utcnow()) + timedelta(days=days),
    )
    db.session.add(client)
    db.session.flush()
    log_access(
        AccessAction.CREATE,
        object_type="api_client",
        object_id=client.id,
        detail=f"{name}: {client.scopes}, expires {client.expires_at:%Y-%m-%d}",
    )
    return NewClient(client, token)


def client_for_token(token: str) -> ApiClient | None:
    """The client a token belongs to, whatever its state (revoked, expired), or None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) > 16:
        return None
    client: ApiClient | None = db.session.scalar(
        select(ApiClient).where(ApiClient.token_id == parts[1])
    )
    if client is None or not hmac.compare_digest(client.secret_hash, _hash(token)):
        return None
    return client


def revoke(client: ApiClient, now: datetime | None = None) -> None:
    if client.revoked_at is None:
        client.revoked_at = now or utcnow()
        log_access(
            AccessAction.UPDATE,
            object_type="api_client",
            object_id=client.id,
            detail=f"{client.name}: revoked",
        )
    db.session.flush()


def all_clients() -> list[ApiClient]:
    return list(db.session.scalars(select(ApiClient).order_by(ApiClient.created_at.desc())))


def client_by_id(client_id: int) -> ApiClient | None:
    return db.session.get(ApiClient, client_id)


# --- Reading for the API: the grundlag, the rounds (no personal content anywhere) -----------


def versions_after(after: int, limit: int) -> list[FrameworkVersion]:
    """Grundlag versions by id after `after`, with their framework: one page and one more."""
    return rows_after(
        select(FrameworkVersion).options(joinedload(FrameworkVersion.framework)),
        FrameworkVersion.id,
        after,
        limit,
    )


def version_with_content(version_id: int) -> FrameworkVersion | None:
    """A version with its parts, their elements and each element's statements, eagerly."""
    return db.session.scalar(
        select(FrameworkVersion)
        .where(FrameworkVersion.id == version_id)
        .options(
            joinedload(FrameworkVersion.framework),
            selectinload(FrameworkVersion.parts)
            .selectinload(Part.elements)
            .options(
                joinedload(ElementVersion.element),
                selectinload(ElementVersion.statements).joinedload(StatementVersion.statement),
            ),
        )
    )


def rounds_after(after: int, limit: int) -> list[ConversationRound]:
    """Conversation rounds by id after `after`: one page and one more."""
    return rows_after(select(ConversationRound), ConversationRound.id, after, limit)


def round_by_id(round_id: int) -> ConversationRound | None:
    return db.session.get(ConversationRound, round_id)


def external_unit_ids() -> dict[int, str]:
    """Every unit's id as the HR system knows it, by devtrack's id."""
    rows = db.session.execute(select(OrgUnit.id, OrgUnit.external_id)).all()
    return {row.id: row.external_id for row in rows}


def unit_by_external_id(external_id: str) -> OrgUnit | None:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.external_id == external_id))
