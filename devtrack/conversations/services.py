"""Everything that changes a round or a conversation. Services flush; the request commits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from devtrack.conversation_templates.models import (
    Side,
    TemplateKind,
    TemplateQuestion,
    TemplateSection,
    TemplateVersion,
)
from devtrack.conversation_templates.services import default_version
from devtrack.conversations.calendar import send_invitation
from devtrack.conversations.models import (
    Agreement,
    AgreementLink,
    AgreementStatus,
    AmendmentKind,
    Conversation,
    ConversationRound,
    DevelopmentKind,
    DevelopmentPlan,
    FollowUp,
    GroupSession,
    PlanAmendment,
    Preparation,
    PreparationAnswer,
    PreparationRole,
    PreparationTopic,
    RoundKind,
    RoundUnit,
    SectionNote,
)
from devtrack.conversations.permissions import may_read_private_preparation
from devtrack.database import in_chunks, insert_new_rows
from devtrack.extensions import db
from devtrack.feedback.models import Feedback
from devtrack.feedback.services import received_by
from devtrack.goals.models import Goal
from devtrack.goals.services import goals_of
from devtrack.grundlag.models import (
    ElementVersion,
    FrameworkVersion,
    GrundlagChoice,
    sync_references,
)
from devtrack.i18n import as_utc, today_in_denmark, utcnow
from devtrack.notifications.models import NotificationKind
from devtrack.notifications.services import notify
from devtrack.people.collation import danish_sort_key
from devtrack.people.hierarchy import (
    direct_reports,
    leaders_among,
    nearest_leader,
    nearest_leaders,
)
from devtrack.people.models import OrgUnit, Person
from devtrack.people.services import subtree_unit_ids

OPEN_AGREEMENT = (AgreementStatus.NOT_STARTED, AgreementStatus.UNDER_WAY)


class StaleEdit(Exception):
    """Someone saved the same thing after this form was opened."""


# --- Rounds -------------------------------------------------------------------------------


def create_round(
    *,
    kind: RoundKind,
    title: str,
    deadline: date,
    unit_ids: Sequence[int],
    version: FrameworkVersion,
    creator: Person,
    template: TemplateVersion | None = None,
) -> ConversationRound:
    """A new round; without a template, the default template of its kind (its newest version)."""
    conversation_round = ConversationRound(
        kind=kind,
        title=title,
        deadline=deadline,
        framework_version=version,
        template_version=template or default_version(TemplateKind(kind.value)),
        created_by_id=creator.id,
        units=[RoundUnit(unit_id=unit_id) for unit_id in dict.fromkeys(unit_ids)],
    )
    db.session.add(conversation_round)
    db.session.flush()
    return conversation_round


def all_rounds() -> list[ConversationRound]:
    """Every round, the newest first (HR's list)."""
    return list(
        db.session.scalars(select(ConversationRound).order_by(ConversationRound.created_at.desc()))
    )


def add_units(conversation_round: ConversationRound, unit_ids: Sequence[int]) -> None:
    """Extend the round with more units (and their subtrees); `open_round` then invites
    the people in them."""
    present = {unit.unit_id for unit in conversation_round.units}
    for unit_id in dict.fromkeys(unit_ids):
        if unit_id not in present:
            conversation_round.units.append(RoundUnit(unit_id=unit_id))
    db.session.flush()


def _in_scope(conversation_round: ConversationRound) -> Any:
    units = subtree_unit_ids({unit.unit_id for unit in conversation_round.units})
    return select(Person.id).where(Person.active.is_(True), Person.unit_id.in_(units))


def _in_other_open_round(conversation_round: ConversationRound) -> Any:
    """Ids of people with a conversation in another open round (opened, deadline not
    passed) of the same kind."""
    return (
        select(Conversation.employee_id)
        .join(ConversationRound, ConversationRound.id == Conversation.round_id)
        .where(
            ConversationRound.id != conversation_round.id,
            ConversationRound.kind == conversation_round.kind,
            ConversationRound.opened_at.is_not(None),
            ConversationRound.deadline >= today_in_denmark(),
        )
    )


def in_other_open_round(
    conversation_round: ConversationRound, *, not_yet_invited: bool = False
) -> list[Person]:
    """People in this round's units who also have a conversation in another open round of
    the same kind (or only those this round has not invited yet): HR is told their names,
    before opening and after, so nobody is in two rounds without HR knowing."""
    query = select(Person).where(
        Person.id.in_(_in_scope(conversation_round)),
        Person.id.in_(_in_other_open_round(conversation_round)),
    )
    if not_yet_invited:
        mine = select(Conversation.employee_id).where(
            Conversation.round_id == conversation_round.id
        )
        query = query.where(Person.id.not_in(mine))
    found = db.session.scalars(query).all()
    return sorted(found, key=lambda person: danish_sort_key(person.name))


def open_round(conversation_round: ConversationRound) -> int:
    """Invite everyone in scope with their nearest leader now. Running it again (after the
    organisation changed, or to extend) invites only those not yet invited."""
    in_scope = _in_scope(conversation_round)
    people = db.session.scalars(
        select(Person).where(Person.id.in_(in_scope)).options(joinedload(Person.unit))
    ).all()
    invited = set(
        db.session.scalars(
            select(Conversation.employee_id).where(Conversation.round_id == conversation_round.id)
        )
    )
    leaders = leaders_among(in_scope)
    nearest = nearest_leaders(in_scope)
    now = utcnow()
    rows = []
    for person in people:
        # LUS is for leaders with their own leader; MUS and GUS for everyone else.
        is_leader = person.id in leaders
        if (conversation_round.kind == RoundKind.LUS) != is_leader or person.id in invited:
            continue
        leader = nearest.get(person.id)
        if leader is None:
            continue  # the top of the organisation has no one to hold it with
        rows.append(
            {
                "round_id": conversation_round.id,
                "employee_id": person.id,
                "leader_id": leader.id,
                "unit_id": person.unit_id,
                "invited_at": now,
            }
        )
    if conversation_round.opened_at is None:
        conversation_round.opened_at = now
    db.session.flush()
    # Another HR user may open the same round at the same moment: whoever inserts a
    # conversation first has it, the other skips it (the round's unique constraint decides).
    created = insert_new_rows(Conversation, rows, unique=["round_id", "employee_id"])
    db.session.expire(conversation_round, ["conversations"])
    return created


def move_deadline(conversation_round: ConversationRound, deadline: date) -> None:
    conversation_round.deadline = deadline
    db.session.flush()


def follow_moves(people: Sequence[Person]) -> None:
    """Moved employees' conversations not yet held move with them: the new unit counts them in
    the round's progress and the new nearest leader is the one to hold them. A held
    conversation stays with the unit and leader it was held in."""
    by_id = {person.id: person for person in people}
    for chunk in in_chunks(list(by_id)):
        leaders = nearest_leaders(chunk)
        for conversation in db.session.scalars(
            select(Conversation).where(
                Conversation.employee_id.in_(chunk), Conversation.held_at.is_(None)
            )
        ):
            person = by_id[conversation.employee_id]
            conversation.unit_id = person.unit_id
            conversation.leader = leaders.get(person.id)
    db.session.flush()


# --- One conversation ---------------------------------------------------------------------


def book(conversation: Conversation, when: datetime, place: str, booker: Person) -> None:
    """Book (or move) the time; both get a calendar invitation, the employee a notification.
    Saving the same time and place again sends nothing."""
    before = conversation.booked_for
    moved = before is not None
    if before is not None and as_utc(before) == when and conversation.place == place:
        return
    if moved or conversation.booked_at is not None:
        conversation.calendar_sequence += 1
    conversation.booked_for = when
    conversation.place = place
    conversation.booked_at = utcnow()
    db.session.flush()
    kind = NotificationKind.CONVERSATION_MOVED if moved else NotificationKind.CONVERSATION_BOOKED
    send_invitation(conversation, booker, when, kind)


class NotBooked(Exception):
    """There is no booked time to cancel (or the conversation was held)."""


def cancel_booking(conversation: Conversation, leader: Person) -> None:
    """Cancel the booked time: both get the calendar's cancellation, the employee a
    notification; the conversation waits for a new time."""
    if conversation.booked_for is None or conversation.held_at is not None:
        raise NotBooked
    when = as_utc(conversation.booked_for)
    conversation.calendar_sequence += 1
    send_invitation(conversation, leader, when, NotificationKind.CONVERSATION_CANCELLED)
    conversation.booked_for = None
    conversation.place = ""
    db.session.flush()


def side_of(role: PreparationRole) -> Side:
    return Side(role.value)


def save_preparation(
    conversation: Conversation,
    role: PreparationRole,
    author: Person,
    answers: dict[str, str],
    topics: Sequence[tuple[GrundlagChoice, str]],
    *,
    seen_version: int | None,
    submit: bool,
) -> Preparation:
    """Save a draft (or the finished preparation) of one side: the answers by question key
    (only the questions the conversation's template asks this side are kept)."""
    preparation = conversation.preparation_by(role)
    if preparation is None:
        preparation = Preparation(
            conversation=conversation, role=role, author=author, topics=[], answers=[]
        )
        db.session.add(preparation)
    elif seen_version is not None and seen_version != preparation.version:
        raise StaleEdit
    # A new leader's preparation replaces the former leader's, which stays theirs alone.
    preparation.author = author
    side = side_of(role)
    asked = [question.key for question in conversation.template.questions() if question.asks(side)]
    existing = {answer.question_key: answer for answer in preparation.answers}
    for key in asked:
        text = answers.get(key, "").strip()
        if key in existing:
            existing[key].text = text
        elif text:
            preparation.answers.append(PreparationAnswer(question_key=key, text=text))
    # The row itself changes with every save, so its version tells a stale form.
    preparation.updated_at = utcnow()
    preparation.topics.clear()
    for choice, text in topics:
        topic = PreparationTopic(text=text)
        topic.point_at(choice)
        preparation.topics.append(topic)
    if submit and preparation.submitted_at is None:
        preparation.submitted_at = utcnow()
        if role == PreparationRole.EMPLOYEE and conversation.prepared_at is None:
            conversation.prepared_at = preparation.submitted_at
    db.session.flush()
    return preparation


@dataclass
class PreparationMaterial:
    """What the preparation page offers to look back on."""

    goals: list[Goal]
    feedback: list[Feedback]


def preparation_material(conversation: Conversation, role: PreparationRole) -> PreparationMaterial:
    """The employee's goals (for the employee only) and the feedback they received since the
    last conversation that was held; the leader sees only feedback a leader may see (their
    own, or what the employee shared)."""
    employee = conversation.employee
    goals = goals_of(employee) if role == PreparationRole.EMPLOYEE else []
    feedback = received_by(employee, limit=30)
    if role == PreparationRole.LEADER:
        feedback = [item for item in feedback if item.leader_may_see]
    since = previous_conversation(conversation)
    if since is not None and since.held_at is not None:
        feedback = [item for item in feedback if item.created_at >= since.held_at]
    return PreparationMaterial(goals, feedback)


def mark_held(conversation: Conversation) -> None:
    if conversation.held_at is None:
        conversation.held_at = utcnow()
    plan_of(conversation)
    db.session.flush()


@dataclass
class AnswerRow:
    """One question with each side's answer as the viewer may see it (None: not shown)."""

    question: TemplateQuestion
    employee: str | None
    leader: str | None


@dataclass
class SectionView:
    section: TemplateSection
    rows: list[AnswerRow]


def side_by_side(
    conversation: Conversation, role: PreparationRole, viewer: Person
) -> list[SectionView]:
    """Both preparations by the template's sections, as this viewer may see them: the
    employee's answers (to the leader only where the template shares them) and the leader's
    (to the employee only where shared; the private ones only to the leader who wrote them)."""
    employee = conversation.preparation_by(PreparationRole.EMPLOYEE)
    leader = conversation.preparation_by(PreparationRole.LEADER)
    # Who may read what is the same for every question: asked once.
    mine = role == PreparationRole.EMPLOYEE
    author = leader is not None and may_read_private_preparation(viewer, leader)
    views = []
    for section in conversation.template.sections:
        rows = []
        for question in section.questions:
            employee_answer = None
            if question.asks(Side.EMPLOYEE) and (mine or question.employee_shares):
                employee_answer = employee.answer(question.key) if employee else ""
            leader_answer = None
            if question.asks(Side.LEADER) and (question.leader_shares or author):
                leader_answer = leader.answer(question.key) if leader else ""
            if employee_answer is not None or leader_answer is not None:
                rows.append(AnswerRow(question, employee_answer, leader_answer))
        views.append(SectionView(section, rows))
    return views


def save_notes(
    conversation: Conversation, texts: dict[str, str], seen_versions: dict[str, int | None]
) -> None:
    """The notes per section of the conversation's template. A section someone else saved
    after the form was opened raises `StaleEdit` and nothing is saved."""
    sections = [section.key for section in conversation.template.sections]
    for key in sections:
        note = conversation.note_for(key)
        seen = seen_versions.get(key)
        if note is not None and seen is not None and seen != note.version:
            raise StaleEdit
    for key in sections:
        text = texts.get(key, "").strip()
        note = conversation.note_for(key)
        if note is None and text:
            conversation.notes.append(SectionNote(section_key=key, text=text))
        elif note is not None and note.text != text:
            note.text = text
    db.session.flush()


def request_individual(conversation: Conversation) -> None:
    """A GUS participant asks for an individual MUS as well: their leader is told."""
    if conversation.individual_requested_at is not None:
        return
    conversation.individual_requested_at = utcnow()
    leader = nearest_leader(conversation.employee)
    if leader is not None:
        _notify_about(
            conversation,
            leader,
            NotificationKind.INDIVIDUAL_MUS_REQUESTED,
            actor=conversation.employee,
            page="conversations.detail",
        )
    db.session.flush()


def create_individual(conversation: Conversation, leader: Person) -> Conversation:
    """The individual MUS asked for after a GUS, in one step: a conversation in the round
    that follows the GUS round (made the first time it is needed, with its deadline and
    grundlag). Asked again, the same conversation is answered."""
    if conversation.individual is not None:
        return conversation.individual
    gus = conversation.round
    follows = db.session.scalar(
        select(ConversationRound).where(ConversationRound.follows_round_id == gus.id)
    )
    now = utcnow()
    if follows is None:
        follows = ConversationRound(
            kind=RoundKind.MUS,
            title=f"{gus.title} · MUS"[:200],
            deadline=gus.deadline,
            framework_version_id=gus.framework_version_id,
            template_version=default_version(TemplateKind.MUS),
            created_by_id=leader.id,
            opened_at=now,
            follows_round_id=gus.id,
            units=[],
        )
        db.session.add(follows)
    individual = Conversation(
        round=follows,
        employee=conversation.employee,
        leader_id=leader.id,
        unit_id=conversation.employee.unit_id,
        invited_at=now,
    )
    db.session.add(individual)
    conversation.individual = individual
    db.session.flush()
    return individual


# --- GUS: one meeting for the group --------------------------------------------------------


def groupable(leader: Person, conversation_round: ConversationRound) -> list[Conversation]:
    """The leader's direct reports' conversations in a GUS round not yet held, by name."""
    reports = [person.id for person in direct_reports(leader)]
    if conversation_round.kind != RoundKind.GUS or not reports:
        return []
    found = db.session.scalars(
        select(Conversation)
        .where(
            Conversation.round_id == conversation_round.id,
            Conversation.employee_id.in_(reports),
            Conversation.held_at.is_(None),
        )
        .options(joinedload(Conversation.employee), joinedload(Conversation.group_session))
    ).all()
    return sorted(found, key=lambda conv: danish_sort_key(conv.employee.name))


def book_group(
    conversation_round: ConversationRound,
    leader: Person,
    conversations: Sequence[Conversation],
    when: datetime,
    place: str,
) -> GroupSession:
    """One time and place for the group; each participant's conversation is booked with it."""
    group = GroupSession(
        round=conversation_round, leader=leader, booked_for=when, place=place, notes=""
    )
    db.session.add(group)
    for conversation in conversations:
        conversation.group_session = group
        book(conversation, when, place, leader)
    db.session.flush()
    return group


def group_for_page(group_id: int) -> GroupSession | None:
    return db.session.scalars(
        select(GroupSession)
        .where(GroupSession.id == group_id)
        .options(
            joinedload(GroupSession.round),
            joinedload(GroupSession.leader),
            selectinload(GroupSession.conversations).joinedload(Conversation.employee),
        )
    ).first()


def save_group_notes(group: GroupSession, notes: str) -> None:
    group.notes = notes
    db.session.flush()


def mark_group_held(group: GroupSession) -> None:
    """Held once for everyone: each participant's conversation is held and has its plan."""
    group.held_at = group.held_at or utcnow()
    for conversation in group.conversations:
        mark_held(conversation)
    db.session.flush()


# --- The agreed plan ----------------------------------------------------------------------


def plan_of(conversation: Conversation) -> DevelopmentPlan:
    if conversation.plan is None:
        conversation.plan = DevelopmentPlan(agreements=[], amendments=[])
        db.session.flush()
    return conversation.plan


@dataclass
class AgreementText:
    what: str
    kind: DevelopmentKind
    who_does_what: str
    deadline: date | None
    success: str


def _link_labels(links: Sequence[AgreementLink]) -> str:
    """The grundlag an agreement points at, as the plan shows it (the organisation's words)."""
    labels = []
    for link in links:
        label = link.element_version.title
        if link.statement_version is not None:
            label = f"{label}: {link.statement_version.text}"
        labels.append(label)
    return "; ".join(labels)


def _stored(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return str(value)


def add_agreement(
    plan: DevelopmentPlan, author: Person, text: AgreementText, choices: Sequence[GrundlagChoice]
) -> Agreement:
    agreement = Agreement(
        position=len(plan.agreements) + 1,
        status=AgreementStatus.NOT_STARTED,
        links=[],
        **vars(text),
    )
    sync_references(agreement.links, choices, AgreementLink)
    plan.agreements.append(agreement)
    if plan.locked_at is not None:
        _amend(
            plan,
            author,
            AmendmentKind.AGREEMENT_ADDED,
            [{"field": "what", "old": "", "new": text.what}],
            position=agreement.position,
        )
    db.session.flush()
    return agreement


def update_agreement(
    agreement: Agreement,
    author: Person,
    text: AgreementText,
    choices: Sequence[GrundlagChoice],
    *,
    seen_version: int,
) -> None:
    if seen_version != agreement.version:
        raise StaleEdit
    changes = [
        {"field": name, "old": _stored(getattr(agreement, name)), "new": _stored(value)}
        for name, value in vars(text).items()
        if getattr(agreement, name) != value
    ]
    for name, value in vars(text).items():
        setattr(agreement, name, value)
    links_before = _link_labels(agreement.links)
    if sync_references(agreement.links, choices, AgreementLink):
        changes.append(
            {"field": "links", "old": links_before, "new": _link_labels(agreement.links)}
        )
    if agreement.plan.locked_at is not None and changes:
        _amend(
            agreement.plan,
            author,
            AmendmentKind.AGREEMENT_CHANGED,
            changes,
            position=agreement.position,
        )
    db.session.flush()


def save_summary(plan: DevelopmentPlan, author: Person, summary: str) -> bool:
    """The minutes (referat). Changed after the plan was locked: an amendment, like an
    agreement's change. False when nothing changed."""
    if summary == plan.summary:
        return False
    if plan.locked_at is not None:
        _amend(
            plan,
            author,
            AmendmentKind.SUMMARY_CHANGED,
            [{"field": "summary", "old": plan.summary, "new": summary}],
        )
    plan.summary = summary
    db.session.flush()
    return True


def agreement_in(conversation: Conversation, agreement_id: int) -> Agreement | None:
    """One of the conversation's agreements, or None when the id belongs to another plan."""
    agreements = conversation.plan.agreements if conversation.plan else []
    return next((agreement for agreement in agreements if agreement.id == agreement_id), None)


class PlanLocked(Exception):
    """Both have acknowledged the plan: an agreement is dropped at follow-up, not removed."""


def remove_agreement(agreement: Agreement) -> None:
    """Only while the plan is a draft; a locked plan raises `PlanLocked`."""
    plan = agreement.plan
    if plan.locked_at is not None:
        raise PlanLocked
    plan.agreements.remove(agreement)
    for position, remaining in enumerate(plan.agreements, start=1):
        remaining.position = position
    db.session.flush()


def _amend(
    plan: DevelopmentPlan,
    author: Person,
    kind: AmendmentKind,
    changes: list[dict[str, str]],
    *,
    position: int | None = None,
) -> None:
    """Record a change to a locked plan. The other side's acknowledgement no longer covers the
    plan: it is cleared, and they are asked to look at it again."""
    conversation = plan.conversation
    by_employee = author.id == conversation.employee_id
    awaits = PreparationRole.LEADER if by_employee else PreparationRole.EMPLOYEE
    plan.amendments.append(
        PlanAmendment(
            author=author,
            kind=kind,
            agreement_position=position,
            changes=changes,
            awaits=awaits,
        )
    )
    if by_employee:
        was_acknowledged = plan.leader_acknowledged_at is not None
        plan.leader_acknowledged_at = None
        other = nearest_leader(conversation.employee)
    else:
        was_acknowledged = plan.employee_acknowledged_at is not None
        plan.employee_acknowledged_at = None
        other = conversation.employee
    # Asked once per acknowledgement: further changes before they look join the same list.
    if other is not None and was_acknowledged:
        _notify_about(conversation, other, NotificationKind.PLAN_AMENDED, actor=author)


def _notify_about(
    conversation: Conversation,
    person: Person,
    kind: NotificationKind,
    *,
    actor: Person,
    page: str = "conversations.plan",
) -> None:
    """Tell `person` about the conversation, named by its round, linking to its plan (or to
    `page`)."""
    notify(
        person,
        kind,
        endpoint=page,
        conversation_id=conversation.id,
        subject=conversation.round.title,
        actor=actor,
    )


def changes_awaiting(plan: DevelopmentPlan, role: PreparationRole) -> list[PlanAmendment]:
    """What changed in the plan since this side last acknowledged it, the oldest first."""
    return sorted(
        (
            amendment
            for amendment in plan.amendments
            if amendment.awaits == role and amendment.answered_at is None
        ),
        key=lambda amendment: (amendment.created_at, amendment.id or 0),
    )


def acknowledge(
    conversation: Conversation, person: Person, *, as_employee: bool, disagreement: str = ""
) -> None:
    """'I have seen it' (not 'I agree'). Both acknowledged: the plan is locked. After an
    amendment the other side acknowledges again, which answers the changes they were shown."""
    plan = plan_of(conversation)
    now = utcnow()
    role = PreparationRole.EMPLOYEE if as_employee else PreparationRole.LEADER
    for amendment in changes_awaiting(plan, role):
        amendment.answered_at = now
    if as_employee:
        plan.employee_acknowledged_at = plan.employee_acknowledged_at or now
        plan.disagreement = disagreement
        other = nearest_leader(conversation.employee)
    else:
        plan.leader_acknowledged_at = plan.leader_acknowledged_at or now
        plan.leader_acknowledged_by_id = person.id
        other = conversation.employee
    if plan.employee_acknowledged_at and plan.leader_acknowledged_at:
        plan.locked_at = plan.locked_at or now
        conversation.acknowledged_at = conversation.acknowledged_at or now
    elif other is not None and plan.locked_at is None:
        _notify_about(
            conversation, other, NotificationKind.PLAN_AWAITING_ACKNOWLEDGEMENT, actor=person
        )
    db.session.flush()


def set_follow_up_date(conversation: Conversation, on: date | None) -> None:
    """When the two mean to follow up on the plan; both are reminded as it comes."""
    plan_of(conversation).follow_up_on = on
    db.session.flush()


def record_follow_up(
    agreement: Agreement, author: Person, status: AgreementStatus, note: str, on: date
) -> FollowUp:
    follow_up = FollowUp(author=author, status=status, note=note, on=on)
    agreement.follow_ups.append(follow_up)
    agreement.status = status
    conversation = agreement.plan.conversation
    conversation.followed_up_at = utcnow()
    db.session.flush()
    return follow_up


# --- Reading ------------------------------------------------------------------------------


def _template_shown() -> Any:
    """The template's sections with their questions: one query."""
    template = joinedload(Conversation.round).joinedload(ConversationRound.template_version)
    return template.selectinload(TemplateVersion.sections).joinedload(TemplateSection.questions)


def _preparations_shown() -> tuple[Any, ...]:
    """Both preparations (one query) with their answers and topics and the topics' grundlag
    (joined: a few rows each)."""
    preparations = selectinload(Conversation.preparations)
    topics = preparations.joinedload(Preparation.topics)
    return (
        preparations.joinedload(Preparation.answers),
        topics.joinedload(PreparationTopic.element_version).joinedload(ElementVersion.element),
        topics.joinedload(PreparationTopic.statement_version),
    )


def _agreements_shown(plan: Any) -> tuple[Any, ...]:
    """A plan's agreements as a page shows them: their grundlag (joined, a row or two each)
    and their follow-ups with who wrote them (one query)."""
    agreements = plan.selectinload(DevelopmentPlan.agreements)
    links = agreements.joinedload(Agreement.links)
    return (
        links.joinedload(AgreementLink.element_version).joinedload(ElementVersion.element),
        links.joinedload(AgreementLink.statement_version),
        agreements.joinedload(Agreement.follow_ups)
        .joinedload(FollowUp.author)
        .load_only(Person.name),
    )


def _page_options() -> tuple[Any, ...]:
    """Everything a conversation's pages show, eagerly: one query per kind of row."""
    return (
        _template_shown(),
        *_preparations_shown(),
        joinedload(Conversation.notes),
        joinedload(Conversation.employee).joinedload(Person.unit),
        joinedload(Conversation.leader),
        *_agreements_shown(joinedload(Conversation.plan)),
        joinedload(Conversation.plan)
        .selectinload(DevelopmentPlan.amendments)
        .joinedload(PlanAmendment.author),
    )


# The statements are built once per process (building one with its loader options costs more
# than running it); the conversation asked for is their parameter.
@cache
def _whole_statement() -> Select[Conversation]:
    return (
        select(Conversation)
        .where(Conversation.id == bindparam("conversation_id", type_=Integer))
        .options(*_page_options())
    )


@cache
def _plan_page_statement() -> Select[Conversation]:
    """What the plan's page shows: the conversation's round and employee, the plan with its
    agreements and amendments; not the preparations, notes or template."""
    plan = joinedload(Conversation.plan)
    return (
        select(Conversation)
        .where(Conversation.id == bindparam("conversation_id", type_=Integer))
        .options(
            joinedload(Conversation.round),
            joinedload(Conversation.employee),
            *_agreements_shown(plan),
            # Amendments are few (a locked plan changed): joined, not a query of their own.
            plan.joinedload(DevelopmentPlan.amendments)
            .joinedload(PlanAmendment.author)
            .load_only(Person.name),
        )
    )


def template_of(conversation_id: int) -> TemplateVersion | None:
    """The template version a conversation asks its questions from."""
    return db.session.scalar(
        select(TemplateVersion)
        .join(ConversationRound, ConversationRound.template_version_id == TemplateVersion.id)
        .join(Conversation, Conversation.round_id == ConversationRound.id)
        .where(Conversation.id == conversation_id)
        .options(selectinload(TemplateVersion.sections).selectinload(TemplateSection.questions))
    )


def conversation_for_page(conversation_id: int) -> Conversation | None:
    """The conversation with everything its pages show (the preparation, the notes, the
    printed plan)."""
    return db.session.scalars(_whole_statement(), {"conversation_id": conversation_id}).first()


def conversation_for_plan_page(conversation_id: int) -> Conversation | None:
    """The conversation with what its plan's page shows."""
    return db.session.scalars(_plan_page_statement(), {"conversation_id": conversation_id}).first()


def _previous_id(conversation_id: Any) -> Any:
    """The id of the employee's last earlier conversation that has a plan."""
    this, earlier = aliased(Conversation), aliased(Conversation)
    return (
        select(earlier.id)
        .join(DevelopmentPlan, DevelopmentPlan.conversation_id == earlier.id)
        .join(this, this.id == conversation_id)
        .where(
            earlier.employee_id == this.employee_id,
            earlier.id != this.id,
            earlier.invited_at <= this.invited_at,
        )
        .order_by(earlier.invited_at.desc(), earlier.id.desc())
        .limit(1)
        .scalar_subquery()
    )


@cache
def _previous_id_statement() -> Select[int]:
    return select(_previous_id(bindparam("conversation_id", type_=Integer)))


@cache
def _with_previous_statement() -> Select[Conversation]:
    """The conversation page: the conversation with its template, both preparations and the
    employee; the previous one with its plan's agreements. One statement loads both, so each
    kind of row is one query for the two."""
    conversation_id = bindparam("conversation_id", type_=Integer)
    return (
        select(Conversation)
        .where(Conversation.id.in_([conversation_id, _previous_id(conversation_id)]))
        .options(
            _template_shown(),
            *_preparations_shown(),
            joinedload(Conversation.employee),
            *_agreements_shown(joinedload(Conversation.plan)),
        )
    )


def conversation_with_previous_for_page(
    conversation_id: int,
) -> tuple[Conversation | None, Conversation | None]:
    """The conversation and the employee's previous one with a plan ('follow-up from last
    time', whoever the leader was then), loaded together: the eager loads take both at once."""
    found = {
        conversation.id: conversation
        for conversation in db.session.scalars(
            _with_previous_statement(), {"conversation_id": conversation_id}
        ).unique()
    }
    this = found.pop(conversation_id, None)
    return this, next(iter(found.values()), None)


def previous_conversation(conversation: Conversation) -> Conversation | None:
    """The employee's last earlier conversation that has a plan: 'follow-up from last time',
    whoever the leader was then."""
    earlier = db.session.scalar(_previous_id_statement(), {"conversation_id": conversation.id})
    return conversation_for_page(earlier) if earlier is not None else None


def conversations_of(employee: Person, limit: int | None = None) -> list[Conversation]:
    """The employee's conversations, the newest first (only the `limit` newest, if given)."""
    return list(
        db.session.scalars(
            select(Conversation)
            .where(Conversation.employee_id == employee.id)
            .order_by(Conversation.invited_at.desc(), Conversation.id.desc())
            .limit(limit)
            .options(
                joinedload(Conversation.round),
                # The list counts each plan's agreements: their texts and the minutes stay
                # in the database. Whether the employee acknowledged it is the front page's
                # next step.
                selectinload(Conversation.plan)
                .load_only(
                    DevelopmentPlan.conversation_id, DevelopmentPlan.employee_acknowledged_at
                )
                .selectinload(DevelopmentPlan.agreements)
                .load_only(Agreement.plan_id),
            )
        )
    )


def last_held_at(person: Person) -> datetime | None:
    held: datetime | None = db.session.scalar(
        select(func.max(Conversation.held_at)).where(Conversation.employee_id == person.id)
    )
    return held


@dataclass
class TeamMember:
    person: Person
    conversation: Conversation | None
    open_agreements: int


@cache
def _team_statement() -> Select[Conversation, int]:
    """Each given person's latest conversation with its round and how many of its plan's
    agreements are open, in one statement (built once; the people are its parameter)."""
    latest = (
        select(func.max(Conversation.id))
        .where(Conversation.employee_id.in_(bindparam("person_ids", expanding=True)))
        .group_by(Conversation.employee_id)
    )
    open_agreements = (
        select(func.count(Agreement.id))
        .join(DevelopmentPlan, DevelopmentPlan.id == Agreement.plan_id)
        .where(
            DevelopmentPlan.conversation_id == Conversation.id,
            Agreement.status.in_(OPEN_AGREEMENT),
        )
        .correlate(Conversation)
        .scalar_subquery()
    )
    return (
        select(Conversation, open_agreements)
        .where(Conversation.id.in_(latest))
        .options(joinedload(Conversation.round))
    )


def team_overview(reports: Sequence[Person]) -> list[TeamMember]:
    """Each direct report's latest conversation and open agreements, in one query."""
    ids = [person.id for person in reports]
    if not ids:
        return []
    found = {
        conversation.employee_id: (conversation, open_agreements)
        for conversation, open_agreements in db.session.execute(
            _team_statement(), {"person_ids": ids}
        )
    }
    return [TeamMember(person, *found.get(person.id, (None, 0))) for person in reports]


STEPS = ("invited", "booked", "prepared", "held", "acknowledged", "followed_up", "overdue")


def step_figures(conversation_round: ConversationRound, today: date) -> dict[int, list[int]]:
    """Per unit (as at invitation), how many conversations reached each of the STEPS, in
    their order: one aggregate query. Overdue counts those not held once the deadline (a
    Danish day) has passed. Lists, for the reports to add up their unit tree."""
    overdue = today > conversation_round.deadline
    rows = db.session.execute(
        select(
            Conversation.unit_id,
            func.count(Conversation.id),
            func.count(Conversation.booked_for),
            func.count(Conversation.prepared_at),
            func.count(Conversation.held_at),
            func.count(Conversation.acknowledged_at),
            func.count(Conversation.followed_up_at),
        )
        .where(Conversation.round_id == conversation_round.id)
        .group_by(Conversation.unit_id)
    ).all()
    return {
        unit_id: [
            invited,
            booked,
            prepared,
            held,
            acknowledged,
            followed_up,
            invited - held if overdue else 0,
        ]
        for unit_id, invited, booked, prepared, held, acknowledged, followed_up in rows
    }


def step_counts(conversation_round: ConversationRound, today: date) -> dict[int, dict[str, int]]:
    """`step_figures` by step name."""
    return {
        unit_id: dict(zip(STEPS, figures, strict=True))
        for unit_id, figures in step_figures(conversation_round, today).items()
    }


@dataclass
class UnitProgress:
    unit: OrgUnit
    counts: dict[str, int]


def round_progress(conversation_round: ConversationRound, today: date) -> list[UnitProgress]:
    """The round's steps per unit, units by name. Names the units, never any content."""
    counts = step_counts(conversation_round, today)
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(counts))).all()
    return [
        UnitProgress(unit, counts[unit.id])
        for unit in sorted(units, key=lambda unit: danish_sort_key(unit.name))
    ]


