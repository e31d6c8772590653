"""The MUS round's notifications that come from the calendar: `flask devtrack remind` makes
them (daily from cron), each once, whoever runs it where. A reminder's key names the thing,
the date it is about and the person, so a moved date is reminded of again and nothing twice.

- invitation to each employee when the round opens, and to each leader the number of their
  people in it (also made when HR opens the round);
- preparation: N days before a booked meeting, to whichever side has not finished;
- the round's deadline approaching and passed: to each leader with conversations not held,
  and a summary to HR (the round's creator, or every HR person if they are gone);
- an agreement's deadline and the plan's follow-up date approaching: to both sides.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, String, cast, exists, literal, select
from sqlalchemy.orm import joinedload

from devtrack.conversations.models import (
    Agreement,
    AgreementStatus,
    Conversation,
    ConversationRound,
    DevelopmentPlan,
    Preparation,
    PreparationRole,
)
from devtrack.extensions import db
from devtrack.i18n import start_of_danish_day, today_in_denmark
from devtrack.notifications.models import Notification, NotificationKind
from devtrack.notifications.services import Reminder, notify_once
from devtrack.people.hierarchy import nearest_leaders
from devtrack.people.models import Person

OPEN_STATUSES = (AgreementStatus.NOT_STARTED, AgreementStatus.UNDER_WAY)
# A passed deadline is reported for this long after it; older rounds are left alone.
PASSED_WINDOW = timedelta(days=30)


@dataclass
class Settings:
    """The lead times, in days (`DEVTRACK_*_REMINDER_DAYS`)."""

    preparation: int = 3
    round_deadline: int = 14
    agreement: int = 14
    follow_up: int = 7


def _not_yet_invited(prefix: str) -> ColumnElement[bool]:
    """Conversations without the notification whose key is `prefix` + their id: only those
    are offered to the insert (which still decides, by the key, what is new)."""
    key = literal(prefix) + cast(Conversation.id, String)
    return ~exists().where(Notification.dedupe_key == key)


def invitations(conversation_round: ConversationRound | None = None) -> int:
    """Each invited employee once, and each leader once per round with the number of their
    people in it. For one round (as HR opens it) or every round still open."""
    query = (
        select(Conversation)
        .join(ConversationRound, ConversationRound.id == Conversation.round_id)
        .where(
            ConversationRound.opened_at.is_not(None),
            ConversationRound.deadline >= today_in_denmark(),
            Conversation.held_at.is_(None),
            _not_yet_invited("round-invitation:"),
        )
        .options(joinedload(Conversation.employee), joinedload(Conversation.round))
    )
    if conversation_round is not None:
        query = query.where(Conversation.round_id == conversation_round.id)
    conversations = list(db.session.scalars(query))
    if not conversations:
        return 0
    reminders = [
        Reminder(
            conversation.employee,
            NotificationKind.ROUND_INVITATION,
            endpoint="conversations.detail",
            url_values={"conversation_id": conversation.id},
            subject=conversation.round.title,
            dedupe_key=f"round-invitation:{conversation.id}",
        )
        for conversation in conversations
    ]
    leaders = nearest_leaders([conversation.employee_id for conversation in conversations])
    per_leader: Counter[tuple[int, int]] = Counter()
    rounds = {conversation.round_id: conversation.round for conversation in conversations}
    for conversation in conversations:
        leader = leaders.get(conversation.employee_id)
        if leader is not None:
            per_leader[(conversation.round_id, leader.id)] += 1
    people = {leader.id: leader for leader in leaders.values()}
    reminders += [
        Reminder(
            people[leader_id],
            NotificationKind.ROUND_LEADER_LIST,
            endpoint="team.overview",
            url_values={},
            subject=rounds[round_id].title,
            dedupe_key=f"round-leader-list:{round_id}:{leader_id}",
            figure=count,
        )
        for (round_id, leader_id), count in per_leader.items()
    ]
    return notify_once(reminders)


def preparation_reminders(today: date, days: int) -> int:
    """To each side that has not finished preparing, `days` before the booked meeting."""
    conversations = list(
        db.session.scalars(
            select(Conversation)
            .where(
                Conversation.held_at.is_(None),
                Conversation.booked_for >= start_of_danish_day(today),
                Conversation.booked_for < start_of_danish_day(today + timedelta(days=days + 1)),
            )
            .options(
                joinedload(Conversation.employee),
                joinedload(Conversation.round),
                joinedload(Conversation.preparations),
            )
        ).unique()
    )
    leaders = nearest_leaders([conversation.employee_id for conversation in conversations])
    reminders = []
    for conversation in conversations:
        on = conversation.booked_for.date().isoformat() if conversation.booked_for else ""
        sides: list[tuple[Person | None, PreparationRole]] = [
            (conversation.employee, PreparationRole.EMPLOYEE),
            (leaders.get(conversation.employee_id), PreparationRole.LEADER),
        ]
        for person, role in sides:
            if person is None or _finished(conversation.preparation_by(role), person):
                continue
            reminders.append(
                Reminder(
                    person,
                    NotificationKind.PREPARATION_REMINDER,
                    endpoint="conversations.prepare",
                    url_values={"conversation_id": conversation.id},
                    subject=conversation.round.title,
                    dedupe_key=f"preparation:{conversation.id}:{person.id}:{on}",
                )
            )
    return notify_once(reminders)


def _finished(preparation: Preparation | None, person: Person) -> bool:
    """A preparation counts for the one who wrote it: a new leader has yet to prepare."""
    return (
        preparation is not None
        and preparation.submitted_at is not None
        and preparation.author_id == person.id
    )


def round_deadlines(today: date, days: int) -> int:
    """Leaders with conversations not held, as the round's deadline comes and when it has
    passed; HR gets the round's total."""
    rounds = db.session.scalars(
        select(ConversationRound).where(
            ConversationRound.opened_at.is_not(None),
            ConversationRound.deadline >= today - PASSED_WINDOW,
            ConversationRound.deadline <= today + timedelta(days=days),
        )
    ).all()
    reminders: list[Reminder] = []
    for conversation_round in rounds:
        passed = conversation_round.deadline < today
        waiting = list(
            db.session.scalars(
                select(Conversation.employee_id).where(
                    Conversation.round_id == conversation_round.id,
                    Conversation.held_at.is_(None),
                )
            )
        )
        if not waiting:
            continue
        step = "passed" if passed else "close"
        occasion = f"{conversation_round.id}:{conversation_round.deadline}"
        nearest = nearest_leaders(waiting).values()
        per_leader = Counter(leader.id for leader in nearest)
        leaders = {leader.id: leader for leader in nearest}
        for leader_id, count in per_leader.items():
            reminders.append(
                Reminder(
                    leaders[leader_id],
                    NotificationKind.ROUND_DEADLINE_PASSED
                    if passed
                    else NotificationKind.ROUND_DEADLINE_CLOSE,
                    endpoint="team.overview",
                    url_values={},
                    subject=conversation_round.title,
                    dedupe_key=f"round-deadline-{step}:{occasion}:{leader_id}",
                    figure=count,
                )
            )
        for hr in _hr_for(conversation_round):
            reminders.append(
                Reminder(
                    hr,
                    NotificationKind.ROUND_SUMMARY_PASSED
                    if passed
                    else NotificationKind.ROUND_SUMMARY_CLOSE,
                    endpoint="conversations.round_detail",
                    url_values={"round_id": conversation_round.id},
                    subject=conversation_round.title,
                    dedupe_key=f"round-summary-{step}:{occasion}:{hr.id}",
                    figure=len(waiting),
                )
            )
    return notify_once(reminders)


