"""Reading the organisation file an HR system exports: checked whole before anything is written.

One CSV file, as Danish Excel writes it (UTF-8 with or without BOM, `;` or `,` between fields),
with a row per unit and a row per person:

    type;id;navn;overordnet;leder;email;enhed;startdato;slutdato
    enhed;100;Direktionen;;E1;;;;
    person;E1;Anne Ærbø;;;anne@kommune.dk;100;2015-01-01;

For `enhed` rows: id, navn, overordnet (the parent unit's id, empty for the top),
leder (the employee id of the unit's leader, optional). For `person` rows: id (employee id),
navn, email, enhed (the unit's id), startdato and slutdato (optional).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from devtrack.i18n import today_in_denmark

REQUIRED_COLUMNS = (
    "type",
    "id",
    "navn",
    "overordnet",
    "leder",
    "email",
    "enhed",
    "startdato",
    "slutdato",
)
UNIT_TYPES = {"enhed", "unit"}
PERSON_TYPES = {"person", "medarbejder"}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")


@dataclass(frozen=True)
class FileProblem:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"linje {self.line}: {self.message}" if self.line else self.message


class OrgFileError(Exception):
    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class UnitRow:
    line: int
    external_id: str
    name: str
    parent_id: str | None
    leader_number: str | None


@dataclass
class PersonRow:
    line: int
    employee_number: str
    name: str
    email: str
    unit_id: str
    start_date: date | None
    end_date: date | None


@dataclass
class OrgFile:
    units: dict[str, UnitRow] = field(default_factory=dict)
    people: dict[str, PersonRow] = field(default_factory=dict)


def _decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # Older Danish Excel saves "CSV (semikolonsepareret)" as Windows-1252.
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as error:
            raise OrgFileError(
                [
                    FileProblem(
                        raw.count(b"\n", 0, error.start) + 1,
                        _(
                            "filen er hverken UTF-8 eller Windows-1252: byte %(position)d"
                            " (0x%(byte)02X) er ugyldig",
                            position=error.start + 1,
                            byte=raw[error.start],
                        ),
                    )
                ]
            ) from None
    return text.lstrip("\ufeff")  # Excel's byte order mark, sometimes written twice


def _parse_date(value: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


@dataclass
class _Reading:
    """What the rows have given so far: the file's content, its problems, whose e-mail is whose."""

    result: OrgFile = field(default_factory=OrgFile)
    problems: list[FileProblem] = field(default_factory=list)
    emails: dict[str, int] = field(default_factory=dict)

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(FileProblem(line, message))


Cells = dict[str, str]