def round_people(conversation_round: ConversationRound) -> list[Conversation]:
    """Who is in the round and how far they are (for HR to chase); states only, no content.
    By unit, then name, in Danish order."""
    found = list(
        db.session.scalars(
            select(Conversation)
            .where(Conversation.round_id == conversation_round.id)
            .options(
                joinedload(Conversation.employee),
                joinedload(Conversation.unit),
                joinedload(Conversation.round),
            )
        )
    )
    return sorted(
        found,
        key=lambda conv: (danish_sort_key(conv.unit.name), danish_sort_key(conv.employee.name)),
    )


# --- What the front page asks of each role ------------------------------------------------


@dataclass
class LeaderTodo:
    """What waits for a leader in their direct reports' latest conversations."""

    to_book: list[Conversation]
    overdue: list[Conversation]
    to_acknowledge: list[Conversation]
    agreements_due: list[Agreement]
    individual_requests: list[Conversation]

    def __bool__(self) -> bool:
        return any(vars(self).values())


def leader_todo(reports: Sequence[Person], today: date, due_within_days: int) -> LeaderTodo:
    """The reports' conversations (a GUS and a MUS may run at once; an agreement of last
    year's plan may fall due), with plans and agreements, in two queries (the reports
    themselves are already loaded)."""
    todo = LeaderTodo([], [], [], [], [])
    ids = [person.id for person in reports]
    if not ids:
        return todo
    conversations = db.session.scalars(
        select(Conversation)
        .where(Conversation.employee_id.in_(ids))
        .order_by(Conversation.id)
        .options(
            joinedload(Conversation.round),
            joinedload(Conversation.plan).selectinload(DevelopmentPlan.agreements),
        )
    ).unique()
    by_name = sorted(conversations, key=lambda conv: danish_sort_key(conv.employee.name))
    for conversation in by_name:
        plan = conversation.plan
        if conversation.held_at is None:
            if conversation.booked_for is None:
                todo.to_book.append(conversation)
            if conversation.is_overdue(today):
                todo.overdue.append(conversation)
        if conversation.individual_requested_at and conversation.individual_id is None:
            todo.individual_requests.append(conversation)
        if plan is None:
            continue
        if conversation.held_at and plan.agreements and plan.leader_acknowledged_at is None:
            todo.to_acknowledge.append(conversation)
        todo.agreements_due += [
            agreement
            for agreement in plan.agreements
            if agreement.status in OPEN_AGREEMENT
            and agreement.deadline is not None
            and (agreement.deadline - today).days <= due_within_days
        ]
    todo.agreements_due.sort(key=lambda agreement: agreement.deadline or today)
    return todo