def _hr_for(conversation_round: ConversationRound) -> list[Person]:
    creator = (
        db.session.get(Person, conversation_round.created_by_id)
        if conversation_round.created_by_id is not None
        else None
    )
    if creator is not None and creator.active and creator.is_hr:
        return [creator]
    return list(
        db.session.scalars(select(Person).where(Person.is_hr.is_(True), Person.active.is_(True)))
    )


def _both_sides(conversations: Iterable[Conversation]) -> dict[int, list[Person]]:
    """Each conversation's employee and their nearest leader now."""
    found = list(conversations)
    leaders = nearest_leaders([conversation.employee_id for conversation in found])
    sides: dict[int, list[Person]] = defaultdict(list)
    for conversation in found:
        sides[conversation.id].append(conversation.employee)
        if (leader := leaders.get(conversation.employee_id)) is not None:
            sides[conversation.id].append(leader)
    return sides


def agreement_deadlines(today: date, days: int) -> int:
    """Both sides, as an open agreement's deadline comes."""
    agreements = db.session.scalars(
        select(Agreement)
        .where(
            Agreement.status.in_(OPEN_STATUSES),
            Agreement.deadline >= today,
            Agreement.deadline <= today + timedelta(days=days),
        )
        .options(
            joinedload(Agreement.plan)
            .joinedload(DevelopmentPlan.conversation)
            .options(joinedload(Conversation.employee), joinedload(Conversation.round))
        )
    ).all()
    sides = _both_sides(agreement.plan.conversation for agreement in agreements)
    return notify_once(
        [
            Reminder(
                person,
                NotificationKind.AGREEMENT_DEADLINE_CLOSE,
                endpoint="conversations.plan",
                url_values={"conversation_id": agreement.plan.conversation_id},
                subject=agreement.plan.conversation.round.title,
                dedupe_key=f"agreement-deadline:{agreement.id}:{agreement.deadline}:{person.id}",
            )
            for agreement in agreements
            for person in sides[agreement.plan.conversation_id]
        ]
    )


