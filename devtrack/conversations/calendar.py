"""Calendar invitations (iCalendar, RFC 5545) for a booked conversation.

One event per conversation: the same UID throughout, a SEQUENCE that rises with every change
sent, METHOD:REQUEST for a booking or a move and METHOD:CANCEL for a cancellation. Times are
Danish (Europe/Copenhagen) with the VTIMEZONE that describes them, so Outlook and other
calendars place the meeting right across summer time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from devtrack.conversations.models import Conversation
from devtrack.i18n import DANISH_TIME, danish_datetime, utcnow
from devtrack.notifications.models import NotificationKind
from devtrack.notifications.services import in_language_of, notify, public_url, queue_mail
from devtrack.people.models import Person

MEETING_LENGTH = timedelta(hours=1)


def event_uid(conversation: Conversation) -> str:
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "devtrack"
    return f"devtrack-conversation-{conversation.id}@{host}"


def _address(person: Person, *, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person.name)
    if role is not None:
        address.params["ROLE"] = role
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "TRUE"
    return address


def invitation(
    conversation: Conversation, organiser: Person, when: datetime, *, cancel: bool = False
) -> str:
    """The invitation (or its cancellation) as iCalendar text, for both people."""
    start = when.astimezone(DANISH_TIME)
    calendar = Calendar()
    calendar.add("prodid", "-//devtrack//MUS//DA")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    calendar.add_component(
        Timezone.from_tzid(
            DANISH_TIME.key,
            first_date=start.date() - timedelta(days=366),
            last_date=start.date() + timedelta(days=366),
        )
    )
    event = Event()
    event.add("uid", event_uid(conversation))
    event.add("sequence", conversation.calendar_sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", start)
    event.add("dtend", start + MEETING_LENGTH)
    event.add("summary", f"{conversation.round.title}: {conversation.employee.name}")
    if conversation.place:
        event.add("location", conversation.place)
    link = public_url("conversations.detail", conversation_id=conversation.id)
    event.add("description", link)
    event.add("url", link)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    event.add("organizer", _address(organiser))
    event.add("attendee", _address(conversation.employee, role="REQ-PARTICIPANT"))
    event.add("attendee", _address(organiser, role="CHAIR"))
    calendar.add_component(event)
    return str(calendar.to_ical().decode("utf-8"))


def send_invitation(
    conversation: Conversation, organiser: Person, when: datetime, kind: NotificationKind
) -> None:
    """The employee is notified (its e-mail carries the invitation); the organiser gets the
    same invitation by e-mail for their own calendar. Once per SEQUENCE."""
    cancel = kind == NotificationKind.CONVERSATION_CANCELLED
    text = invitation(conversation, organiser, when, cancel=cancel)
    notify(
        conversation.employee,
        kind,
        endpoint="conversations.detail",
        conversation_id=conversation.id,
        subject=conversation.round.title,
        actor=organiser,
        dedupe_key=f"calendar:{conversation.id}:{conversation.calendar_sequence}",
        calendar=text,
    )
    names = {"name": conversation.employee.name, "round": conversation.round.title}
    link = public_url("conversations.detail", conversation_id=conversation.id)
    with in_language_of(organiser):
        subject = (
            _("devtrack: Aflyst: samtale med %(name)s (%(round)s)", **names)
            if cancel
            else _("devtrack: Samtale med %(name)s (%(round)s)", **names)
        )
        body = "\n\n".join(
            [
                _("Tiden %(when)s er aflyst.", when=danish_datetime(when))
                if cancel
                else _("Tid: %(when)s", when=danish_datetime(when)),
                _("Se det i devtrack: %(link)s", link=link),
            ]
        )
    queue_mail(organiser, subject, body, calendar=text)
