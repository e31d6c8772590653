"""The access log in retention and "Mine data": entries go when they are older than
`ACCESS_LOG_RETENTION_YEARS`, for everyone alike; the export lists who touched the person's
data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from devtrack.audit.models import AccessLogEntry
from devtrack.extensions import db
from devtrack.people.models import Person
from devtrack.personal_data import PersonalData, PurgeScope, PurgeStep, plain


def purge(scope: PurgeScope) -> list[PurgeStep]:
    return [
        (
            "access_log_entries",
            delete(AccessLogEntry).where(AccessLogEntry.at < scope.access_log_before),
        )
    ]


def export(person: Person) -> dict[str, Any]:
    access = db.session.scalars(
        select(AccessLogEntry)
        .where(AccessLogEntry.subject_id == person.id)
        .order_by(AccessLogEntry.at)
        .options(joinedload(AccessLogEntry.actor))
    ).all()
    return {
        "access_log": [
            {
                "at": plain(entry.at),
                "by": entry.actor.name if entry.actor else None,
                "action": plain(entry.action),
                "object": entry.object_type,
                "object_id": entry.object_id,
            }
            for entry in access
        ]
    }


PERSONAL_DATA = PersonalData("audit", tables=("access_log",), purge=purge, export=export)