@dataclass
class RoundGlance:
    round: ConversationRound
    invited: int
    held: int
    acknowledged: int
    overdue: int
    individual_requests: int


def rounds_at_a_glance(today: date, limit: int = 10) -> list[RoundGlance]:
    """HR's front page: the opened rounds, the nearest deadline first, with their figures,
    in one query."""
    waiting = func.count(Conversation.individual_requested_at) - func.count(
        Conversation.individual_id
    )
    rows = db.session.execute(
        select(
            ConversationRound,
            func.count(Conversation.id),
            func.count(Conversation.held_at),
            func.count(Conversation.acknowledged_at),
            waiting,
        )
        .outerjoin(Conversation, Conversation.round_id == ConversationRound.id)
        .where(ConversationRound.opened_at.is_not(None))
        .group_by(ConversationRound.id)
        .order_by(ConversationRound.deadline.desc(), ConversationRound.id.desc())
        .limit(limit)
    ).all()
    return [
        RoundGlance(
            found,
            invited,
            held,
            acknowledged,
            invited - held if today > found.deadline else 0,
            requests,
        )
        for found, invited, held, acknowledged, requests in rows
    ]


@dataclass
class NextStep:
    """The one thing an employee should do next, as the front page's button."""

    kind: str  # "acknowledge", "prepare" or "feedback"
    conversation: Conversation | None = None


def next_step_of(conversations: Sequence[Conversation], feedback_asked: int) -> NextStep | None:
    """Acknowledging a plan that waits comes first, then preparing the conversation not yet
    held with the nearest deadline, then feedback someone asked for."""
    for conversation in conversations:
        plan = conversation.plan
        waiting = plan is not None and plan.agreements and plan.employee_acknowledged_at is None
        if waiting and conversation.held_at is not None:
            return NextStep("acknowledge", conversation)
    unprepared = [
        conversation
        for conversation in conversations
        if conversation.held_at is None and conversation.prepared_at is None
    ]
    if unprepared:
        return NextStep("prepare", min(unprepared, key=lambda conv: conv.round.deadline))
    if feedback_asked:
        return NextStep("feedback")
    return None
