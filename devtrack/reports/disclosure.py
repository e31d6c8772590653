"""Which units' figures HR may see: one decision for the whole organisation.

A unit's figures are roll-ups of its whole subtree, so figures can be added and subtracted:
a unit minus its units leaves its direct members; the organisation minus a centre leaves the
rest. Whatever HR combines, from any page, export or root unit, they can only ever work out
sums over the people left when the shown units below a shown unit are taken away from it.
The rule keeps each of those leftovers empty or at least the threshold:

- primary: a unit with fewer people than the threshold is never shown;
- complementary: a shown unit's people not inside a shown unit below it (its direct members,
  which are never shown on their own, and those of hidden units below) number none or at
  least the threshold. Where they would not, one shown unit below it is hidden too (its own
  leftover joins them) or, failing that, the unit itself.

The decision depends only on the unit tree and how many active people each unit has: never
on the unit chosen, the period, the part or the sources. So a unit is shown or hidden alike
in every view, and its figures are the same whichever unit is chosen. It is made in one pass
from the leaves up, linear in the number of units.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from devtrack.extensions import db
from devtrack.people.models import Person
from devtrack.reports.units import UnitNode, UnitTree, unit_tree


@dataclass(frozen=True)
class Disclosure:
    threshold: int
    shown: frozenset[int]  # the ids of the units whose figures may be published

    def hides(self, unit: UnitNode) -> bool:
        return unit.id not in self.shown

    def mark(self, units: list[UnitNode]) -> None:
        for unit in units:
            unit.suppressed = self.hides(unit)


def decide(tree: UnitTree, threshold: int) -> Disclosure:
    """The units of the whole organisation whose figures may be shown. Needs every unit's
    people counted (`UnitTree.count_people`)."""
    shown: set[int] = set()
    # Per unit: its people not inside a shown unit below it.
    left: dict[int, int] = {}
    for node in tree.bottom_up(tree.top):
        leftover = node.direct_people
        hideable: list[UnitNode] = []
        for child in node.children:
            if child.id not in shown:
                leftover += left[child.id]
            elif left[child.id]:  # hiding it adds its own leftover (at least the threshold)
                hideable.append(child)
        if node.people >= threshold:
            if 0 < leftover < threshold and hideable:
                extra = min(hideable, key=lambda unit: (unit.people, unit.id))
                shown.remove(extra.id)
                leftover += left[extra.id]
            if leftover == 0 or leftover >= threshold:
                shown.add(node.id)
        left[node.id] = leftover
    return Disclosure(threshold, frozenset(shown))


def people_per_unit() -> Select[int | None, int]:
    """Active people per unit: the only figures the decision reads. Counted with a filter,
    not a WHERE: SQLite would otherwise look people up by the index on `active` and sort
    them by unit (ten times slower at 45,000 people than reading the index on units)."""
    return select(
        Person.unit_id, func.count().filter(Person.active.is_(True)).label("people")
    ).group_by(Person.unit_id)


def unit_disclosure(threshold: int) -> Disclosure:
    """The decision on its own, for anything else that publishes per-unit figures of active
    people (an API, a new export): two queries."""
    tree = unit_tree(None)
    tree.count_people(
        {
            unit_id: int(people)
            for unit_id, people in db.session.execute(people_per_unit())
            if unit_id is not None
        }
    )
    return decide(tree, threshold)
