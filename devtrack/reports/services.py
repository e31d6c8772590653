"""The reports' figures, aggregated in SQL and rolled up the unit tree.

Each person belongs to exactly one unit, so per-unit counts of distinct people add up along
the tree: SQL counts per unit (a handful of GROUP BY queries, however large the organisation)
and Python only sums those counts for each subtree.

Anonymity: which units' coverage figures are shown is decided once for the whole
organisation (`devtrack.reports.disclosure`), the same in every view and export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Integer, cast, func, literal_column, null, or_, select, union, union_all
from sqlalchemy.orm import aliased, selectinload

from devtrack.conversations.models import (
    Agreement,
    AgreementLink,
    AgreementStatus,
    Conversation,
    ConversationRound,
    DevelopmentPlan,
)
from devtrack.conversations.services import STEPS, step_figures
from devtrack.extensions import db
from devtrack.feedback.models import Feedback
from devtrack.goals.models import Goal, GoalLink, GoalStatus
from devtrack.grundlag.models import ElementVersion, FrameworkVersion, Part
from devtrack.people.models import OrgUnit, Person
from devtrack.reports.disclosure import Disclosure, decide, people_per_unit
from devtrack.reports.units import UnitNode, unit_tree

SOURCES = ("goals", "agreements", "feedback")


# --- Who is counted -----------------------------------------------------------------------


def _active_people(root_id: int | None) -> Any:
    """Active people (id, unit_id): everyone, or those in the active subtree of `root_id`
    (found in SQL, a recursive query over the unit tree). A subquery, not a common table
    expression: PostgreSQL would compute that once, without the statistics that let it look
    a unit's people's goals and feedback up by index."""
    people = select(Person.id, Person.unit_id).where(Person.active.is_(True))
    if root_id is None:
        return people.subquery("people")
    subtree = (
        select(OrgUnit.id)
        .where(OrgUnit.id == root_id, OrgUnit.active.is_(True))
        .cte("subtree", recursive=True)
    )
    child = aliased(OrgUnit)
    subtree = subtree.union_all(
        select(child.id)
        .join(subtree, child.parent_id == subtree.c.id)
        .where(child.active.is_(True))
    )
    return people.where(Person.unit_id.in_(select(subtree.c.id))).subquery("people")


# --- Coverage -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageFilter:
    part_id: int | None
    unit_id: int | None
    start: date
    end: date
    round_id: int | None
    sources: tuple[str, ...]


@dataclass
class CoverageCell:
    people: int
    share: float
    feedback: int


@dataclass
class CoverageRow:
    unit: UnitNode
    cells: dict[int, CoverageCell]  # element id -> cell; empty when suppressed


@dataclass
class CoverageReport:
    part: Part | None
    elements: list[ElementVersion]
    rows: list[CoverageRow]
    disclosure: Disclosure  # which units' figures are shown, the same in every view
    blind_spots: list[tuple[UnitNode, list[ElementVersion]]]
    parts: list[Part]  # every part of the version, for choosing another
    path: list[UnitNode]  # the units above the chosen one, the top first

    @property
    def units(self) -> list[UnitNode]:
        """The units shown: the chosen one (or the top) and the levels below it."""
        return [row.unit for row in self.rows]

    @property
    def threshold(self) -> int:
        return self.disclosure.threshold


def _moment(day: date, end: bool = False) -> datetime:
    moment = datetime.combine(day, time.min, tzinfo=UTC)
    return moment + timedelta(days=1) if end else moment


def round_period(conversation_round: ConversationRound) -> tuple[date, date]:
    """The period a round's coverage covers: from its creation to its deadline."""
    start = conversation_round.created_at.date()
    return start, max(conversation_round.deadline, start)


def parts_of(version: FrameworkVersion | None) -> list[Part]:
    if version is None:
        return []
    return list(
        db.session.scalars(
            select(Part)
            .where(Part.version_id == version.id)
            .order_by(Part.position)
            .options(selectinload(Part.elements))
        )
    )


