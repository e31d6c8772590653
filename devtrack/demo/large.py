"""A large demo municipality for load tests: `flask devtrack demo --employees 45000`.

The small demo goes through the features' services, one object at a time; at the size of
Denmark's largest municipality that would take hours. This builds the same kinds of rows with
bulk inserts instead (SQLAlchemy Core `insert()` with lists of rows, one executemany per chunk,
parents before children), with the ids chosen here so that children can point at their parents
without reading anything back:

- a unit tree five levels deep (direktion, centres, areas, institutions, teams) with a leader
  per unit, who is a member of the unit they lead, as in the small demo's organisation file;
- three years of MUS rounds (and LUS for the leaders): most conversations held with an
  acknowledged plan and some followed up; this year's round under way;
- about three goals a year per person with progress, and about ten feedback entries a year;
- every goal, agreement, preparation topic and feedback entry pointing at an element (or a
  behaviour statement) of the grundlag in use, some elements far more used than others.

Everyone shares one argon2 hash of the demo password, computed once. A fixed random seed makes
every build of the same size the same.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

import click
from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import selectinload

from devtrack.auth.passwords import hash_password
from devtrack.conversation_templates.models import TemplateKind
from devtrack.conversation_templates.services import default_version
from devtrack.conversations.models import (
    Agreement,
    AgreementLink,
    AgreementStatus,
    Conversation,
    ConversationRound,
    DevelopmentPlan,
    FollowUp,
    Preparation,
    PreparationAnswer,
    PreparationRole,
    PreparationTopic,
    RoundKind,
    RoundUnit,
)
from devtrack.demo.activity import (
    AGREEMENTS,
    FEEDBACK_TEXTS,
    GOAL_TITLES,
    PROGRESS_NOTES,
    REFLECTIONS,
)
from devtrack.extensions import db
from devtrack.feedback.models import Feedback, FeedbackRequest, FeedbackSource, RequestStatus
from devtrack.goals.models import Goal, GoalEvent, GoalEventKind, GoalLink, GoalStatus
from devtrack.grundlag.links import version_for_choices
from devtrack.grundlag.models import Audience, ElementVersion, FrameworkVersion
from devtrack.people.models import OrgUnit, Person, UnitLeadership, UnitMembership
from devtrack.progress import NO_PROGRESS, RowProgress

Row = dict[str, Any]

# Rows per executemany: large enough to amortise the round trip, small enough for memory.
CHUNK = 5000
EMAIL_DOMAIN = "demo.devtrack.dk"
YEARS = 3
# People per team, on average; the tree's fan-out is worked out from it.
TEAM_SIZE = 14

FIRST_NAMES = (
    "Anne", "Mette", "Kirsten", "Hanne", "Susanne", "Lene", "Marianne", "Camilla", "Louise",
    "Charlotte", "Pia", "Tina", "Maria", "Helle", "Gitte", "Bente", "Karen", "Lone", "Inge",
    "Birgitte", "Line", "Sofie", "Ida", "Emma", "Freja", "Clara", "Laura", "Mathilde", "Julie",
    "Signe", "Maja", "Astrid", "Lærke", "Søs", "Åse", "Bodil", "Tove", "Ulla", "Jytte", "Dorthe",
    "Rikke", "Trine", "Malene", "Nanna", "Sara", "Cecilie", "Stine", "Anja", "Josefine", "Frida",
    "Jens", "Peter", "Lars", "Michael", "Henrik", "Thomas", "Søren", "Jan", "Niels", "Martin",
    "Jesper", "Anders", "Morten", "Rasmus", "Mads", "Frederik", "Christian", "Kasper", "Mikkel",
    "Jacob", "Emil", "Oliver", "William", "Lucas", "Magnus", "Jørgen", "Bjørn", "Ole", "Poul",
    "Kåre", "Torben", "Bent", "Erik", "Kim", "Per", "Ib", "Claus", "Brian", "Carsten", "Steen",
    "Finn", "Knud", "Preben", "Asger", "Aksel", "Villads", "Ebbe", "Nikolaj", "Simon", "Tobias",
)  # fmt: skip
LAST_NAMES = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen",
    "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Frederiksen",
    "Laursen", "Henriksen", "Lund", "Schmidt", "Eriksen", "Holm", "Clausen", "Simonsen",
    "Svendsen", "Andreasen", "Iversen", "Østergaard", "Jeppesen", "Vestergaard", "Nissen",
    "Lauridsen", "Kjær", "Jespersen", "Mogensen", "Skov", "Carlsen", "Dahl", "Bech", "Bøgh",
    "Friis", "Krogh", "Ravn", "Bækgaard", "Søgaard", "Nørgaard", "Skovgaard", "Thøgersen",
    "Brøndum", "Frølich", "Ærbø", "Åberg", "Kjærgaard", "Hjort", "Lykke", "Due", "Bach",
    "Bjerre", "Fæster", "Skøtt", "Damgaard", "Dalsgaard", "Mølgaard", "Højgaard", "Lindholm",
    "Winther", "Gregersen", "Bang", "Juhl", "Holst", "Koch", "Brandt", "Æbelø",
)  # fmt: skip
REGIONS = (
    "Nord", "Syd", "Øst", "Vest", "Midt", "Centrum", "Havnen", "Strandby", "Skovbo", "Engvang",
    "Ådalen", "Bakkegården",
)  # fmt: skip
PLACES = (
    "Solsikken", "Egebakken", "Åparken", "Kærgården", "Højvang", "Lærkereden", "Bøgely",
    "Mølleåen", "Søhøj", "Fyrrebakken", "Ørnereden", "Æblehaven", "Tranehøj", "Kildebakken",
    "Rosenhaven", "Skovbrynet", "Havnelyst", "Engblommen", "Spurvehøj", "Granly", "Vibehuset",
    "Stjernen", "Ålykke", "Bølgen",
)  # fmt: skip
TEAM_LABELS = (
    "Rød", "Blå", "Grøn", "Gul", "Lilla", "Orange", "Hvid", "Sølv", "Guld", "Nord", "Syd", "Øst",
    "Vest", "Dag", "Aften", "Nat",
)  # fmt: skip


@dataclass(frozen=True)
class Theme:
    """How a centre names its areas ({region}), institutions ({place}) and teams ({label})."""

    centre: str
    area: str
    institution: str
    team: str


THEMES = tuple(
    Theme(*names)
    for names in (
        ("Center for Dagtilbud", "Dagtilbud {region}", "Børnehuset {place}", "Stue {label}"),
        ("Center for Skole og Uddannelse", "Skoleområde {region}", "{place} Skole", "Team {label}"),
        (
            "Center for Sundhed og Omsorg",
            "Hjemmeplejen {region}",
            "Plejecenter {place}",
            "Hold {label}",
        ),
        (
            "Center for Social og Handicap",
            "Socialområde {region}",
            "Bostedet {place}",
            "Team {label}",
        ),
        ("Center for By og Miljø", "Drift {region}", "Materielgården {place}", "Sjak {label}"),
        ("Center for Arbejdsmarked", "Jobcenter {region}", "Afdeling {place}", "Team {label}"),
        ("Center for Kultur og Fritid", "Kultur {region}", "{place} Bibliotek", "Team {label}"),
        ("Center for Økonomi og IT", "Stab {region}", "Kontoret {place}", "Gruppe {label}"),
    )
)
PLACES_TO_MEET = ("Mødelokale 1", "Mødelokale 2", "Lederens kontor", "Online (Teams)", "Kantinen")
PREPARATION_TEXTS = (
    "Jeg er glad for mine opgaver, men vil gerne lære mere.",
    "Det har været et travlt år; vi skal tale om, hvordan jeg prioriterer.",
    "Samarbejdet i teamet fungerer godt.",
)


# --- The organisation as the generator sees it --------------------------------------------


@dataclass(eq=False)
class Unit:
    id: int
    name: str
    parent: Unit | None
    depth: int
    leader: int = 0  # a person id, filled in when the people are made
    members: list[int] = field(default_factory=list)
    children: list[Unit] = field(default_factory=list)


@dataclass(eq=False)
class Someone:
    id: int
    name: str
    email: str
    unit: Unit
    leads: Unit | None = None
    nearest_leader: int | None = None
    is_hr: bool = False
    is_admin: bool = False


@dataclass(frozen=True)
class Reference:
    """One element, or one of its behaviour statements, of the grundlag version in use."""

    element_id: int
    element_version_id: int
    statement_id: int | None
    statement_version_id: int | None
    title: str


class ReferencePicker:
    """Skewed choices: a few elements are far more used than the rest (Zipf-like)."""

    def __init__(self, weighted: Sequence[tuple[Reference, float]]) -> None:
        self.references = [reference for reference, _weight in weighted]
        self.cumulative = list(accumulate(weight for _reference, weight in weighted))

    def pick(self, rng: random.Random, k: int) -> list[Reference]:
        return rng.choices(self.references, cum_weights=self.cumulative, k=k)

    def distinct(self, rng: random.Random, k: int) -> list[Reference]:
        found: dict[tuple[int, int | None], Reference] = {}
        for _attempt in range(4 * k):
            reference = self.pick(rng, 1)[0]
            found.setdefault((reference.element_id, reference.statement_id), reference)
            if len(found) == k:
                break
        return list(found.values())


# Every table the large demo writes, parents first.
WRITTEN = (
    OrgUnit,
    Person,
    UnitMembership,
    UnitLeadership,
    Goal,
    GoalLink,
    GoalEvent,
    FeedbackRequest,
    Feedback,
    ConversationRound,
    RoundUnit,
    Conversation,
    Preparation,
    PreparationAnswer,
    PreparationTopic,
    DevelopmentPlan,
    Agreement,
    AgreementLink,
    FollowUp,
)


class BulkWriter:
    """Rows buffered per table and written with one executemany per chunk, parents first."""

    def __init__(self, connection: Connection, chunk: int = CHUNK) -> None:
        self.connection = connection
        self.chunk = chunk
        self.order = {table: n for n, table in enumerate(db.metadata.sorted_tables)}
        self.buffers: dict[Table, list[Row]] = {}
        self.counts: Counter[str] = Counter()
        self.next_ids: dict[Table, int] = {}

    def reserve_ids(self, tables: Sequence[Table]) -> None:
        """Read where each table's ids continue."""
        for table in tables:
            highest = self.connection.scalar(select(func.max(table.c.id)))
            self.next_ids[table] = int(highest or 0) + 1

    def first_id(self, table: Table, count: int) -> int:
        """Reserve `count` ids in `table` and return the first."""
        first = self.next_ids[table]
        self.next_ids[table] += count
        return first

    def new_id(self, table: Table) -> int:
        first = self.next_ids[table]
        self.next_ids[table] = first + 1
        return first

    def add(self, table: Table, row: Row) -> None:
        buffer = self.buffers.setdefault(table, [])
        buffer.append(row)
        if len(buffer) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        """Write every buffer, parents first: a child row's parent is always in by then."""
        for table in sorted(self.buffers, key=self.order.__getitem__):
            rows = self.buffers[table]
            if rows:
                self.connection.execute(insert(table), rows)
                self.counts[table.name] += len(rows)
        self.buffers = {}

    def finish(self) -> None:
        """Write what is left and, on PostgreSQL, move the id sequences past the new rows
        (they do not see explicit ids)."""
        self.flush()
        if self.connection.dialect.name != "postgresql":
            return
        for table in self.next_ids:
            self.connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608  (our own table names)
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
                )
            )


