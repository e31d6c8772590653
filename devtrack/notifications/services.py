"""Tell a person that something needs them: in the app always, by e-mail when configured."""

from __future__ import annotations

import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import current_app, g, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.notifications.models import Notification, NotificationKind, OutboxMessage
from devtrack.people.models import Person

MAX_ATTEMPTS = 10
CLAIM_TIMEOUT = timedelta(minutes=10)


def message_for(notification: Notification) -> str:
    """The notification's sentence in the current language."""
    names = {
        "actor": notification.actor.name if notification.actor else "",
        "subject": notification.subject,
    }
    text: str = notification.subject
    match notification.kind:
        case NotificationKind.FEEDBACK_RECEIVED:
            text = _("%(actor)s har givet dig feedback om %(subject)s.", **names)
        case NotificationKind.FEEDBACK_REPLY:
            text = _("%(actor)s har svaret på feedback om %(subject)s.", **names)
        case NotificationKind.FEEDBACK_REQUESTED:
            text = _("%(actor)s beder om din feedback om %(subject)s.", **names)
        case NotificationKind.PLAN_AWAITING_ACKNOWLEDGEMENT:
            text = _("Udviklingsplanen fra %(subject)s venter på, at du kvitterer.", **names)
        case NotificationKind.PLAN_AMENDED:
            text = _(
                "%(actor)s har ændret udviklingsplanen fra %(subject)s. Se ændringerne, og "
                "kvittér igen.",
                **names,
            )
        case NotificationKind.INDIVIDUAL_MUS_REQUESTED:
            text = _("%(actor)s ønsker en individuel MUS efter %(subject)s.", **names)
        case NotificationKind.DEADLINE_CLOSE:
            text = _("Fristen for »%(subject)s« er tæt på.", **names)
    return text


def notify(
    person: Person,
    kind: NotificationKind,
    *,
    endpoint: str,
    subject: str,
    actor: Person | None = None,
    dedupe_key: str | None = None,
    **url_values: Any,
) -> Notification | None:
    """Add a notification (and an e-mail when SMTP is configured); flushed with the request.

    With a `dedupe_key` that was used before, nothing is added: reminders are sent once.
    """
    if not person.active or (actor is not None and actor.id == person.id):
        return None
    if dedupe_key is not None and db.session.scalar(
        select(Notification.id).where(Notification.dedupe_key == dedupe_key)
    ):
        return None
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        path = url_for(endpoint, **url_values)
        external = url_for(endpoint, _external=True, **url_values)
    notification = Notification(
        person=person,
        kind=kind,
        actor=actor,
        path=path,
        subject=subject[:300],
        dedupe_key=dedupe_key,
    )
    db.session.add(notification)
    if current_app.config["MAIL_SERVER"]:
        language = person.language or current_app.config["BABEL_DEFAULT_LOCALE"]
        with force_locale(language):
            sentence = message_for(notification)
            body = "\n\n".join(
                [
                    sentence,
                    _("Se det i devtrack: %(link)s", link=external),
                    _("Du får denne e-mail, fordi du bruger devtrack."),
                ]
            )
            db.session.add(
                OutboxMessage(
                    to_address=person.email,
                    subject=_("devtrack: %(sentence)s", sentence=sentence)[:300],
                    body=body,
                )
            )
    return notification


def unread_count_query(person_id: Any) -> Any:
    """The person's unread count as a scalar subquery: loaded with the signed-in person."""
    return (
        select(func.count(Notification.id))
        .where(Notification.person_id == person_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def unread_count(person: Person) -> int:
    return int(db.session.scalar(select(unread_count_query(person.id))) or 0)


_UNREAD = "unread_notifications"


def remember_unread_count(count: int | None) -> None:
    setattr(g, _UNREAD, int(count or 0))


def unread_count_in_request(person: Person) -> int:
    """The count the header shows: as loaded with the signed-in person, else asked for."""
    if _UNREAD not in g:
        remember_unread_count(unread_count(person))
    return int(getattr(g, _UNREAD))


def latest_for(person: Person, limit: int) -> list[Notification]:
    """The person's newest notifications, each with who caused it."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.person_id == person.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
            .options(joinedload(Notification.actor))
        )
    )


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(person: Person) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.person_id == person.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    error: str = ""


def claim_outbox(limit: int, now: datetime) -> tuple[str, list[OutboxMessage]]:
    """Claim up to `limit` waiting messages for this run; a claim older than ten minutes
    (its sender died) may be taken over. Committed at once, so other senders skip them."""
    token = uuid.uuid4().hex
    claimable = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.attempts < MAX_ATTEMPTS,
            or_(
                OutboxMessage.claimed_by.is_(None),
                OutboxMessage.claimed_at < now - CLAIM_TIMEOUT,
            ),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    ids = list(db.session.scalars(claimable))
    if ids:
        # Only rows still unclaimed (or stale) are taken: a concurrent sender's claim wins.
        db.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(ids),
                or_(
                    OutboxMessage.claimed_by.is_(None),
                    OutboxMessage.claimed_at < now - CLAIM_TIMEOUT,
                ),
            )
            .values(claimed_by=token, claimed_at=now)
        )
    db.session.commit()
    claimed = list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.claimed_by == token, OutboxMessage.sent_at.is_(None))
            .order_by(OutboxMessage.id)
        )
    )
    return token, claimed


def _keep_for_next_run(
    pending: list[OutboxMessage], error: OSError, report: SendReport
) -> SendReport:
    """The server could not be reached or refused TLS or the login: every message waits."""
    for message in pending:
        message.attempts += 1
        message.last_error = str(error)[:500]
        message.claimed_by = None
    db.session.commit()
    report.failed = len(pending)
    report.error = str(error)
    return report


def send_outbox(limit: int = 500) -> SendReport:
    """Hand waiting e-mails to the SMTP server; a failure keeps them for the next run.

    Each message is committed as sent right after the server accepted it, so a crash halfway
    sends nothing twice that was recorded, and loses nothing. Several senders (cron on more
    than one host) never send the same message: each claims its messages first.
    """
    config = current_app.config
    report = SendReport()
    _token, pending = claim_outbox(limit, utcnow())
    if not pending:
        return report
    try:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=30)
    except OSError as error:
        return _keep_for_next_run(pending, error, report)
    with smtp:
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except OSError as error:  # SMTPException and ssl.SSLError are OSErrors
            return _keep_for_next_run(pending, error, report)
        for message in pending:
            email = EmailMessage()
            email["From"] = config["MAIL_FROM"]
            email["To"] = message.to_address
            email["Subject"] = message.subject
            email.set_content(message.body)
            try:
                smtp.send_message(email)
            except smtplib.SMTPException as error:
                message.attempts += 1
                message.last_error = str(error)[:500]
                message.claimed_by = None
                report.failed += 1
                report.error = str(error)
            else:
                message.sent_at = utcnow()
                message.attempts += 1
                report.sent += 1
            db.session.commit()
    return report
