"""HR's coverage figures never single out a small group, however the views are combined.

A unit's figures are sums over its whole subtree, so every figure is a sum over the people
of some units' direct members (the atoms). HR can combine any rows of any view (each root
unit, the page, the CSV, the XLSX) by adding and subtracting. A group is revealed when its
atoms' indicator vector lies in the span of the published rows' vectors: checked here with
exact fractions, for random trees and memberships, every root and every filter.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from fractions import Fraction
from itertools import combinations
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select

from devtrack.extensions import db
from devtrack.goals.services import create_goal
from devtrack.grundlag.links import version_for_choices
from devtrack.people.models import OrgUnit, Person
from devtrack.people.orgfile import parse_org_file
from devtrack.people.services import sync_organisation
from devtrack.reports.disclosure import decide, unit_disclosure
from devtrack.reports.services import SOURCES, CoverageFilter, coverage
from devtrack.reports.tables import coverage_table
from devtrack.reports.units import build_tree
from tests.conftest import SEED_DIR, World, choice, sign_in

# --- Exact linear algebra over the atoms --------------------------------------------------


class Span:
    """The row span of 0/1 vectors, in reduced echelon form with exact fractions."""

    def __init__(self, rows: Iterable[list[int]]) -> None:
        self.pivots: list[tuple[int, list[Fraction]]] = []
        for row in rows:
            self.add(row)

    def _reduce(self, vector: list[int] | list[Fraction]) -> list[Fraction]:
        reduced = [Fraction(value) for value in vector]
        for column, pivot_row in self.pivots:
            factor = reduced[column]
            if factor:
                reduced = [a - factor * b for a, b in zip(reduced, pivot_row, strict=True)]
        return reduced

    def add(self, row: list[int]) -> None:
        reduced = self._reduce(row)
        column = next((i for i, value in enumerate(reduced) if value), None)
        if column is None:
            return
        pivot = reduced[column]
        reduced = [value / pivot for value in reduced]
        # Keep the form reduced: clear the new pivot's column from the rows before it.
        self.pivots = [
            (c, [a - r[column] * b for a, b in zip(r, reduced, strict=True)])
            for c, r in self.pivots
        ]
        self.pivots.append((column, reduced))

    def holds(self, vector: list[int]) -> bool:
        return not any(self._reduce(vector))


def revealed_small_groups(
    parents: dict[int, int | None],
    members: dict[int, int],
    published: set[int],
    threshold: int,
) -> list[tuple[int, ...]]:
    """Every group of fewer than `threshold` people (but some) whose figures follow from the
    published units' figures. Units by id, `parents` their parent (none for a top), `members`
    their direct active people; unit 0 stands for the whole organisation."""
    atoms = sorted(unit for unit, count in members.items() if count)

    def subtree_atoms(unit: int) -> set[int]:
        if unit == 0:
            return set(atoms)
        found = set()
        for atom in atoms:
            node: int | None = atom
            while node is not None and node != unit:
                node = parents[node]
            if node == unit:
                found.add(atom)
        return found

    span = Span([int(atom in subtree_atoms(unit)) for atom in atoms] for unit in published)
    revealed = []
    for size in range(1, len(atoms) + 1):
        for group in combinations(atoms, size):
            people = sum(members[atom] for atom in group)
            if people < threshold and span.holds([int(atom in group) for atom in atoms]):
                revealed.append(group)
    return revealed


def test_the_span_check_finds_what_subtraction_finds() -> None:
    # The attack from the issue: organisation (4 direct) > centre (1, its leader) > two
    # units of 5. All four rows published reveal the leader and the organisation's four.
    parents: dict[int, int | None] = {1: None, 2: 1, 3: 2, 4: 2}
    members = {1: 4, 2: 1, 3: 5, 4: 5}
    assert revealed_small_groups(parents, members, {1, 2, 3, 4}, 5) == [(1,), (2,)]
    assert revealed_small_groups(parents, members, {1, 4}, 5) == []


# --- The rule on random trees, every root ---------------------------------------------------


@st.composite
def organisations(draw: Any) -> tuple[list[tuple[int, str, int | None]], dict[int, int], int]:
    """Units 1..n, each below an earlier one or a top; direct members per unit; a threshold."""
    count = draw(st.integers(min_value=1, max_value=8))
    units: list[tuple[int, str, int | None]] = []
    for unit in range(1, count + 1):
        parent = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=unit)))
        units.append((unit, f"Enhed {unit}", parent if parent != unit else None))
    members = {unit: draw(st.integers(min_value=0, max_value=7)) for unit, _n, _p in units}
    return units, members, draw(st.integers(min_value=1, max_value=6))


@settings(max_examples=300, deadline=None)
@given(organisations())
def test_no_small_group_follows_from_every_root_view_together(
    organisation: tuple[list[tuple[int, str, int | None]], dict[int, int], int],
) -> None:
    units, members, threshold = organisation
    published: set[int] = set()
    decisions = set()
    for root in [None, *(unit for unit, _name, _parent in units)]:
        tree = build_tree(units, root)
        tree.count_people(members)
        disclosure = decide(tree, threshold)
        decisions.add(disclosure.shown)
        shown = tree.ordered()
        disclosure.mark(shown)
        for node in shown:
            if not node.suppressed:
                assert node.people >= threshold
                published.add(node.id)
    assert len(decisions) == 1  # the same units shown whichever root is chosen
    parents = {unit: parent for unit, _name, parent in units}
    assert revealed_small_groups(parents, members, published, threshold) == []


def test_units_are_only_hidden_for_a_reason() -> None:
    # Big enough units with no small leftover are all shown: nothing is hidden for nothing.
    units: list[tuple[int, str, int | None]] = [(1, "A", None), (2, "B", 1), (3, "C", 1)]
    tree = build_tree(units, None)
    tree.count_people({1: 5, 2: 5, 3: 6})
    assert decide(tree, 5).shown == {1, 2, 3}
    tree.count_people({1: 0, 2: 5, 3: 6})
    assert decide(tree, 5).shown == {1, 2, 3}  # the top is exactly its two units
    tree.count_people({1: 1, 2: 5, 3: 6})
    assert decide(tree, 5).shown == {1, 3}  # one unit hidden with the top's own member


# --- The same through the service, on the database, every root and filter ----------------


def _published(report: Any) -> dict[str, tuple[object, ...]]:
    """The rows an export publishes: unit name -> figures, hidden rows left out."""
    _headers, rows = coverage_table(report)
    return {str(row[0]): tuple(row[1:]) for row in rows if not str(row[1]).startswith("skjult")}


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    new_units=st.lists(
        st.tuples(st.integers(min_value=0, max_value=20), st.integers(min_value=0, max_value=6)),
        max_size=5,
    ),
    moves=st.lists(st.integers(min_value=0, max_value=20), min_size=9, max_size=9),
    threshold=st.integers(min_value=2, max_value=6),
)
def test_the_coverage_service_reveals_no_small_group_across_roots_and_filters(
    app: Flask, world: World, new_units: list[tuple[int, int]], moves: list[int], threshold: int
) -> None:
    version = version_for_choices()
    assert version is not None
    try:
        units = list(db.session.scalars(select(OrgUnit).order_by(OrgUnit.id)))
        for number, (parent, people) in enumerate(new_units):
            unit = OrgUnit(
                external_id=f"ny{number}", name=f"Ny enhed {number}", parent_id=units[0].id
            )
            unit.parent_id = units[parent % len(units)].id
            db.session.add(unit)
            db.session.flush()
            units.append(unit)
            for index in range(people):
                db.session.add(
                    Person(
                        employee_number=f"ny{number}-{index}",
                        name=f"Person {number}-{index}",
                        email=f"ny{number}-{index}@test.dk",
                        unit_id=unit.id,
                    )
                )
        # Everyone of the small organisation (Emma with her goal, agreement and feedback)
        # moved to a random unit.
        for person, move in zip(
            sorted(world.people.values(), key=lambda p: p.id), moves, strict=True
        ):
            person.unit_id = units[move % len(units)].id
        db.session.flush()
        parents = {unit.id: unit.parent_id for unit in units}
        members: dict[int, int] = dict.fromkeys(parents, 0)
        for unit_id in db.session.scalars(select(Person.unit_id).where(Person.active)):
            members[unit_id] += 1
        names = {unit.name: unit.id for unit in units}

        today = date.today()
        year = (today - timedelta(days=365), today, None)
        filters = [
            (*year, SOURCES),
            (*year, ("goals",)),
            (*year, ("feedback",)),
            (date(2020, 1, 1), date(2020, 12, 31), None, ("agreements",)),
            (*year[:2], world.round_id, SOURCES),
        ]
        published: set[int] = set()
        with app.test_request_context():
            for start, end, round_id, sources in filters:
                figures: dict[str, tuple[object, ...]] = {}
                for root in [None, *parents]:
                    # Every unit below the root, as the exports (the pages show fewer).
                    report = coverage(
                        version,
                        CoverageFilter(None, root, start, end, round_id, sources),
                        threshold,
                    )
                    for name, row in _published(report).items():
                        # A unit's figures are the same whichever root is chosen.
                        assert figures.setdefault(name, row) == row
                        published.add(names[name])
        assert published == unit_disclosure(threshold).shown
        assert revealed_small_groups(parents, members, published, threshold) == []
    finally:
        db.session.rollback()


# --- The attack from the issue, on the page, the CSV and the XLSX --------------------------

ATTACKED_ORG = """\ufefftype;id;navn;overordnet;leder;email;enhed;startdato;slutdato
enhed;1;Kommunen;;K1;;;;
enhed;2;Center for Ældre;1;C1;;;;
enhed;3;Hjemmeplejen;2;A1;;;;
enhed;4;Plejecentret;2;B1;;;;
person;K1;Kirsten Kommunaldirektør;;;k1@test.dk;1;2010-01-01;
person;K2;Karl;;;k2@test.dk;1;2010-01-01;
person;K3;Kamma;;;k3@test.dk;1;2010-01-01;
person;H1;Hanne HR;;;hr@test.dk;1;2010-01-01;
person;C1;Cecilie Centerchef;;;c1@test.dk;2;2010-01-01;
""" + "".join(
    f"person;{unit}{n};{unit}{n};;;{unit.lower()}{n}@test.dk;{number};2010-01-01;\n"
    for unit, number in (("A", 3), ("B", 4))
    for n in range(1, 6)
)

ATTACKED_UNITS = ("Kommunen", "Center for Ældre", "Hjemmeplejen", "Plejecentret")


@pytest.fixture
def attacked(client: FlaskClient, app: Flask) -> Iterator[FlaskClient]:
    """Kommunen (4 people of its own) > Center for Ældre (its leader only) > Hjemmeplejen
    and Plejecentret (5 each); the centre's leader works on Mod. HR signed in."""
    from devtrack.grundlag.importer import parse_grundlag
    from devtrack.grundlag.services import import_grundlag, put_in_use

    sync_organisation(parse_org_file(ATTACKED_ORG.encode("utf-8")))
    document = parse_grundlag((SEED_DIR / "grundlag" / "albertslund.yaml").read_text("utf-8"))
    put_in_use(import_grundlag(document).framework)
    people = {person.employee_number: person for person in db.session.query(Person)}
    people["H1"].is_hr = True
    create_goal(
        people["C1"],
        title="Lede med mod",
        description="",
        target_date=None,
        choices=[choice("mod")],
        share=True,
    )
    db.session.commit()
    sign_in(client, people["H1"])
    assert app.config["REPORT_MIN_GROUP"] == 5
    yield client


