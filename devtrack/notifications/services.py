"""Tell a person that something needs them: in the app always, by e-mail when configured."""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import current_app, g, url_for
from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload

from devtrack.database import insert_new_rows_returning
from devtrack.extensions import db
from devtrack.i18n import utcnow
from devtrack.notifications.models import Notification, NotificationKind, OutboxMessage
from devtrack.people.models import Person

MAX_ATTEMPTS = 10
CLAIM_TIMEOUT = timedelta(minutes=10)


# Each kind's sentence, filled in with the names a notification carries (actor, subject, count).
_SENTENCES: dict[NotificationKind, LazyString] = {
    NotificationKind.FEEDBACK_RECEIVED: _l("%(actor)s har givet dig feedback om %(subject)s."),
    NotificationKind.FEEDBACK_REPLY: _l("%(actor)s har svaret på feedback om %(subject)s."),
    NotificationKind.FEEDBACK_REQUESTED: _l("%(actor)s beder om din feedback om %(subject)s."),
    NotificationKind.PLAN_AWAITING_ACKNOWLEDGEMENT: _l(
        "Udviklingsplanen fra %(subject)s venter på, at du kvitterer."
    ),
    NotificationKind.PLAN_AMENDED: _l(
        "%(actor)s har ændret udviklingsplanen fra %(subject)s. Se ændringerne, og kvittér igen."
    ),
    NotificationKind.INDIVIDUAL_MUS_REQUESTED: _l(
        "%(actor)s ønsker en individuel MUS efter %(subject)s."
    ),
    NotificationKind.DEADLINE_CLOSE: _l("Fristen for »%(subject)s« er tæt på."),
    NotificationKind.ROUND_INVITATION: _l(
        "Du er inviteret til %(subject)s. Du kan begynde at forberede dig."
    ),
    NotificationKind.ROUND_LEADER_LIST: _l(
        "%(subject)s er åbnet. Medarbejdere, du skal holde samtale med: %(count)d."
    ),
    NotificationKind.CONVERSATION_BOOKED: _l(
        "%(actor)s har booket en tid til jeres samtale i %(subject)s."
    ),
    NotificationKind.CONVERSATION_MOVED: _l(
        "%(actor)s har flyttet tiden til jeres samtale i %(subject)s."
    ),
    NotificationKind.CONVERSATION_CANCELLED: _l(
        "%(actor)s har aflyst tiden til jeres samtale i %(subject)s."
    ),
    NotificationKind.PREPARATION_REMINDER: _l(
        "Jeres samtale i %(subject)s er om få dage, og din forberedelse er ikke færdig."
    ),
    NotificationKind.ROUND_DEADLINE_CLOSE: _l(
        "Fristen for %(subject)s nærmer sig. Dine samtaler, der ikke er holdt: %(count)d."
    ),
    NotificationKind.ROUND_DEADLINE_PASSED: _l(
        "Fristen for %(subject)s er overskredet. Dine samtaler, der ikke er holdt: %(count)d."
    ),
    NotificationKind.ROUND_SUMMARY_CLOSE: _l(
        "Fristen for %(subject)s nærmer sig. Samtaler, der ikke er holdt: %(count)d."
    ),
    NotificationKind.ROUND_SUMMARY_PASSED: _l(
        "Fristen for %(subject)s er overskredet. Samtaler, der ikke er holdt: %(count)d."
    ),
    NotificationKind.AGREEMENT_DEADLINE_CLOSE: _l(
        "Fristen for en aftale i udviklingsplanen fra %(subject)s er tæt på."
    ),
    NotificationKind.FOLLOW_UP_CLOSE: _l(
        "Opfølgningen på udviklingsplanen fra %(subject)s er planlagt til snart."
    ),
}


def message_for(notification: Notification) -> str:
    """The notification's sentence in the current language."""
    names = {
        "actor": notification.actor.name if notification.actor else "",
        "subject": notification.subject,
        "count": notification.figure or 0,
    }
    sentence = _SENTENCES.get(notification.kind)
    return str(sentence) % names if sentence else notification.subject


@dataclass
class Reminder:
    """One notification to make once: the `dedupe_key` names the thing and the occasion."""

    person: Person
    kind: NotificationKind
    endpoint: str
    url_values: dict[str, Any]
    subject: str
    dedupe_key: str | None = None
    actor: Person | None = None
    figure: int | None = None
    calendar: str = ""


def notify(
    person: Person,
    kind: NotificationKind,
    *,
    endpoint: str,
    subject: str,
    actor: Person | None = None,
    dedupe_key: str | None = None,
    figure: int | None = None,
    calendar: str = "",
    **url_values: Any,
) -> bool:
    """Add a notification (and an e-mail when SMTP is configured); flushed with the request.

    With a `dedupe_key` that was used before, nothing is added: reminders are sent once.
    Returns whether it was added.
    """
    reminder = Reminder(
        person, kind, endpoint, url_values, subject, dedupe_key, actor, figure, calendar
    )
    return notify_once([reminder]) == 1