@dataclass
class LargeDemo:
    """What was built, for the command's summary."""

    people: int
    units: int
    depth: int
    rows: Counter[str]
    signins: list[tuple[str, str]]


def _ascii(name: str) -> str:
    lowered = name.lower()
    for letter, spelled in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
        lowered = lowered.replace(letter, spelled)
    return lowered.replace(" ", ".")


def _moment(day: date, rng: random.Random) -> datetime:
    """A time on a working day, in UTC."""
    return datetime.combine(day, time(rng.randint(6, 15), rng.randint(0, 59)), tzinfo=UTC)


# --- The unit tree ------------------------------------------------------------------------


def _fan_out(rng: random.Random, mean: float) -> int:
    return max(1, round(rng.gauss(mean, mean / 4)))


def _build_tree(rng: random.Random, employees: int) -> tuple[list[Unit], Unit]:
    """Direktion > centres > areas > institutions > teams, sized to `employees`; and the HR
    unit (a staff unit directly under the direktion)."""
    units: list[Unit] = []

    def unit(name: str, parent: Unit | None) -> Unit:
        made = Unit(len(units) + 1, name, parent, parent.depth + 1 if parent else 0)
        units.append(made)
        if parent is not None:
            parent.children.append(made)
        return made

    centres = min(len(THEMES), max(2, round(employees / 5600)))
    # Centres x b x b x b teams of TEAM_SIZE people: b is the fan-out below a centre.
    fan = max(1.6, (employees / (TEAM_SIZE * centres)) ** (1 / 3))
    root = unit("Direktionen", None)
    hr = unit("HR og Personale", root)
    for theme in THEMES[:centres]:
        centre = unit(theme.centre, root)
        regions = rng.sample(REGIONS, k=min(len(REGIONS), _fan_out(rng, fan)))
        for region in regions:
            area = unit(theme.area.format(region=region), centre)
            places = rng.sample(PLACES, k=min(len(PLACES), _fan_out(rng, fan)))
            for place in places:
                institution = unit(theme.institution.format(place=place), area)
                # A few small institutions have no teams: the tree is not perfectly even.
                if rng.random() < 0.1 and len(area.children) > 1:
                    continue
                labels = rng.sample(TEAM_LABELS, k=min(len(TEAM_LABELS), _fan_out(rng, fan)))
                for label in labels:
                    unit(theme.team.format(label=label), institution)
    return units, hr


