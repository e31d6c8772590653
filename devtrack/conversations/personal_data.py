"""MUS in retention and "Mine data".

Retention deletes a former employee's preparations and empties every text of their plans, but
keeps the conversations, their dates and the agreements' links to the grundlag: the anonymous
counts the HR reports use. A round (created by HR) is kept; it holds no one's content.
The export leaves out the leader's private preparation: the domain keeps it the leader's own,
and what the leader chose to share is included.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload, selectinload

from devtrack.conversation_templates.models import Side
from devtrack.conversations.models import (
    Agreement,
    Conversation,
    ConversationRound,
    DevelopmentPlan,
    FollowUp,
    PlanAmendment,
    Preparation,
    PreparationAnswer,
    PreparationRole,
    PreparationTopic,
    SectionNote,
)
from devtrack.extensions import db
from devtrack.people.models import Person
from devtrack.personal_data import PersonalData, PurgeScope, PurgeStep, plain


def purge(scope: PurgeScope) -> list[PurgeStep]:
    conversations = select(Conversation.id).where(Conversation.employee_id.in_(scope.person_ids))
    plans = select(DevelopmentPlan.id).where(DevelopmentPlan.conversation_id.in_(conversations))
    agreements = select(Agreement.id).where(Agreement.plan_id.in_(plans))
    preparations = select(Preparation.id).where(Preparation.conversation_id.in_(conversations))
    return [
        (
            "preparation_answers",
            delete(PreparationAnswer).where(PreparationAnswer.preparation_id.in_(preparations)),
        ),
        (
            "section_notes",
            delete(SectionNote).where(SectionNote.conversation_id.in_(conversations)),
        ),
        (
            "preparation_topics",
            delete(PreparationTopic).where(PreparationTopic.preparation_id.in_(preparations)),
        ),
        ("preparations", delete(Preparation).where(Preparation.id.in_(preparations))),
        (
            "agreements_emptied",
            update(Agreement)
            .where(Agreement.id.in_(agreements))
            .values(what="", who_does_what="", success=""),
        ),
        (
            "follow_ups_emptied",
            update(FollowUp).where(FollowUp.agreement_id.in_(agreements)).values(note=""),
        ),
        (
            "plans_emptied",
            update(DevelopmentPlan)
            .where(DevelopmentPlan.id.in_(plans))
            .values(disagreement="", summary=""),
        ),
        (
            "amendments_emptied",
            update(PlanAmendment)
            .where(PlanAmendment.plan_id.in_(plans))
            .values(description="", changes=None),
        ),
    ]


def export(person: Person) -> dict[str, Any]:
    conversations = db.session.scalars(
        select(Conversation)
        .where(Conversation.employee_id == person.id)
        .order_by(Conversation.invited_at)
        .options(
            joinedload(Conversation.round).joinedload(ConversationRound.template_version),
            joinedload(Conversation.group_session),
            selectinload(Conversation.preparations).selectinload(Preparation.topics),
            selectinload(Conversation.preparations).selectinload(Preparation.answers),
            selectinload(Conversation.notes),
            selectinload(Conversation.plan)
            .selectinload(DevelopmentPlan.agreements)
            .selectinload(Agreement.links),
            selectinload(Conversation.plan)
            .selectinload(DevelopmentPlan.agreements)
            .selectinload(Agreement.follow_ups),
            selectinload(Conversation.plan).selectinload(DevelopmentPlan.amendments),
        )
    ).all()
    return {"conversations": [_conversation(conversation) for conversation in conversations]}


def _conversation(conversation: Conversation) -> dict[str, Any]:
    own = conversation.preparation_by(PreparationRole.EMPLOYEE)
    leader = conversation.preparation_by(PreparationRole.LEADER)
    plan = conversation.plan
    return {
        "round": conversation.round.title,
        "state": plain(conversation.state),
        "booked_for": plain(conversation.booked_for),
        "held_at": plain(conversation.held_at),
        "individual_mus_requested_at": plain(conversation.individual_requested_at),
        "group_meeting": {
            "booked_for": plain(conversation.group_session.booked_for),
            "place": conversation.group_session.place,
            "notes": conversation.group_session.notes,
        }
        if conversation.group_session
        else None,
        "template": f"{conversation.template.title} (version {conversation.template.number})",
        # Each answer under the question as it was asked (the template version kept).
        "my_preparation": {
            question.text(Side.EMPLOYEE): own.answer(question.key)
            for question in conversation.template.questions()
            if question.asks(Side.EMPLOYEE) and own.answer(question.key)
        }
        if own
        else None,
        "shared_by_leader": {
            question.text(Side.LEADER): leader.answer(question.key)
            for question in conversation.template.questions()
            if question.leader_shares and leader.answer(question.key)
        }
        if leader
        else None,
        "notes": {
            section.title: note.text
            for section in conversation.template.sections
            if (note := conversation.note_for(section.key)) is not None and note.text
        },
        "plan": {
            "summary": plan.summary,
            "disagreement": plan.disagreement,
            "employee_acknowledged_at": plain(plan.employee_acknowledged_at),
            "leader_acknowledged_at": plain(plan.leader_acknowledged_at),
            "agreements": [
                {
                    "what": agreement.what,
                    "kind": plain(agreement.kind),
                    "who_does_what": agreement.who_does_what,
                    "deadline": plain(agreement.deadline),
                    "success": agreement.success,
                    "status": plain(agreement.status),
                    "follow_ups": [
                        {"status": plain(f.status), "note": f.note, "on": plain(f.on)}
                        for f in agreement.follow_ups
                    ],
                }
                for agreement in plan.agreements
            ],
            "amendments": [
                {
                    "at": plain(a.created_at),
                    "kind": plain(a.kind),
                    "agreement": a.agreement_position,
                    "changes": a.changes or [],
                    "description": a.description,
                }
                for a in plan.amendments
            ],
        }
        if plan
        else None,
    }


PERSONAL_DATA = PersonalData(
    "conversations",
    tables=(
        "conversation_round",
        "conversation",
        "preparation",
        "preparation_topic",
        "preparation_answer",
        "section_note",
        "development_plan",
        "agreement",
        "agreement_link",
        "follow_up",
        "plan_amendment",
        # The group's notes belong to the group, not to one participant: they are kept.
        "group_session",
    ),
    purge=purge,
    export=export,
)