def _roots() -> list[str]:
    ids = db.session.scalars(select(OrgUnit.id).order_by(OrgUnit.id)).all()
    return ["", *(f"?enhed={unit_id}" for unit_id in ids)]


def _page_rows(text: str) -> dict[str, str | None]:
    """The coverage page's table: unit -> its active people, or None when hidden."""
    body = re.search(r"<tbody>(.*?)</tbody>", text, re.S)
    assert body is not None
    found: dict[str, str | None] = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S):
        name = re.search(r'<th scope="row"[^>]*>(?:<a [^>]*>)?([^<]+)<', row)
        cell = re.search(r"</th>\s*<td[^>]*>([^<]*)<", row)
        assert name is not None and cell is not None
        found[name.group(1)] = None if "skjult" in cell.group(1) else cell.group(1)
    return found


def _csv_rows(data: bytes) -> dict[str, str | None]:
    _header, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
    return {row[0]: None if "skjult" in row[1] else row[1] for row in rows}


def _xlsx_rows(data: bytes) -> dict[str, str | None]:
    sheet = load_workbook(io.BytesIO(data)).active
    _header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return {str(row[0]): None if "skjult" in str(row[1]) else str(row[1]) for row in rows}


@pytest.mark.parametrize(
    ("address", "read"),
    [
        ("/hr/rapporter/daekning", lambda response: _page_rows(response.text)),
        ("/hr/rapporter/daekning.csv", lambda response: _csv_rows(response.data)),
        ("/hr/rapporter/daekning.xlsx", lambda response: _xlsx_rows(response.data)),
    ],
    ids=["page", "csv", "xlsx"],
)
def test_no_view_gives_away_the_centres_leader_or_the_organisations_four(
    attacked: FlaskClient, address: str, read: Any
) -> None:
    # Every root view together: what HR learns by choosing each unit in turn.
    seen: dict[str, str] = {}
    for root in _roots():
        response = attacked.get(address + root)
        assert response.status_code == 200
        for unit, people in read(response).items():
            if people is not None:
                assert seen.setdefault(unit, people) == people  # the same in every view
    kommunen, centre, home_care, care_home = (seen.get(unit) for unit in ATTACKED_UNITS)
    # The centre minus its two units would leave its leader alone.
    assert None in (centre, home_care, care_home), seen
    # The organisation minus the centre would leave the four at the top.
    assert None in (kommunen, centre), seen
    # Still, figures are shown: the organisation and one unit of five.
    assert kommunen == "15"
    assert "5" in (home_care, care_home)