def follow_up_dates(today: date, days: int) -> int:
    """Both sides, as the plan's follow-up date comes."""
    plans = db.session.scalars(
        select(DevelopmentPlan)
        .where(
            DevelopmentPlan.follow_up_on >= today,
            DevelopmentPlan.follow_up_on <= today + timedelta(days=days),
        )
        .options(
            joinedload(DevelopmentPlan.conversation).options(
                joinedload(Conversation.employee), joinedload(Conversation.round)
            )
        )
    ).all()
    sides = _both_sides(plan.conversation for plan in plans)
    return notify_once(
        [
            Reminder(
                person,
                NotificationKind.FOLLOW_UP_CLOSE,
                endpoint="conversations.plan",
                url_values={"conversation_id": plan.conversation_id},
                subject=plan.conversation.round.title,
                dedupe_key=f"follow-up:{plan.id}:{plan.follow_up_on}:{person.id}",
            )
            for plan in plans
            for person in sides[plan.conversation_id]
        ]
    )


def remind_round_steps(today: date) -> list[tuple[str, int]]:
    """Everything above, as `flask devtrack remind` reports it: (what, how many)."""
    config = current_app.config
    settings = Settings(
        preparation=int(config["PREPARATION_REMINDER_DAYS"]),
        round_deadline=int(config["ROUND_DEADLINE_REMINDER_DAYS"]),
        agreement=int(config["AGREEMENT_REMINDER_DAYS"]),
        follow_up=int(config["FOLLOW_UP_REMINDER_DAYS"]),
    )
    lines = [
        ("Invitationer til åbne runder", invitations()),
        (
            f"Påmindelser om forberedelse {settings.preparation} dage før samtalen",
            preparation_reminders(today, settings.preparation),
        ),
        (
            f"Påmindelser om rundens frist (inden for {settings.round_deadline} dage, "
            "eller overskredet)",
            round_deadlines(today, settings.round_deadline),
        ),
        (
            f"Påmindelser om aftalers frister inden for {settings.agreement} dage",
            agreement_deadlines(today, settings.agreement),
        ),
        (
            f"Påmindelser om opfølgning inden for {settings.follow_up} dage",
            follow_up_dates(today, settings.follow_up),
        ),
    ]
    db.session.flush()
    return lines