def coverage(
    version: FrameworkVersion,
    filters: CoverageFilter,
    threshold: int,
    max_depth: int | None = None,
) -> CoverageReport:
    """Per unit with its subtree (down to `max_depth` levels below the chosen unit), per
    element of the part: people working on it, and feedback given about it. Units hidden by
    the organisation-wide disclosure decision have no figures."""
    parts = parts_of(version)
    part = next((p for p in parts if p.id == filters.part_id), parts[0] if parts else None)
    elements = list(part.elements) if part else []
    element_ids = [element.element_id for element in elements]
    tree = unit_tree(filters.unit_id)
    figures = _coverage_figures(filters, element_ids) if tree.root is not None else []
    # Per unit: its active people; per element i, people working on it at 2i, feedback at 2i+1.
    people: dict[int, int] = {}
    per_unit: dict[int, list[int]] = {}
    column = {element_id: 2 * index for index, element_id in enumerate(element_ids)}
    for kind, unit_id, element_id, count in figures:
        if kind == _PEOPLE:
            people[unit_id] = int(count)
            continue
        row = per_unit.setdefault(unit_id, [0] * (2 * len(element_ids)))
        row[column[element_id] + (1 if kind == _FEEDBACK else 0)] = int(count)
    tree.count_people(people)
    disclosure = decide(tree, threshold)
    totals = tree.rolled_up(per_unit, 2 * len(element_ids))
    units = tree.ordered(max_depth)
    disclosure.mark(units)
    report_rows = []
    for node in units:
        cells: dict[int, CoverageCell] = {}
        if not node.suppressed:
            total = totals[node.id]
            for element_id, at in column.items():
                cells[element_id] = CoverageCell(
                    people=total[at],
                    share=total[at] / node.people if node.people else 0.0,
                    feedback=total[at + 1],
                )
        report_rows.append(CoverageRow(node, cells))
    return CoverageReport(
        part,
        elements,
        report_rows,
        disclosure,
        _blind_spots(report_rows, elements),
        parts,
        tree.path(),
    )


_PEOPLE, _WORKING, _FEEDBACK = 0, 1, 2


def _coverage_figures(filters: CoverageFilter, element_ids: list[int]) -> list[Any]:
    """(kind, unit, element, count) per unit: its active people (in every unit, for the
    disclosure decision), and per element the people working on it and the feedback about
    it (in the chosen unit's subtree); one query.

    For one unit, its people are found first and their goals and agreements joined to them;
    for the whole organisation, the element links are found first and their people joined
    last. Each way is the faster one for its scope."""
    start, end = _moment(filters.start), _moment(filters.end, end=True)
    people = _active_people(filters.unit_id)
    scoped = filters.unit_id is not None
    kind: dict[int, Any] = {
        value: literal_column(str(value), Integer) for value in (_PEOPLE, _WORKING, _FEEDBACK)
    }
    everyone = people_per_unit().subquery("everyone")
    parts: list[Any] = [
        select(kind[_PEOPLE], everyone.c.unit_id, cast(null(), Integer), everyone.c.people)
    ]
    pairs: list[Any] = []
    if "goals" in filters.sources and element_ids:
        goals = (
            select(Goal.owner_id.label("person_id"), GoalLink.element_id.label("element_id"))
            .join(GoalLink, GoalLink.goal_id == Goal.id)
            .where(
                GoalLink.element_id.in_(element_ids),
                Goal.shared_at.is_not(None),
                Goal.created_at < end,
                or_(
                    Goal.status.in_((GoalStatus.ACTIVE, GoalStatus.PAUSED)),
                    Goal.updated_at >= start,
                ),
            )
        )
        if scoped:
            goals = goals.join(people, people.c.id == Goal.owner_id).add_columns(people.c.unit_id)
        pairs.append(goals)
    if "agreements" in filters.sources and element_ids:
        agreements = (
            select(
                Conversation.employee_id.label("person_id"),
                AgreementLink.element_id.label("element_id"),
            )
            .join(DevelopmentPlan, DevelopmentPlan.conversation_id == Conversation.id)
            .join(Agreement, Agreement.plan_id == DevelopmentPlan.id)
            .join(AgreementLink, AgreementLink.agreement_id == Agreement.id)
            .where(AgreementLink.element_id.in_(element_ids))
        )
        if filters.round_id is not None:
            agreements = agreements.where(Conversation.round_id == filters.round_id)
        else:
            agreements = agreements.where(
                Agreement.created_at < end,
                or_(
                    Agreement.status.in_((AgreementStatus.NOT_STARTED, AgreementStatus.UNDER_WAY)),
                    Conversation.held_at >= start,
                ),
            )
        if scoped:
            agreements = agreements.join(
                people, people.c.id == Conversation.employee_id
            ).add_columns(people.c.unit_id)
        pairs.append(agreements)
    if pairs:
        # A person working on an element through several goals and agreements counts once.
        distinct_pairs = union(*pairs).subquery("pairs")
        if scoped:
            unit_id = distinct_pairs.c.unit_id
            working = select(kind[_WORKING], unit_id, distinct_pairs.c.element_id, func.count())
        else:
            unit_id = people.c.unit_id
            working = select(
                kind[_WORKING], unit_id, distinct_pairs.c.element_id, func.count()
            ).join(people, people.c.id == distinct_pairs.c.person_id)
        parts.append(working.group_by(unit_id, distinct_pairs.c.element_id))
    if "feedback" in filters.sources and element_ids:
        parts.append(
            select(kind[_FEEDBACK], people.c.unit_id, Feedback.element_id, func.count())
            .join(Feedback, Feedback.receiver_id == people.c.id)
            .where(
                Feedback.element_id.in_(element_ids),
                Feedback.created_at >= start,
                Feedback.created_at < end,
            )
            .group_by(people.c.unit_id, Feedback.element_id)
        )
    return list(db.session.execute(union_all(*parts)).all())


