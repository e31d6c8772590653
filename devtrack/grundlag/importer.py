"""Reading a grundlag file (YAML, format `devtrack-grundlag/1`) into a checked document.

Everything is validated before anything is written: `parse_grundlag` either returns a complete
`GrundlagDocument` or raises `GrundlagFileError` listing every problem with its line and path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _

from devtrack.grundlag.models import Audience, ElementKind
from devtrack.importfiles import FieldChecker, ImportFileError, read_text

FORMAT = "devtrack-grundlag/1"
MAX_TITLE = 300
MAX_TEXT = 20_000

# The fields each level may have: anything else is a mistake (a misspelling would otherwise
# silently drop what it held, e.g. an element's statements).
TOP_FIELDS = (
    "format",
    "key",
    "organisation",
    "title",
    "intro",
    "valid_from",
    "source_documents",
    "parts",
)
SOURCE_FIELDS = ("file", "title")
PART_FIELDS = ("key", "title", "audience", "source", "framing", "quotes", "elements")
ELEMENT_FIELDS = (
    "key",
    "kind",
    "title",
    "title_inferred",
    "subtitle",
    "text",
    "statements",
    "quotes",
)
STATEMENT_FIELDS = ("key", "text")
QUOTE_FIELDS = ("text", "attribution")


# Every problem in a grundlag file, each with its line and path (the shared importers' error).
GrundlagFileError = ImportFileError


@dataclass
class QuoteData:
    text: str
    attribution: str = ""


@dataclass
class StatementData:
    key: str
    text: str


@dataclass
class ElementData:
    key: str
    kind: ElementKind
    title: str
    title_inferred: bool = False
    subtitle: str = ""
    text: str = ""
    statements: list[StatementData] = field(default_factory=list)
    quotes: list[QuoteData] = field(default_factory=list)


@dataclass
class PartData:
    key: str
    title: str
    audience: Audience
    source: str
    framing: str = ""
    quotes: list[QuoteData] = field(default_factory=list)
    elements: list[ElementData] = field(default_factory=list)


@dataclass
class GrundlagDocument:
    key: str
    organisation: str
    title: str
    source_documents: list[tuple[str, str]]
    valid_from: date | None = None
    intro: str = ""
    parts: list[PartData] = field(default_factory=list)

    def elements(self) -> list[ElementData]:
        return [element for part in self.parts for element in part.elements]


class _Checker(FieldChecker):
    """The shared checks (`devtrack.importfiles`) and the grundlag's quotes."""

    def quotes(self, data: dict[str, Any], path: str) -> list[QuoteData]:
        result = []
        for index, raw in enumerate(self.items(data, "quotes", path, required=False)):
            where = f"{path}.quotes[{index}]"
            quote = self.mapping(raw, where, QUOTE_FIELDS)
            result.append(
                QuoteData(
                    text=self.text(quote, "text", where),
                    attribution=self.text(quote, "attribution", where, required=False, limit=300),
                )
            )
        return result


def read_grundlag(raw: bytes, max_bytes: int) -> GrundlagDocument:
    """Check a grundlag file as uploaded or read from disk: its size first, then its text."""
    return parse_grundlag(read_text(raw, max_bytes))


def parse_grundlag(content: str) -> GrundlagDocument:
    """Check a whole grundlag file; raise `GrundlagFileError` with every problem found."""
    check, top = _Checker.start(content, FORMAT, TOP_FIELDS, max_text=MAX_TEXT)
    document = GrundlagDocument(
        key=check.key(top, "", {}),
        organisation=check.text(top, "organisation", "", limit=200),
        title=check.text(top, "title", "", limit=200),
        source_documents=[],
        intro=check.text(top, "intro", "", required=False),
    )
    valid_from = top.get("valid_from")
    if valid_from is not None and not isinstance(valid_from, date):
        check.problem("valid_from", _("'valid_from' skal være en dato som 2024-01-31"))
    elif isinstance(valid_from, date):
        document.valid_from = valid_from

    sources = set()
    for index, raw_source in enumerate(check.items(top, "source_documents", "", required=True)):
        where = f"source_documents[{index}]"
        source_map = check.mapping(raw_source, where, SOURCE_FIELDS)
        file_name = check.text(source_map, "file", where, limit=200)
        document.source_documents.append(
            (file_name, check.text(source_map, "title", where, limit=300))
        )
        sources.add(file_name)

    part_keys: dict[str, str] = {}
    element_keys: dict[str, str] = {}
    for part_index, raw_part in enumerate(check.items(top, "parts", "", required=True)):
        where = f"parts[{part_index}]"
        part_map = check.mapping(raw_part, where, PART_FIELDS)
        source = check.text(part_map, "source", where, limit=200)
        if source and source not in sources:
            check.problem(
                f"{where}.source",
                _("kilden '%(source)s' står ikke i source_documents", source=source),
            )
        part = PartData(
            key=check.key(part_map, where, part_keys),
            title=check.text(part_map, "title", where, limit=MAX_TITLE),
            audience=check.choice(part_map, "audience", where, Audience),
            source=source,
            framing=check.text(part_map, "framing", where, required=False),
            quotes=check.quotes(part_map, where),
        )
        for element_index, raw_element in enumerate(
            check.items(part_map, "elements", where, required=True)
        ):
            element_where = f"{where}.elements[{element_index}]"
            element_map = check.mapping(raw_element, element_where, ELEMENT_FIELDS)
            element = ElementData(
                key=check.key(element_map, element_where, element_keys),
                kind=check.choice(element_map, "kind", element_where, ElementKind),
                title=check.text(element_map, "title", element_where, limit=MAX_TITLE),
                title_inferred=check.flag(element_map, "title_inferred", element_where),
                subtitle=check.text(
                    element_map, "subtitle", element_where, required=False, limit=MAX_TITLE
                ),
                text=check.text(element_map, "text", element_where, required=False),
                quotes=check.quotes(element_map, element_where),
            )
            statement_keys: dict[str, str] = {}
            for statement_index, raw_statement in enumerate(
                check.items(element_map, "statements", element_where, required=False)
            ):
                statement_where = f"{element_where}.statements[{statement_index}]"
                statement_map = check.mapping(raw_statement, statement_where, STATEMENT_FIELDS)
                element.statements.append(
                    StatementData(
                        key=check.key(statement_map, statement_where, statement_keys),
                        text=check.text(statement_map, "text", statement_where),
                    )
                )
            if not element.text and not element.statements:
                check.problem(
                    element_where,
                    _("elementet har hverken 'text' eller 'statements'"),
                )
            part.elements.append(element)
        document.parts.append(part)

    if check.problems:
        raise GrundlagFileError(check.problems)
    return document
