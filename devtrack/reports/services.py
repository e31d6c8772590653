"""The reports' figures, aggregated in SQL and rolled up the unit tree.

Each person belongs to exactly one unit, so per-unit counts of distinct people add up along
the tree: SQL counts per unit (a handful of GROUP BY queries, however large the organisation)
and Python only sums those counts for each subtree.

Anonymity: a unit row built from fewer active people than the threshold is suppressed. So that
no suppressed figure can be worked out by subtraction (a parent's total minus its visible
children), every shown parent hides either nothing or at least a threshold's worth of people:
its direct members, which are never shown on their own, count as hidden, and further children
(or the parent itself) are suppressed until that holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select, union
from sqlalchemy.orm import selectinload

from devtrack.conversations.models import (
    Agreement,
    AgreementLink,
    AgreementStatus,
    Conversation,
    ConversationRound,
    DevelopmentPlan,
)
from devtrack.conversations.services import STEPS, step_counts
from devtrack.extensions import db
from devtrack.feedback.models import Feedback
from devtrack.goals.models import Goal, GoalLink, GoalStatus
from devtrack.grundlag.models import ElementVersion, FrameworkVersion, Part
from devtrack.people.collation import danish_sort_key
from devtrack.people.models import OrgUnit, Person

SOURCES = ("goals", "agreements", "feedback")


# --- The unit tree ------------------------------------------------------------------------


@dataclass
class UnitNode:
    id: int
    name: str
    parent_id: int | None
    depth: int = 0
    children: list[UnitNode] = field(default_factory=list)
    direct_people: int = 0
    people: int = 0  # the whole subtree
    suppressed: bool = False


@dataclass
class UnitTree:
    nodes: dict[int, UnitNode]
    root: UnitNode | None

    def ordered(self, max_depth: int | None = None) -> list[UnitNode]:
        """The root and its subtree (down to `max_depth` levels below the root), parents
        before children, siblings in Danish order."""
        found: list[UnitNode] = []

        def walk(node: UnitNode, depth: int) -> None:
            node.depth = depth
            found.append(node)
            if max_depth is None or depth < max_depth:
                for child in sorted(node.children, key=lambda n: danish_sort_key(n.name)):
                    walk(child, depth + 1)

        if self.root is not None:
            walk(self.root, 0)
        return found

    def rolled_up(self, per_unit: dict[int, int]) -> dict[int, int]:
        """Each unit's count plus its whole subtree's, in one pass from the leaves up."""
        totals: dict[int, int] = {}
        if self.root is None:
            return totals
        stack: list[tuple[UnitNode, bool]] = [(self.root, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                totals[node.id] = per_unit.get(node.id, 0) + sum(
                    totals[child.id] for child in node.children
                )
            else:
                stack.append((node, True))
                stack.extend((child, False) for child in node.children)
        return totals


def unit_tree(root_id: int | None, *, count_people: bool = True) -> UnitTree:
    """Active units (with their active people, unless not needed); rooted at `root_id` or
    the organisation's top."""
    units = db.session.execute(
        select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id).where(OrgUnit.active.is_(True))
    ).all()
    nodes = {unit_id: UnitNode(unit_id, name, parent_id) for unit_id, name, parent_id in units}
    for node in nodes.values():
        if node.parent_id in nodes:
            nodes[node.parent_id].children.append(node)
    counts = (
        dict(
            db.session.execute(
                select(Person.unit_id, func.count(Person.id))
                .where(Person.active.is_(True))
                .group_by(Person.unit_id)
            ).all()
        )
        if count_people
        else {}
    )
    for node in nodes.values():
        node.direct_people = int(counts.get(node.id, 0))
    if root_id is not None:
        root = nodes.get(root_id)
    else:
        tops = [node for node in nodes.values() if node.parent_id not in nodes]
        if len(tops) == 1:
            root = tops[0]
        else:  # several top units: an organisation node above them
            root = UnitNode(0, "", None, children=tops)
            nodes[0] = root
    tree = UnitTree(nodes, root)
    if root is not None:
        _count_people(root)
    return tree


def _subtree_ids(node: UnitNode) -> list[int]:
    found, stack = [], [node]
    while stack:
        current = stack.pop()
        found.append(current.id)
        stack.extend(current.children)
    return found


def _count_people(node: UnitNode) -> int:
    node.people = node.direct_people + sum(_count_people(child) for child in node.children)
    return node.people


def suppress(tree: UnitTree, threshold: int) -> None:
    """Mark rows to hide: too few people, or a figure others would let one subtract out."""

    def visit(node: UnitNode) -> None:
        for child in node.children:
            visit(child)
        node.suppressed = node.people < threshold
        if node.suppressed:
            return
        hidden = node.direct_people + sum(c.people for c in node.children if c.suppressed)
        visible = sorted((c for c in node.children if not c.suppressed), key=lambda c: c.people)
        while 0 < hidden < threshold and visible:
            extra = visible.pop(0)
            extra.suppressed = True
            hidden += extra.people
        if 0 < hidden < threshold:
            node.suppressed = True

    if tree.root is not None:
        visit(tree.root)


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
    threshold: int
    blind_spots: list[tuple[UnitNode, list[ElementVersion]]]
    parts: list[Part]  # every part of the version, for choosing another


