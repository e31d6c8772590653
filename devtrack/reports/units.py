"""The active unit tree the reports add their figures up along."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import add

from sqlalchemy import select

from devtrack.extensions import db
from devtrack.people.collation import danish_sort_key
from devtrack.people.models import OrgUnit

ORGANISATION = 0  # the id of the node above several top units


@dataclass(slots=True)
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
    root: UnitNode | None  # the unit chosen (or the top)
    top: UnitNode | None = None  # the whole organisation, whichever unit is chosen

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

    def path(self) -> list[UnitNode]:
        """The units above the root, the top first (none for the whole organisation)."""
        found: list[UnitNode] = []
        node = self.root
        while node is not None and node.parent_id is not None:
            node = self.nodes.get(node.parent_id)
            if node is not None:
                found.append(node)
        found.reverse()
        return found

    def bottom_up(self, start: UnitNode | None = None) -> list[UnitNode]:
        """The subtree of `start` (the root unless given), every unit after all the units
        below it."""
        start = start or self.root
        if start is None:
            return []
        found = [start]
        for node in found:  # breadth first: the list grows as it is read
            found.extend(node.children)
        found.reverse()
        return found

    def rolled_up(self, per_unit: dict[int, list[int]], width: int) -> dict[int, list[int]]:
        """Each unit's figures (`width` of them) plus its whole subtree's, in one pass from
        the leaves up."""
        totals: dict[int, list[int]] = {}
        zeros = [0] * width
        for node in self.bottom_up():
            total = per_unit.get(node.id, zeros)
            for child in node.children:
                total = list(map(add, total, totals[child.id]))
            totals[node.id] = total
        return totals

    def count_people(self, per_unit: dict[int, int]) -> None:
        """Set every unit's active people, its own and its subtree's, in the whole
        organisation (not only below the root)."""
        for node in self.bottom_up(self.top):
            node.direct_people = per_unit.get(node.id, 0)
            node.people = node.direct_people + sum(child.people for child in node.children)


def build_tree(units: list[tuple[int, str, int | None]], root_id: int | None) -> UnitTree:
    """The tree of `units` (id, name, parent id), rooted at `root_id` or the top. Several
    top units get an organisation node above them."""
    nodes = {unit_id: UnitNode(unit_id, name, parent_id) for unit_id, name, parent_id in units}
    for node in nodes.values():
        if node.parent_id in nodes:
            nodes[node.parent_id].children.append(node)
    tops = [node for node in nodes.values() if node.parent_id not in nodes]
    if len(tops) == 1:
        top: UnitNode | None = tops[0]
    elif tops:
        top = UnitNode(ORGANISATION, "", None, children=tops)
        nodes[ORGANISATION] = top
    else:
        top = None
    root = nodes.get(root_id) if root_id is not None else top
    return UnitTree(nodes, root, top)


def unit_tree(root_id: int | None) -> UnitTree:
    """The active units, rooted at `root_id` or the organisation's top: one query."""
    units = db.session.execute(
        select(OrgUnit.id, OrgUnit.name, OrgUnit.parent_id).where(OrgUnit.active.is_(True))
    ).all()
    return build_tree([(unit_id, name, parent) for unit_id, name, parent in units], root_id)


def unit_choices(root_id: int | None, max_depth: int) -> tuple[list[UnitNode], list[UnitNode]]:
    """For choosing a unit: the units above `root_id` (top first), and the unit with
    `max_depth` levels below it."""
    tree = unit_tree(root_id)
    return tree.path(), tree.ordered(max_depth)
