"""A year of life in the demo municipality: goals, progress, feedback and requests.

Made through the features' own services, with a fixed random seed so every demo looks the
same, and back-dated so the timeline reads like months of use. Some elements of the grundlag
are far more used than others, as in a real organisation, so the HR reports show blind spots.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from devtrack.conversation_templates.models import ConversationTemplate
from devtrack.conversations.models import AgreementStatus, DevelopmentKind, RoundKind
from devtrack.conversations.services import (
    AgreementText,
    add_agreement,
    book,
    create_round,
    open_round,
    plan_of,
    record_follow_up,
)
from devtrack.extensions import db
from devtrack.feedback.services import ask_for_feedback, give_feedback
from devtrack.goals.models import Goal, GoalStatus
from devtrack.goals.services import add_progress, change_status, create_goal
from devtrack.grundlag.links import version_for_choices
from devtrack.grundlag.models import ElementVersion, FrameworkVersion, GrundlagChoice
from devtrack.people.hierarchy import nearest_leader
from devtrack.people.models import OrgUnit, Person

GOAL_TITLES = (
    "Tage ordet oftere på personalemøder",
    "Lære at facilitere et fagligt møde",
    "Give mere konkret feedback til kolleger",
    "Samarbejde tættere med naboafdelingen",
    "Prøve en ny arbejdsgang af i teamet",
    "Sige fra, når opgaverne hober sig op",
    "Blive tryg ved at tale med pårørende i svære situationer",
    "Dele viden fra kurset med resten af teamet",
    "Være makker for en ny kollega",
    "Skabe overblik over teamets opgaver",
)
PROGRESS_NOTES = (
    "Holdt det første møde; det gik bedre end ventet.",
    "Talte med min leder om, hvordan jeg kommer videre.",
    "Fik god respons fra en kollega.",
    "Det var svært denne måned; jeg prøver igen.",
    "Lavede en plan sammen med teamet.",
)
FEEDBACK_TEXTS = (
    "Jeg så {element}, da du tog ansvar for situationen på mødet.",
    "Tak for den måde, du hjalp en ny kollega i gang. Det var {element} i praksis.",
    "Du holdt fast i borgerens perspektiv, selv om det var travlt. Det er {element} for mig.",
    "Da planen ændrede sig, fandt du en ny vej. Det viste {element}.",
)
REFLECTIONS = (
    "Jeg tænkte over {element} efter en svær dag, og hvad jeg ville gøre anderledes.",
    "I dag lykkedes det mig at handle efter {element}; det vil jeg huske.",
)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


def _choices(rng: random.Random, elements: list[ElementVersion]) -> GrundlagChoice:
    """An element (sometimes one of its statements), skewed towards the first ones."""
    weights = [1 / (rank + 1) ** 1.3 for rank in range(len(elements))]
    element = rng.choices(elements, weights=weights)[0]
    if element.statements and rng.random() < 0.4:
        return GrundlagChoice(element, rng.choice(element.statements))
    return GrundlagChoice(element)


def _elements_of(version: FrameworkVersion) -> list[ElementVersion]:
    """The version's elements with their behaviour statements, in the grundlag's order."""
    return list(
        db.session.scalars(
            select(ElementVersion)
            .where(ElementVersion.version_id == version.id)
            .order_by(ElementVersion.position, ElementVersion.id)
            .options(selectinload(ElementVersion.statements))
        )
    )


def load_demo_activity(today: date, seed: int = 2026) -> bool:
    """Add the year; False when there is no grundlag yet or the demo already has its year."""
    version = version_for_choices()
    if version is None or db.session.scalar(select(Goal.id).limit(1)) is not None:
        return False
    elements = _elements_of(version)
    if not elements:
        return False
    rng = random.Random(seed)  # noqa: S311  (a repeatable demo, not a secret)
    people = list(
        db.session.scalars(
            select(Person)
            .where(Person.active.is_(True), Person.is_admin.is_(False))
            .order_by(Person.employee_number)
        )
    )
    by_unit: dict[int, list[Person]] = {}
    for person in people:
        by_unit.setdefault(person.unit_id, []).append(person)

    for person in people:
        for _number in range(rng.randint(1, 3)):
            started = today - timedelta(days=rng.randint(30, 300))
            goal = create_goal(
                person,
                title=rng.choice(GOAL_TITLES),
                description="",
                target_date=today + timedelta(days=rng.randint(5, 200)),
                choices=[_choices(rng, elements) for _link in range(rng.randint(1, 2))],
                share=rng.random() < 0.85,
            )
            goal.created_at = _at(started)
            for event in goal.events:
                event.occurred_on, event.created_at = started, _at(started)
            day = started
            for _note in range(rng.randint(0, 3)):
                day = min(day + timedelta(days=rng.randint(7, 40)), today)
                progress = add_progress(
                    goal,
                    person,
                    text=rng.choice(PROGRESS_NOTES),
                    occurred_on=day,
                    milestone=rng.random() < 0.2,
                )
                progress.created_at = _at(day)
            if goal.is_shared and rng.random() < 0.15:
                change_status(goal, person, GoalStatus.ACHIEVED, "")
                goal.events[-1].created_at = _at(day)

        colleagues = [other for other in by_unit[person.unit_id] if other.id != person.id]
        leader = nearest_leader(person)
        givers: list[Person] = ([leader] if leader is not None else []) + colleagues
        for _number in range(rng.randint(2, 5)):
            situation = today - timedelta(days=rng.randint(3, 300))
            author = person if rng.random() < 0.2 or not givers else rng.choice(givers)
            choice = _choices(rng, elements)
            texts = REFLECTIONS if author.id == person.id else FEEDBACK_TEXTS
            feedback = give_feedback(
                author,
                person,
                text=rng.choice(texts).format(element=choice.element_version.title.lower()),
                situation_date=situation,
                choice=choice,
            )
            feedback.created_at = _at(situation + timedelta(days=1))
            feedback.shared_with_leader = rng.random() < 0.5

        if colleagues and rng.random() < 0.3:
            ask_for_feedback(
                person,
                rng.sample(colleagues, k=min(2, len(colleagues))),
                choice=_choices(rng, elements),
                message="Jeg vil gerne høre, hvordan du oplever det.",
            )
    db.session.flush()
    return True


AGREEMENTS = (
    ("Deltage i et kursus om svære samtaler", DevelopmentKind.COURSE),
    ("Være med i det tværgående netværk for faglige fyrtårne", DevelopmentKind.NETWORK),
    ("Sparring med en erfaren kollega hver måned", DevelopmentKind.SPARRING),
    ("Tage ansvar for et nyt projekt i teamet", DevelopmentKind.ON_THE_JOB),
)


def load_demo_rounds(today: date, creator: Person, seed: int = 2027) -> None:
    """Last year's MUS, held and followed up, and this year's, under way: so the leader's
    overview, 'follow-up from last time' and HR's completion figures have something to show."""
    version = version_for_choices()
    root_units = list(db.session.scalars(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None))))
    if version is None or not root_units:
        return
    rng = random.Random(seed)  # noqa: S311  (a repeatable demo, not a secret)
    elements = _elements_of(version)
    # Last year's round asked devtrack's earlier questions (a template of its own, when the
    # demo loaded it): its conversations keep showing them.
    earlier = db.session.scalar(
        select(ConversationTemplate).where(ConversationTemplate.key == "devtrack-standard")
    )
    last_year = create_round(
        kind=RoundKind.MUS,
        title=f"MUS {today.year - 1}",
        deadline=date(today.year - 1, 12, 15),
        unit_ids=root_units,
        version=version,
        creator=creator,
        template=earlier.latest if earlier is not None else None,
    )
    open_round(last_year)
    for conversation in last_year.conversations:
        held = _at(date(today.year - 1, rng.randint(9, 11), rng.randint(1, 28)))
        conversation.invited_at = held - timedelta(days=30)
        conversation.booked_for = conversation.prepared_at = conversation.held_at = held
        plan = plan_of(conversation)
        for what, kind in rng.sample(AGREEMENTS, k=rng.randint(1, 3)):
            add_agreement(
                plan,
                conversation.employee,
                AgreementText(
                    what=what,
                    kind=kind,
                    who_does_what="",
                    deadline=None,
                    success="",
                ),
                [_choices(rng, elements)],
            )
        plan.employee_acknowledged_at = plan.leader_acknowledged_at = held
        plan.locked_at = conversation.acknowledged_at = held
        if rng.random() < 0.7:
            for agreement in plan.agreements:
                record_follow_up(
                    agreement,
                    conversation.leader or conversation.employee,
                    rng.choice((AgreementStatus.UNDER_WAY, AgreementStatus.DONE)),
                    "",
                    today - timedelta(days=rng.randint(30, 150)),
                )
    this_year = create_round(
        kind=RoundKind.MUS,
        title=f"MUS {today.year}",
        deadline=today + timedelta(days=45),
        unit_ids=root_units,
        version=version,
        creator=creator,
    )
    open_round(this_year)
    for conversation in this_year.conversations:
        step = rng.random()
        if step > 0.3 and conversation.leader is not None:
            when = _at(today + timedelta(days=rng.randint(3, 40)))
            book(conversation, when, "Mødelokalet", conversation.leader)
        if step > 0.6:
            conversation.prepared_at = _at(today - timedelta(days=rng.randint(1, 10)))
    db.session.flush()