def _moment(day: date, end: bool = False) -> datetime:
    moment = datetime.combine(day, time.min, tzinfo=UTC)
    return moment + timedelta(days=1) if end else moment


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
    parts = parts_of(version)
    part = next((p for p in parts if p.id == filters.part_id), parts[0] if parts else None)
    elements = list(part.elements) if part else []
    element_ids = [element.element_id for element in elements]
    tree = unit_tree(filters.unit_id)
    suppress(tree, threshold)
    start, end = _moment(filters.start), _moment(filters.end, end=True)
    # For one unit, count only its subtree's people (the whole organisation needs no filter).
    in_scope = (
        Person.unit_id.in_(_subtree_ids(tree.root))
        if filters.unit_id is not None and tree.root is not None
        else Person.active.is_(True)
    )

    working: dict[tuple[int, int], int] = {}
    pairs = []
    if "goals" in filters.sources and element_ids:
        pairs.append(
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
        pairs.append(agreements)
    if pairs:
        distinct_pairs = union(*pairs).subquery()
        rows = db.session.execute(
            select(
                Person.unit_id,
                distinct_pairs.c.element_id,
                func.count(func.distinct(distinct_pairs.c.person_id)),
            )
            .join(Person, Person.id == distinct_pairs.c.person_id)
            .where(Person.active.is_(True), in_scope)
            .group_by(Person.unit_id, distinct_pairs.c.element_id)
        ).all()
        working = {(unit_id, element_id): int(count) for unit_id, element_id, count in rows}

    feedback: dict[tuple[int, int], int] = {}
    if "feedback" in filters.sources and element_ids:
        rows = db.session.execute(
            select(Person.unit_id, Feedback.element_id, func.count(Feedback.id))
            .join(Person, Person.id == Feedback.receiver_id)
            .where(
                Person.active.is_(True),
                in_scope,
                Feedback.element_id.in_(element_ids),
                Feedback.created_at >= start,
                Feedback.created_at < end,
            )
            .group_by(Person.unit_id, Feedback.element_id)
        ).all()
        feedback = {(unit_id, element_id): int(count) for unit_id, element_id, count in rows}

    by_element_working = _per_element(working)
    by_element_feedback = _per_element(feedback)
    working_totals = {e: tree.rolled_up(by_element_working.get(e, {})) for e in element_ids}
    feedback_totals = {e: tree.rolled_up(by_element_feedback.get(e, {})) for e in element_ids}
    report_rows = []
    for node in tree.ordered(max_depth):
        cells: dict[int, CoverageCell] = {}
        if not node.suppressed:
            for element_id in element_ids:
                people = working_totals[element_id][node.id]
                cells[element_id] = CoverageCell(
                    people=people,
                    share=people / node.people if node.people else 0.0,
                    feedback=feedback_totals[element_id][node.id],
                )
        report_rows.append(CoverageRow(node, cells))
    return CoverageReport(
        part, elements, report_rows, threshold, _blind_spots(report_rows, elements), parts
    )


def _per_element(counts: dict[tuple[int, int], int]) -> dict[int, dict[int, int]]:
    result: dict[int, dict[int, int]] = defaultdict(dict)
    for (unit_id, element_id), count in counts.items():
        result[element_id][unit_id] = count
    return result


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
    rows: list[CompletionRow]


def completion(
    conversation_round: ConversationRound,
    unit_id: int | None,
    today: date,
    max_depth: int | None = None,
) -> CompletionReport:
    """Per unit with its subtree, how many conversations reached each step."""
    counts = step_counts(conversation_round, today)
    tree = unit_tree(unit_id, count_people=False)
    totals = {
        step: tree.rolled_up({unit: row[step] for unit, row in counts.items()}) for step in STEPS
    }
    report_rows = [
        CompletionRow(node, {step: totals[step][node.id] for step in STEPS})
        for node in tree.ordered(max_depth)
    ]
    return CompletionReport(
        conversation_round, [row for row in report_rows if row.counts["invited"]]
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


def completion_trend(kind: Any) -> list[TrendPoint]:
    """The same figures for every round of a kind, oldest first: one query."""
    rows = db.session.execute(
        select(
            ConversationRound,
            func.count(Conversation.id),
            func.count(Conversation.held_at),
            func.count(Conversation.acknowledged_at),
        )
        .join(Conversation, Conversation.round_id == ConversationRound.id)
        .where(ConversationRound.kind == kind)
        .group_by(ConversationRound.id)
        .order_by(ConversationRound.deadline)
    ).all()
    return [TrendPoint(r, int(i), int(h), int(a)) for r, i, h, a in rows]


def rounds_newest_first() -> list[ConversationRound]:
    return list(
        db.session.scalars(
            select(ConversationRound).order_by(
                ConversationRound.deadline.desc(), ConversationRound.id.desc()
            )
        )
    )
