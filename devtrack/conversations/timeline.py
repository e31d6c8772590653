"""The conversations on a person's timeline: each held conversation and each follow-up."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, literal, select
from sqlalchemy.orm import joinedload

from devtrack.conversations.models import (
    Agreement,
    AgreementLink,
    Conversation,
    DevelopmentPlan,
    FollowUp,
)
from devtrack.conversations.services import last_held_at
from devtrack.extensions import db
from devtrack.people.models import Person
from devtrack.timeline.services import (
    EntryKind,
    TimelineFilter,
    register_last_conversation,
    register_source,
)

FOLLOW_UP = "follow_up"


def _wanted(filters: TimelineFilter) -> bool:
    return filters.kind in (None, EntryKind.CONVERSATION)


def _held(
    viewer: Person, person: Person, filters: TimelineFilter
) -> Select[str, int, datetime | None] | None:
    if not _wanted(filters):
        return None
    query = select(
        literal(EntryKind.CONVERSATION).label("kind"),
        Conversation.id.label("id"),
        Conversation.held_at.label("at"),
    ).where(Conversation.employee_id == person.id, Conversation.held_at.is_not(None))
    if filters.element_id is not None:
        query = query.where(
            Conversation.id.in_(
                select(DevelopmentPlan.conversation_id)
                .join(Agreement, Agreement.plan_id == DevelopmentPlan.id)
                .join(AgreementLink, AgreementLink.agreement_id == Agreement.id)
                .where(AgreementLink.element_id == filters.element_id)
            )
        )
    if filters.since is not None:
        query = query.where(Conversation.held_at >= filters.since)
    return query


def _follow_ups(
    viewer: Person, person: Person, filters: TimelineFilter
) -> Select[str, int, datetime] | None:
    if not _wanted(filters) or filters.element_id is not None:
        return None
    query = (
        select(
            literal(FOLLOW_UP).label("kind"),
            FollowUp.id.label("id"),
            FollowUp.created_at.label("at"),
        )
        .join(Agreement, FollowUp.agreement_id == Agreement.id)
        .join(DevelopmentPlan, Agreement.plan_id == DevelopmentPlan.id)
        .join(Conversation, DevelopmentPlan.conversation_id == Conversation.id)
        .where(Conversation.employee_id == person.id)
    )
    if filters.since is not None:
        query = query.where(FollowUp.created_at >= filters.since)
    return query


def _load_held(ids: list[int]) -> dict[int, Any]:
    found = db.session.scalars(
        select(Conversation)
        .where(Conversation.id.in_(ids))
        .options(
            joinedload(Conversation.round),
            joinedload(Conversation.plan).selectinload(DevelopmentPlan.agreements),
        )
    ).unique()
    return {conversation.id: conversation for conversation in found}


def _load_follow_ups(ids: list[int]) -> dict[int, Any]:
    found = db.session.scalars(
        select(FollowUp)
        .where(FollowUp.id.in_(ids))
        .options(
            joinedload(FollowUp.author),
            joinedload(FollowUp.agreement)
            .joinedload(Agreement.plan)
            .joinedload(DevelopmentPlan.conversation),
        )
    )
    return {follow_up.id: follow_up for follow_up in found}


def register() -> None:
    register_source("conversations", EntryKind.CONVERSATION, _held, _load_held)
    register_source("follow_ups", FOLLOW_UP, _follow_ups, _load_follow_ups)
    register_last_conversation(last_held_at)
