"""Notifications in retention and "Mine data": a person's own are deleted; in others' they
become unsigned (no actor). E-mails in the outbox to a person who is purged go with them, and
every e-mail the mail server took is deleted `OUTBOX_RETENTION_DAYS` after it was sent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, select, update

from devtrack.extensions import db
from devtrack.notifications.models import Notification, OutboxMessage
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
        (
            "e_mails",
            delete(OutboxMessage).where(
                OutboxMessage.to_address.in_(select(Person.email).where(Person.id.in_(ids)))
            ),
        ),
        (
            "e_mails_sent",
            delete(OutboxMessage).where(
                OutboxMessage.sent_at
                < scope.start_of_today - timedelta(days=current_app.config["OUTBOX_RETENTION_DAYS"])
            ),
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


PERSONAL_DATA = PersonalData(
    "notifications", tables=("notification", "outbox_message"), purge=purge, export=export
)