def _people_per_unit(
    rng: random.Random, units: list[Unit], hr: Unit, employees: int
) -> dict[int, int]:
    """How many people each unit has, the leader included; the sum is `employees`."""
    sizes: dict[int, int] = {}
    leaves = [unit for unit in units if not unit.children and unit is not hr]
    for unit in units:
        if unit.children:
            # A leader and a little staff above the teams.
            sizes[unit.id] = 1 + (2 if unit.depth <= 1 else 1)
    sizes[hr.id] = max(3, employees // 1500)
    left = employees - sum(sizes.values())
    if left < 3 * len(leaves):
        raise click.ClickException(
            f"{employees} medarbejdere er for få til en organisation i fem niveauer."
        )
    weights = [rng.lognormvariate(0, 0.45) for _leaf in leaves]
    total = sum(weights)
    for leaf, weight in zip(leaves, weights, strict=True):
        sizes[leaf.id] = 3 + math.floor((left - 3 * len(leaves)) * weight / total)
    # What the rounding left over goes to the first teams, one each.
    short = employees - sum(sizes.values())
    for leaf in leaves[:short]:
        sizes[leaf.id] += 1
    return sizes


# --- Building -----------------------------------------------------------------------------


class Builder:
    def __init__(
        self, employees: int, today: date, password: str, seed: int, progress: RowProgress
    ) -> None:
        self.employees = employees
        self.progress = progress
        self.today = today
        self.now = datetime.now(UTC)
        self.rng = random.Random(seed)  # noqa: S311  (a repeatable demo, not a secret)
        self.password_hash = hash_password(password)
        self.writer = BulkWriter(db.session.connection())
        self.people: list[Someone] = []
        self.units: list[Unit] = []

    # The tables, by their Core Table objects.
    t_unit: Table = OrgUnit.__table__
    t_person: Table = Person.__table__

    def build(self) -> LargeDemo:
        version = version_for_choices()
        if version is None:
            raise click.ClickException("Der er ikke noget grundlag i brug.")
        everyone, leaders = self._references(version)
        self.writer.reserve_ids([model.__table__ for model in WRITTEN])
        self._organisation()
        hr_person = next(person for person in self.people if person.is_hr and not person.leads)
        showcase = self._showcase()
        self._goals(everyone, leaders)
        self._feedback(everyone, leaders)
        self._rounds(version, hr_person, everyone, leaders, showcase)
        self.writer.finish()
        employee, leader = showcase
        admin = next(person for person in self.people if person.is_admin)
        return LargeDemo(
            people=len(self.people),
            units=len(self.units),
            depth=1 + max(unit.depth for unit in self.units),
            rows=self.writer.counts,
            signins=[
                ("Administrator", admin.email),
                ("HR", hr_person.email),
                (f"Leder ({leader.unit.name})", leader.email),
                (f"Medarbejder ({employee.unit.name})", employee.email),
            ],
        )

    # --- The grundlag -------------------------------------------------------------------

    def _references(self, version: FrameworkVersion) -> tuple[ReferencePicker, ReferencePicker]:
        """Pickers for employees (the parts meant for all) and leaders (every part)."""
        elements = list(
            db.session.scalars(
                select(ElementVersion)
                .where(ElementVersion.version_id == version.id)
                .order_by(ElementVersion.id)
                .options(selectinload(ElementVersion.statements), selectinload(ElementVersion.part))
            )
        )
        if not elements:
            raise click.ClickException("Grundlaget i brug har ingen elementer.")
        # Popularity does not follow the document's order: a fixed shuffle ranks the elements.
        ranked = self.rng.sample(elements, k=len(elements))
        weighted_all: list[tuple[Reference, float]] = []
        weighted_leaders: list[tuple[Reference, float]] = []
        for rank, element in enumerate(ranked):
            weight = 1 / (rank + 1) ** 1.1
            title = element.title.lower()
            options = [(Reference(element.element_id, element.id, None, None, title), weight * 0.6)]
            for statement in element.statements:
                options.append(
                    (
                        Reference(
                            element.element_id,
                            element.id,
                            statement.statement_id,
                            statement.id,
                            title,
                        ),
                        weight * 0.4 / len(element.statements),
                    )
                )
            if not element.statements:
                options = [(options[0][0], weight)]
            weighted_leaders += options
            if element.part.audience == Audience.ALL:
                weighted_all += options
        return ReferencePicker(weighted_all or weighted_leaders), ReferencePicker(weighted_leaders)

    @staticmethod
    def _picker(
        person: Someone, everyone: ReferencePicker, leaders: ReferencePicker
    ) -> ReferencePicker:
        return leaders if person.leads is not None else everyone

    @staticmethod
    def _link(row: Row, reference: Reference) -> Row:
        row["element_id"] = reference.element_id
        row["element_version_id"] = reference.element_version_id
        row["statement_id"] = reference.statement_id
        row["statement_version_id"] = reference.statement_version_id
        return row

    # --- Units and people ---------------------------------------------------------------

    def _organisation(self) -> None:
        rng, writer = self.rng, self.writer
        units, hr = _build_tree(rng, self.employees)
        sizes = _people_per_unit(rng, units, hr, self.employees)
        first_unit = writer.first_id(self.t_unit, len(units))
        for unit in units:
            unit.id += first_unit - 1
        sizes = {unit_id + first_unit - 1: size for unit_id, size in sizes.items()}
        for unit in units:
            writer.add(
                self.t_unit,
                {
                    "id": unit.id,
                    "external_id": f"S{unit.id:05d}",
                    "name": unit.name,
                    "parent_id": unit.parent.id if unit.parent else None,
                    "leader_id": None,
                    "active": True,
                },
            )
        person_id = writer.first_id(self.t_person, self.employees)
        emails: Counter[str] = Counter()
        created = self.now - timedelta(days=365 * YEARS + 60)
        for unit in units:
            for number in range(sizes[unit.id]):
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                middle = rng.choice(LAST_NAMES) + " " if rng.random() < 0.2 else ""
                local = f"{_ascii(first)}.{_ascii(last)}"
                emails[local] += 1
                if emails[local] > 1:
                    local += str(emails[local])
                person = Someone(
                    person_id, f"{first} {middle}{last}", f"{local}@{EMAIL_DOMAIN}", unit
                )
                if number == 0:
                    unit.leader, person.leads = person.id, unit
                person.is_hr = unit is hr
                unit.members.append(person.id)
                self.people.append(person)
                person_id += 1
        hr_people = [person for person in self.people if person.is_hr]
        hr_people[-1].is_hr, hr_people[-1].is_admin = False, True
        self.progress.expect(len(self.people), "medarbejdere")
        for person in self.people:
            self.progress.advance()
            unit_above: Unit | None = person.unit if person.leads is None else person.unit.parent
            person.nearest_leader = unit_above.leader if unit_above else None
            start = self.today - timedelta(days=rng.randint(365 * YEARS + 90, 365 * 30))
            writer.add(
                self.t_person,
                {
                    "id": person.id,
                    "employee_number": f"S{person.id:06d}",
                    "name": person.name,
                    "email": person.email,
                    "unit_id": person.unit.id,
                    "start_date": start,
                    "end_date": None,
                    "active": True,
                    "is_hr": person.is_hr,
                    "is_admin": person.is_admin,
                    "language": None,
                    "password_hash": self.password_hash,
                    "session_version": 1,
                    "last_signin_at": None,
                    "created_at": created,
                },
            )
            writer.add(
                UnitMembership.__table__,
                {
                    "id": writer.new_id(UnitMembership.__table__),
                    "person_id": person.id,
                    "unit_id": person.unit.id,
                    "started_at": created,
                    "ended_at": None,
                },
            )
        for unit in units:
            writer.add(
                UnitLeadership.__table__,
                {
                    "id": writer.new_id(UnitLeadership.__table__),
                    "unit_id": unit.id,
                    "person_id": unit.leader,
                    "started_at": created,
                    "ended_at": None,
                },
            )
        writer.flush()
        leaders = [{"unit": unit.id, "leader": unit.leader} for unit in units]
        set_leaders = (
            update(self.t_unit)
            .where(self.t_unit.c.id == bindparam("unit"))
            .values(leader_id=bindparam("leader"))
        )
        writer.connection.execute(set_leaders, leaders)
        self.units = units

    def _showcase(self) -> tuple[Someone, Someone]:
        """The employee and leader the command prints: a team of a good size in the first
        centre, its leader, and a member of it."""
        by_id = {person.id: person for person in self.people}
        teams = [unit for unit in self.units if not unit.children and unit.depth == 4]
        team = max(teams[:20], key=lambda unit: len(unit.members))
        return by_id[team.members[1]], by_id[team.leader]

    # --- Goals --------------------------------------------------------------------------

    def _goals(self, everyone: ReferencePicker, leaders: ReferencePicker) -> None:
        rng, writer, today = self.rng, self.writer, self.today
        t_goal, t_link, t_event = Goal.__table__, GoalLink.__table__, GoalEvent.__table__
        span = 365 * YEARS
        self.progress.expect(len(self.people), "mål")
        for person in self.people:
            self.progress.advance()
            picker = self._picker(person, everyone, leaders)
            for _number in range(rng.randint(2 * YEARS, 4 * YEARS)):
                goal_id = writer.new_id(t_goal)
                started = today - timedelta(days=rng.randrange(span))
                created_at = _moment(started, rng)
                age = (today - started).days
                shared = rng.random() < 0.88
                roll = rng.random()
                if not shared:
                    status = GoalStatus.DROPPED if age > 365 and roll < 0.3 else GoalStatus.DRAFT
                elif age > 365:
                    status = (
                        GoalStatus.ACHIEVED
                        if roll < 0.55
                        else GoalStatus.DROPPED
                        if roll < 0.75
                        else GoalStatus.PAUSED
                        if roll < 0.8
                        else GoalStatus.ACTIVE
                    )
                else:
                    status = (
                        GoalStatus.ACTIVE
                        if roll < 0.7
                        else GoalStatus.ACHIEVED
                        if roll < 0.9
                        else GoalStatus.PAUSED
                        if roll < 0.95
                        else GoalStatus.DROPPED
                    )
                events: list[Row] = [
                    {
                        "kind": GoalEventKind.CREATED,
                        "occurred_on": started,
                        "text": "",
                        "milestone": False,
                        "old_status": None,
                        "new_status": None,
                        "created_at": created_at,
                    }
                ]
                if shared:
                    events.append(
                        {
                            "kind": GoalEventKind.SHARED,
                            "occurred_on": started,
                            "text": "",
                            "milestone": False,
                            "old_status": None,
                            "new_status": None,
                            "created_at": created_at + timedelta(minutes=1),
                        }
                    )
                day = started
                last = min(today, started + timedelta(days=300))
                for _note in range(rng.randint(0, 4) if shared else rng.randint(0, 1)):
                    day = min(day + timedelta(days=rng.randint(7, 60)), last)
                    events.append(
                        {
                            "kind": GoalEventKind.PROGRESS,
                            "occurred_on": day,
                            "text": rng.choice(PROGRESS_NOTES),
                            "milestone": rng.random() < 0.2,
                            "old_status": None,
                            "new_status": None,
                            "created_at": _moment(day, rng),
                        }
                    )
                if status not in (GoalStatus.DRAFT, GoalStatus.ACTIVE):
                    day = min(day + timedelta(days=rng.randint(1, 30)), today)
                    events.append(
                        {
                            "kind": GoalEventKind.STATUS,
                            "occurred_on": day,
                            "text": "",
                            "milestone": False,
                            "old_status": GoalStatus.ACTIVE if shared else GoalStatus.DRAFT,
                            "new_status": status,
                            "created_at": _moment(day, rng),
                        }
                    )
                updated_at = max(event["created_at"] for event in events)
                writer.add(
                    t_goal,
                    {
                        "id": goal_id,
                        "owner_id": person.id,
                        "title": rng.choice(GOAL_TITLES),
                        "description": "",
                        "target_date": started + timedelta(days=rng.randint(60, 365)),
                        "status": status,
                        "shared_at": created_at + timedelta(minutes=1) if shared else None,
                        "created_at": created_at,
                        "updated_at": updated_at,
                        "version": 1,
                    },
                )
                for reference in picker.distinct(rng, 1 if rng.random() < 0.65 else 2):
                    writer.add(
                        t_link,
                        self._link({"id": writer.new_id(t_link), "goal_id": goal_id}, reference),
                    )
                for event in events:
                    event["id"] = writer.new_id(t_event)
                    event["goal_id"] = goal_id
                    event["author_id"] = person.id
                    writer.add(t_event, event)

    # --- Feedback -----------------------------------------------------------------------

    def _feedback(self, everyone: ReferencePicker, leaders: ReferencePicker) -> None:
        rng, writer, today = self.rng, self.writer, self.today
        t_feedback, t_request = Feedback.__table__, FeedbackRequest.__table__
        span = 365 * YEARS
        texts = {
            FeedbackSource.SELF: REFLECTIONS,
            FeedbackSource.LEADER: FEEDBACK_TEXTS,
            FeedbackSource.COLLEAGUE: FEEDBACK_TEXTS,
        }
        self.progress.expect(len(self.people), "feedback")
        for person in self.people:
            self.progress.advance()
            picker = self._picker(person, everyone, leaders)
            colleagues = [member for member in person.unit.members if member != person.id]
            count = rng.randint(7 * YEARS, 13 * YEARS)
            for reference in picker.pick(rng, count):
                roll = rng.random()
                if roll < 0.2 or (person.nearest_leader is None and not colleagues):
                    source, author = FeedbackSource.SELF, person.id
                elif (roll < 0.45 or not colleagues) and person.nearest_leader is not None:
                    source, author = FeedbackSource.LEADER, person.nearest_leader
                else:
                    source, author = FeedbackSource.COLLEAGUE, rng.choice(colleagues)
                situation = today - timedelta(days=rng.randrange(1, span))
                writer.add(
                    t_feedback,
                    self._link(
                        {
                            "id": writer.new_id(t_feedback),
                            "receiver_id": person.id,
                            "author_id": author,
                            "source": source,
                            "text": rng.choice(texts[source]).format(element=reference.title),
                            "situation_date": situation,
                            "shared_with_leader": source != FeedbackSource.LEADER
                            and rng.random() < 0.4,
                            "request_id": None,
                            "created_at": _moment(situation + timedelta(days=1), rng),
                        },
                        reference,
                    ),
                )
            # Some people wait for feedback they asked a colleague for.
            if colleagues and rng.random() < 0.15:
                asked = _moment(today - timedelta(days=rng.randint(1, 30)), rng)
                for recipient in rng.sample(colleagues, k=min(2, len(colleagues))):
                    writer.add(
                        t_request,
                        self._link(
                            {
                                "id": writer.new_id(t_request),
                                "requester_id": person.id,
                                "recipient_id": recipient,
                                "message": "Jeg vil gerne høre, hvordan du oplever det.",
                                "status": RequestStatus.OPEN,
                                "created_at": asked,
                                "closed_at": None,
                            },
                            picker.pick(rng, 1)[0],
                        ),
                    )

    # --- Rounds, conversations, plans ---------------------------------------------------

    def _rounds(
        self,
        version: FrameworkVersion,
        creator: Someone,
        everyone: ReferencePicker,
        leaders: ReferencePicker,
        showcase: tuple[Someone, Someone],
    ) -> None:
        writer, today = self.writer, self.today
        root = next(unit for unit in self.units if unit.parent is None)
        self.progress.expect(len(self.people) * YEARS * 2, "samtaler")
        templates = {
            kind: default_version(TemplateKind(kind.value)).id
            for kind in (RoundKind.LUS, RoundKind.MUS)
        }
        for years_ago in range(YEARS - 1, -1, -1):
            year = today.year - years_ago
            for kind in (RoundKind.LUS, RoundKind.MUS):
                if years_ago:
                    opened = date(year, 8, 15)
                    deadline = date(year, 12, 15)
                else:
                    opened = today - timedelta(days=60)
                    # This year's MUS has the latest deadline: the reports open on it.
                    deadline = today + timedelta(days=45 if kind == RoundKind.MUS else 30)
                round_id = writer.new_id(ConversationRound.__table__)
                opened_at = datetime.combine(opened, time(8, 0), tzinfo=UTC)
                writer.add(
                    ConversationRound.__table__,
                    {
                        "id": round_id,
                        "kind": kind,
                        "title": f"{kind.value.upper()} {year}",
                        "deadline": deadline,
                        "framework_version_id": version.id,
                        "template_version_id": templates[kind],
                        "created_by_id": creator.id,
                        "created_at": opened_at,
                        "opened_at": opened_at,
                    },
                )
                writer.add(
                    RoundUnit.__table__,
                    {
                        "id": writer.new_id(RoundUnit.__table__),
                        "round_id": round_id,
                        "unit_id": root.id,
                    },
                )
                for person in self.people:
                    self.progress.advance()
                    is_leader = person.leads is not None
                    if (kind == RoundKind.LUS) != is_leader or person.nearest_leader is None:
                        continue
                    picker = leaders if is_leader else everyone
                    self._conversation(
                        round_id,
                        person,
                        opened_at,
                        deadline,
                        past=years_ago > 0,
                        picker=picker,
                        showcase=person in showcase,
                    )

    def _conversation(
        self,
        round_id: int,
        person: Someone,
        invited_at: datetime,
        deadline: date,
        *,
        past: bool,
        picker: ReferencePicker,
        showcase: bool,
    ) -> None:
        rng, writer, today = self.rng, self.writer, self.today
        conversation_id = writer.new_id(Conversation.__table__)
        row: Row = {
            "id": conversation_id,
            "round_id": round_id,
            "employee_id": person.id,
            "leader_id": person.nearest_leader,
            "unit_id": person.unit.id,
            "invited_at": invited_at,
            "booked_for": None,
            "place": "",
            "booked_at": None,
            "prepared_at": None,
            "held_at": None,
            "acknowledged_at": None,
            "followed_up_at": None,
            "individual_requested_at": None,
        }
        roll = 0.0 if showcase else rng.random()
        start = invited_at.date()
        if past:
            held = roll < 0.93
            booked = held or roll < 0.96
            prepared = held and rng.random() < 0.85
            acknowledged = held and (showcase or rng.random() < 0.95)
            last_day = deadline - timedelta(days=5)
        else:
            # This year's round, under way: invited, booked, prepared, held, acknowledged.
            booked, prepared = roll >= 0.3, roll >= 0.55
            held, acknowledged = roll >= 0.7, roll >= 0.85
            last_day = today - timedelta(days=1)
        held_day = start + timedelta(days=rng.randint(14, max(14, (last_day - start).days)))
        if booked:
            row["place"] = rng.choice(PLACES_TO_MEET)
            row["booked_at"] = _moment(start + timedelta(days=rng.randint(2, 12)), rng)
            if held or past:
                row["booked_for"] = _moment(held_day, rng)
            else:
                row["booked_for"] = _moment(today + timedelta(days=rng.randint(3, 40)), rng)
        if prepared:
            prepared_day = (held_day if held else today) - timedelta(days=rng.randint(1, 5))
            row["prepared_at"] = _moment(max(prepared_day, start), rng)
        if held:
            row["held_at"] = row["booked_for"]
        children: list[tuple[Table, Row]] = []
        if prepared:
            children += self._preparation(conversation_id, person, row["prepared_at"], picker)
        if held:
            held_at: datetime = row["held_at"]
            acknowledged_at = None
            if acknowledged:
                acknowledged_at = min(
                    held_at + timedelta(days=rng.randint(0, 7), hours=1), self.now
                )
                row["acknowledged_at"] = acknowledged_at
            plan_id = writer.new_id(DevelopmentPlan.__table__)
            children.append(
                (
                    DevelopmentPlan.__table__,
                    {
                        "id": plan_id,
                        "conversation_id": conversation_id,
                        "employee_acknowledged_at": acknowledged_at,
                        "leader_acknowledged_at": acknowledged_at,
                        "leader_acknowledged_by_id": (
                            person.nearest_leader if acknowledged_at else None
                        ),
                        "disagreement": "",
                        "locked_at": acknowledged_at,
                        "created_at": held_at,
                    },
                )
            )
            follow_up = past and acknowledged and rng.random() < 0.6
            agreements, followed_up_at = self._agreements(
                plan_id, held_at, person, picker, follow_up=follow_up
            )
            children += agreements
            row["followed_up_at"] = followed_up_at
        # Parents before children: a chunk may be written between any two rows.
        writer.add(Conversation.__table__, row)
        for table, child in children:
            writer.add(table, child)

    def _preparation(
        self, conversation_id: int, person: Someone, prepared_at: datetime, picker: ReferencePicker
    ) -> list[tuple[Table, Row]]:
        rng, writer = self.rng, self.writer
        preparation_id = writer.new_id(Preparation.__table__)
        rows: list[tuple[Table, Row]] = [
            (
                Preparation.__table__,
                {
                    "id": preparation_id,
                    "conversation_id": conversation_id,
                    "role": PreparationRole.EMPLOYEE,
                    "author_id": person.id,
                    "submitted_at": prepared_at,
                    "updated_at": prepared_at,
                    "version": 1,
                },
            )
        ]
        # Keys the shipped MUS and LUS templates both ask the employee.
        for key in ("aaret-der-gik", "opgaver-fremad"):
            rows.append(
                (
                    PreparationAnswer.__table__,
                    {
                        "id": writer.new_id(PreparationAnswer.__table__),
                        "preparation_id": preparation_id,
                        "question_key": key,
                        "text": rng.choice(PREPARATION_TEXTS),
                    },
                )
            )
        for reference in picker.distinct(rng, rng.randint(1, 2)):
            rows.append(
                (
                    PreparationTopic.__table__,
                    self._link(
                        {
                            "id": writer.new_id(PreparationTopic.__table__),
                            "preparation_id": preparation_id,
                            "text": f"Jeg vil gerne tale om {reference.title}.",
                        },
                        reference,
                    ),
                )
            )
        return rows

    def _agreements(
        self,
        plan_id: int,
        held_at: datetime,
        person: Someone,
        picker: ReferencePicker,
        *,
        follow_up: bool,
    ) -> tuple[list[tuple[Table, Row]], datetime | None]:
        """The plan's agreements with their links and, when followed up, their follow-ups."""
        rng, writer = self.rng, self.writer
        rows: list[tuple[Table, Row]] = []
        followed_up_at: datetime | None = None
        held_day = held_at.date()
        for position, (what, kind) in enumerate(rng.sample(AGREEMENTS, k=rng.randint(1, 3)), 1):
            agreement_id = writer.new_id(Agreement.__table__)
            agreement: Row = {
                "id": agreement_id,
                "plan_id": plan_id,
                "position": position,
                "what": what,
                "kind": kind,
                "who_does_what": "",
                "deadline": held_day + timedelta(days=rng.randint(90, 270)),
                "success": "",
                "status": AgreementStatus.NOT_STARTED,
                "created_at": held_at,
                "version": 1,
            }
            rows.append((Agreement.__table__, agreement))
            for reference in picker.distinct(rng, 1 if rng.random() < 0.8 else 2):
                rows.append(
                    (
                        AgreementLink.__table__,
                        self._link(
                            {
                                "id": writer.new_id(AgreementLink.__table__),
                                "agreement_id": agreement_id,
                            },
                            reference,
                        ),
                    )
                )
            if not follow_up:
                continue
            day = held_day
            for status in (AgreementStatus.UNDER_WAY, AgreementStatus.DONE)[: rng.randint(1, 2)]:
                day = min(day + timedelta(days=rng.randint(45, 150)), self.today)
                at = _moment(day, rng)
                rows.append(
                    (
                        FollowUp.__table__,
                        {
                            "id": writer.new_id(FollowUp.__table__),
                            "agreement_id": agreement_id,
                            "author_id": person.nearest_leader,
                            "status": status,
                            "note": "",
                            "on": day,
                            "created_at": at,
                        },
                    )
                )
                agreement["status"] = status
                followed_up_at = max(followed_up_at or at, at)
        return rows, followed_up_at


def load_large_demo(
    employees: int,
    *,
    password: str,
    today: date,
    seed: int = 2026,
    progress: RowProgress = NO_PROGRESS,
) -> LargeDemo:
    """Build the organisation and its three years in the session's transaction; the caller
    commits. The database must have a grundlag in use and no people yet. `progress` hears of
    each person done in each stage (people, goals, feedback, each round's conversations)."""
    return Builder(employees, today, password, seed, progress).build()


def analyse() -> None:
    """Fresh planner statistics after the bulk load (PostgreSQL's autovacuum would get there
    too, a minute later; SQLite has none until asked)."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(text("PRAGMA analysis_limit=1000"))
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def large_demo_summary(demo: LargeDemo, password: str) -> list[str]:
    """What was built, in one sentence (the command's last line), then how to sign in."""
    rows = demo.rows
    return [
        f"Demokommunen er klar: {_number(demo.people)} medarbejdere i {_number(demo.units)} "
        f"enheder på {demo.depth} niveauer, {_number(rows['conversation'])} samtaler i "
        f"{rows['conversation_round']} runder, {_number(rows['goal'])} mål og "
        f"{_number(rows['feedback'])} feedback ({_number(sum(rows.values()))} rækker).",
        f"Log ind på http://127.0.0.1:5000 med adgangskoden {password}:",
        *(f"  {role:45} {email}" for role, email in demo.signins),
    ]