def parse_org_file(raw: bytes) -> OrgFile:
    """Check the whole file; raise `OrgFileError` listing every problem with its line number."""
    text = _decode(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    index = _column_index(reader)
    return check_org_rows(
        (
            reader.line_num,
            {column: (row[i].strip() if i < len(row) else "") for column, i in index.items()},
        )
        for row in reader
        if any(cell.strip() for cell in row)
    )


def check_org_rows(rows: Iterable[tuple[int, Cells]]) -> OrgFile:
    """Check an organisation given as rows of cells (the columns of the CSV file), however it
    arrived: the file's lines, or the API's units and people numbered in order. Raise
    `OrgFileError` listing every problem with its row number."""
    reading = _Reading()
    for line, cells in rows:
        _read_row(reading, line, {column: cells.get(column, "") for column in REQUIRED_COLUMNS})
    _check_references(reading)
    reading.problems.extend(_cycles(reading.result.units))
    if not reading.result.units and not reading.problems:
        reading.problem(None, _("Filen indeholder ingen enheder."))
    if reading.problems:
        reading.problems.sort(key=lambda problem: problem.line or 0)
        raise OrgFileError(reading.problems)
    return reading.result


def _column_index(reader: Iterator[list[str]]) -> dict[str, int]:
    """Where each required column is, from the header line; an error when any is missing."""
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        raise OrgFileError([FileProblem(None, _("Filen er tom."))]) from None
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise OrgFileError(
            [
                FileProblem(
                    1,
                    _(
                        "kolonnerne %(missing)s mangler i overskriften (forventet: %(expected)s)",
                        missing=", ".join(missing),
                        expected=";".join(REQUIRED_COLUMNS),
                    ),
                )
            ]
        )
    # Empty column names are Excel's trailing separators, not columns.
    unknown = [column for column in header if column and column not in REQUIRED_COLUMNS]
    doubled = sorted({column for column in header if column and header.count(column) > 1})
    if unknown or doubled:
        problems = [
            FileProblem(1, _("ukendt kolonne '%(column)s' i overskriften", column=column))
            for column in unknown
        ] + [
            FileProblem(1, _("kolonnen '%(column)s' står to gange i overskriften", column=column))
            for column in doubled
        ]
        raise OrgFileError(problems)
    return {column: header.index(column) for column in REQUIRED_COLUMNS}


def _read_row(reading: _Reading, line: int, cells: Cells) -> None:
    identifier = cells["id"]
    if not identifier:
        reading.problem(line, _("id mangler"))
        return
    if not cells["navn"]:
        reading.problem(line, _("navn mangler for %(id)s", id=identifier))
    handler = ROW_HANDLERS.get(cells["type"].lower())
    if handler is None:
        reading.problem(
            line, _("ukendt type '%(type)s' (brug 'enhed' eller 'person')", type=cells["type"])
        )
        return
    handler(reading, line, cells)


def _unit_row(reading: _Reading, line: int, cells: Cells) -> None:
    identifier, units = cells["id"], reading.result.units
    if identifier in units:
        reading.problem(
            line,
            _(
                "enheden %(id)s står to gange (også i linje %(other)d)",
                id=identifier,
                other=units[identifier].line,
            ),
        )
        return
    units[identifier] = UnitRow(
        line, identifier, cells["navn"], cells["overordnet"] or None, cells["leder"] or None
    )


def _person_row(reading: _Reading, line: int, cells: Cells) -> None:
    identifier, people = cells["id"], reading.result.people
    if identifier in people:
        reading.problem(
            line,
            _(
                "medarbejderen %(id)s står to gange (også i linje %(other)d)",
                id=identifier,
                other=people[identifier].line,
            ),
        )
        return
    email = _email(reading, line, cells)
    start, end = (_date(reading, line, cells, column) for column in ("startdato", "slutdato"))
    if start and end and end < start:
        reading.problem(line, _("slutdato ligger før startdato for %(id)s", id=identifier))
    if not cells["enhed"]:
        reading.problem(line, _("enhed mangler for %(id)s", id=identifier))
    people[identifier] = PersonRow(
        line, identifier, cells["navn"], email, cells["enhed"], start, end
    )


ROW_HANDLERS: dict[str, Callable[[_Reading, int, Cells], None]] = {
    **dict.fromkeys(UNIT_TYPES, _unit_row),
    **dict.fromkeys(PERSON_TYPES, _person_row),
}


def _email(reading: _Reading, line: int, cells: Cells) -> str:
    """The person's e-mail, normalised; a problem when it is not valid or already used."""
    email = cells["email"].lower()
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        reading.problem(
            line,
            _(
                "e-mailen '%(email)s' for %(id)s er ikke gyldig",
                email=cells["email"],
                id=cells["id"],
            ),
        )
    if email in reading.emails:
        reading.problem(
            line,
            _(
                "e-mailen %(email)s bruges også i linje %(other)d",
                email=email,
                other=reading.emails[email],
            ),
        )
    reading.emails.setdefault(email, line)
    return email


def _date(reading: _Reading, line: int, cells: Cells, column: str) -> date | None:
    if not cells[column]:
        return None
    try:
        return _parse_date(cells[column])
    except ValueError:
        reading.problem(
            line,
            _(
                "%(column)s '%(value)s' er ikke en dato (skriv fx 2024-01-31 eller 31-01-2024)",
                column=column,
                value=cells[column],
            ),
        )
        return None


def _check_references(reading: _Reading) -> None:
    """Every unit, parent and leader a row names is in the file; a leader still works here."""
    units, people = reading.result.units, reading.result.people
    for person in people.values():
        if person.unit_id and person.unit_id not in units:
            reading.problem(
                person.line,
                _(
                    "enheden %(unit)s for %(id)s findes ikke i filen",
                    unit=person.unit_id,
                    id=person.employee_number,
                ),
            )
    for unit in units.values():
        if unit.parent_id is not None and unit.parent_id not in units:
            reading.problem(
                unit.line,
                _("den overordnede enhed %(parent)s findes ikke i filen", parent=unit.parent_id),
            )
        if unit.leader_number is not None:
            _check_leader(reading, unit, people.get(unit.leader_number))


def _check_leader(reading: _Reading, unit: UnitRow, leader: PersonRow | None) -> None:
    if leader is None:
        reading.problem(
            unit.line,
            _(
                "lederen %(leader)s af %(unit)s står ikke i filen",
                leader=unit.leader_number,
                unit=unit.external_id,
            ),
        )
    elif leader.end_date is not None and leader.end_date < today_in_denmark():
        reading.problem(
            unit.line,
            _(
                "lederen %(leader)s af %(unit)s er fratrådt",
                leader=unit.leader_number,
                unit=unit.external_id,
            ),
        )


def _cycles(units: dict[str, UnitRow]) -> list[FileProblem]:
    problems = []
    reported: set[str] = set()
    for start in units:
        seen: list[str] = []
        current: str | None = start
        while current is not None and current in units and current not in seen:
            seen.append(current)
            current = units[current].parent_id
        if current is not None and current in seen and current not in reported:
            cycle = seen[seen.index(current) :]
            reported.update(cycle)
            problems.append(
                FileProblem(
                    units[current].line,
                    _(
                        "enhederne %(cycle)s danner en ring af overordnede enheder",
                        cycle=" → ".join([*cycle, current]),
                    ),
                )
            )
    return problems