def notify_once(reminders: Sequence[Reminder]) -> int:
    """Add the notifications (and e-mails) whose key is new; return how many went in.

    The notification table's unique key decides (insert … on conflict do nothing), so two
    cron runs on two hosts at the same moment still make each one once; only those inserted
    get an e-mail. Nobody is told of what they did themselves, nor when they have left.
    """
    wanted = [
        reminder
        for reminder in reminders
        if reminder.person.active
        and (reminder.actor is None or reminder.actor.id != reminder.person.id)
    ]
    if not wanted:
        return 0
    now = utcnow()
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        paths = [url_for(reminder.endpoint, **reminder.url_values) for reminder in wanted]
    keyed = [(reminder, path) for reminder, path in zip(wanted, paths, strict=True)]
    made: list[tuple[Reminder, Notification]] = []
    with_key = [(reminder, path) for reminder, path in keyed if reminder.dedupe_key]
    new_keys = {
        key
        for (key,) in insert_new_rows_returning(
            Notification,
            [
                {
                    "person_id": reminder.person.id,
                    "kind": reminder.kind,
                    "actor_id": reminder.actor.id if reminder.actor else None,
                    "path": path,
                    "subject": reminder.subject[:300],
                    "figure": reminder.figure,
                    "dedupe_key": reminder.dedupe_key,
                    "created_at": now,
                }
                for reminder, path in with_key
            ],
            unique=["dedupe_key"],
        )
    }
    for reminder, path in keyed:
        if reminder.dedupe_key is None:
            notification = Notification(
                person=reminder.person,
                kind=reminder.kind,
                actor=reminder.actor,
                path=path,
                subject=reminder.subject[:300],
                figure=reminder.figure,
                created_at=now,
            )
            db.session.add(notification)
        elif reminder.dedupe_key in new_keys:
            # Inserted above; this copy (never added to the session) only words the e-mail.
            notification = Notification(
                kind=reminder.kind,
                actor=reminder.actor,
                subject=reminder.subject[:300],
                figure=reminder.figure,
            )
        else:
            continue
        made.append((reminder, notification))
    if current_app.config["MAIL_SERVER"]:
        for reminder, notification in made:
            _mail(reminder, notification)
    return len(made)


def _mail(reminder: Reminder, notification: Notification) -> None:
    """Put the notification's e-mail (with its calendar invitation, if any) in the outbox."""
    person = reminder.person
    link = public_url(reminder.endpoint, **reminder.url_values)
    with in_language_of(person):
        sentence = message_for(notification)
        body = "\n\n".join(
            [
                sentence,
                _("Se det i devtrack: %(link)s", link=link),
                _("Du får denne e-mail, fordi du bruger devtrack."),
            ]
        )
        subject = _("devtrack: %(sentence)s", sentence=sentence)
    queue_mail(person, subject, body, calendar=reminder.calendar)


def queue_mail(person: Person, subject: str, body: str, *, calendar: str = "") -> None:
    """Put an e-mail in the outbox: a notification's, or one without a notification in the app
    (the organiser's copy of a calendar invitation); only when a mail server is configured."""
    if current_app.config["MAIL_SERVER"] and person.active:
        db.session.add(
            OutboxMessage(
                to_address=person.email, subject=subject[:300], body=body, calendar=calendar
            )
        )


def public_url(endpoint: str, **values: Any) -> str:
    """A page's full address as an e-mail or a calendar links to it (PUBLIC_URL), also when
    written outside a request (the reminder jobs)."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)


@contextmanager
def in_language_of(person: Person) -> Iterator[None]:
    """What is written for `person` alone (an e-mail) is in their language."""
    with force_locale(person.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        yield


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
    unclaimed = or_(
        OutboxMessage.claimed_by.is_(None), OutboxMessage.claimed_at < now - CLAIM_TIMEOUT
    )
    claimable = (
        select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS, unclaimed)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    ids = list(db.session.scalars(claimable))
    if ids:
        # Only rows still unclaimed (or stale) are taken: a concurrent sender's claim wins.
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), unclaimed)
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
        _failed(message, error, report)
    db.session.commit()
    return report


def _failed(message: OutboxMessage, error: OSError, report: SendReport) -> None:
    """Not sent: the message is released for a later run, which tries it again (up to
    MAX_ATTEMPTS tries)."""
    message.attempts += 1
    message.last_error = str(error)[:500]
    message.claimed_by = None
    report.failed += 1
    report.error = str(error)


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
            if message.calendar:
                _attach_calendar(email, message.calendar)
            try:
                smtp.send_message(email)
            except smtplib.SMTPException as error:
                _failed(message, error, report)
            else:
                message.sent_at = utcnow()
                message.attempts += 1
                report.sent += 1
            db.session.commit()
    return report


def _attach_calendar(email: EmailMessage, calendar: str) -> None:
    """The invitation as a text/calendar part with its METHOD (REQUEST or CANCEL), as
    Outlook and other calendars expect, and as an .ics file for the rest."""
    method = "CANCEL" if "METHOD:CANCEL" in calendar else "REQUEST"
    email.add_alternative(calendar, subtype="calendar", params={"method": method})
    email.add_attachment(
        calendar.encode("utf-8"), maintype="text", subtype="calendar", filename="invite.ics"
    )
