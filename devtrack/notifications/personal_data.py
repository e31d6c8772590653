"""Notifications in retention and "Mine data": a person's own are deleted; in others' they
become unsigned (no actor)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from devtrack.extensions import db
from devtrack.notifications.models import Notification
from devtrack.people.models import Person
from devtrack.personal_data import PersonalData, PurgeScope, PurgeStep, plain


def purge(scope: PurgeScope) -> list[PurgeStep]:
    ids = scope.person_ids
    return [
        ("notifications", delete(Notification).where(Notification.person_id.in_(ids))),
        (
            "notifications_unnamed",
            update(Notification).where(Notification.actor_id.in_(ids)).values(actor_id=None),
        ),
    ]


def export(person: Person) -> dict[str, Any]:
    notifications = db.session.scalars(
        select(Notification).where(Notification.person_id == person.id)
    ).all()
    return {
        "notifications": [
            {"kind": plain(n.kind), "subject": n.subject, "at": plain(n.created_at)}
            for n in notifications
        ]
    }


PERSONAL_DATA = PersonalData("notifications", tables=("notification",), purge=purge, export=export)