BLIND_SPOT_SHARE = 0.1


def _blind_spots(
    rows: list[CoverageRow], elements: list[ElementVersion]
) -> list[tuple[UnitNode, list[ElementVersion]]]:
    """Per shown unit, the elements almost nobody works on (under a tenth of the people)."""
    spots = []
    for row in rows:
        if row.unit.suppressed or not row.cells:
            continue
        low = [e for e in elements if row.cells[e.element_id].share < BLIND_SPOT_SHARE]
        if low:
            spots.append((row.unit, low))
    return spots


# --- Completion ---------------------------------------------------------------------------


@dataclass
class CompletionRow:
    unit: UnitNode
    counts: dict[str, int]

    def share(self, step: str) -> float:
        invited = self.counts["invited"]
        return self.counts[step] / invited if invited else 0.0


@dataclass
class CompletionReport:
    round: ConversationRound
    rows: list[CompletionRow]  # the units shown that have conversations in the round
    units: list[UnitNode]  # every unit shown: the chosen one (or the top) and levels below
    path: list[UnitNode]  # the units above the chosen one, the top first
    round_totals: dict[str, int]  # the whole round, every unit (as the trend counts it)


def completion(
    conversation_round: ConversationRound,
    unit_id: int | None,
    today: date,
    max_depth: int | None = None,
) -> CompletionReport:
    """Per unit with its subtree, how many conversations reached each step."""
    counts = step_figures(conversation_round, today)
    column_sums = [sum(column) for column in zip(*counts.values(), strict=True)]
    round_totals = dict(zip(STEPS, column_sums or [0] * len(STEPS), strict=True))
    tree = unit_tree(unit_id)
    totals = tree.rolled_up(counts, len(STEPS))
    units = tree.ordered(max_depth)
    report_rows = [
        CompletionRow(node, dict(zip(STEPS, totals[node.id], strict=True))) for node in units
    ]
    return CompletionReport(
        conversation_round,
        [row for row in report_rows if row.counts["invited"]],
        units,
        tree.path(),
        round_totals,
    )


@dataclass
class TrendPoint:
    round: ConversationRound
    invited: int
    held: int
    acknowledged: int

    @property
    def held_share(self) -> float:
        return self.held / self.invited if self.invited else 0.0

    @property
    def acknowledged_share(self) -> float:
        return self.acknowledged / self.invited if self.invited else 0.0


def completion_trend(kind: Any, known: CompletionReport | None = None) -> list[TrendPoint]:
    """The same figures for every round of a kind, oldest first: one query. The round of a
    completion report `known` is taken from it, not counted again."""
    query = (
        select(
            ConversationRound,
            func.count(Conversation.id),
            func.count(Conversation.held_at),
            func.count(Conversation.acknowledged_at),
        )
        .join(Conversation, Conversation.round_id == ConversationRound.id)
        .where(ConversationRound.kind == kind)
        .group_by(ConversationRound.id)
        .order_by(ConversationRound.deadline, ConversationRound.id)
    )
    if known is not None and known.round.kind == kind:
        query = query.where(ConversationRound.id != known.round.id)
    points = [TrendPoint(r, int(i), int(h), int(a)) for r, i, h, a in db.session.execute(query)]
    if known is not None and known.round.kind == kind and known.round_totals["invited"]:
        totals = known.round_totals
        points.append(
            TrendPoint(known.round, totals["invited"], totals["held"], totals["acknowledged"])
        )
        points.sort(key=lambda point: (point.round.deadline, point.round.id))
    return points


def rounds_newest_first() -> list[ConversationRound]:
    return list(
        db.session.scalars(
            select(ConversationRound).order_by(
                ConversationRound.deadline.desc(), ConversationRound.id.desc()
            )
        )
    )
