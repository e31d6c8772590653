"""Reading a grundlag file (YAML, format `devtrack-grundlag/1`) into a checked document.

Everything is validated before anything is written: `parse_grundlag` either returns a complete
`GrundlagDocument` or raises `GrundlagFileError` listing every problem with its line and path.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _

from devtrack.grundlag.models import Audience, ElementKind
from devtrack.importfiles import (
    FileProblem,
    UnreadableFile,
    check_size,
    compose_yaml,
    decode_utf8,
    key_lines,
    unknown_key_message,
)

FORMAT = "devtrack-grundlag/1"
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_TITLE = 300
MAX_TEXT = 20_000


# A problem in the file, with its line and path (shared with every importer).
Problem = FileProblem

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


class GrundlagFileError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


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

    def content_hash(self) -> str:
        canonical = json.dumps(asdict(self), sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def elements(self) -> list[ElementData]:
        return [element for part in self.parts for element in part.elements]


class _Checker:
    """Walks the loaded YAML, collecting every problem rather than stopping at the first."""

    def __init__(self, lines: dict[str, int]) -> None:
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        line = self.lines.get(path)
        parent = path
        while line is None and parent:
            parent = parent.rpartition(".")[0] if "." in parent else ""
            line = self.lines.get(parent)
        self.problems.append(Problem(line, path, message))

    def mapping(self, value: Any, path: str, fields: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(path, _("skal være en samling af felter (navn: værdi)"))
            return {}
        for name in value:
            if name not in fields:
                where = f"{path}.{name}" if path else str(name)
                self.problem(where, unknown_key_message(str(name), fields))
        return value

    def items(self, data: dict[str, Any], name: str, path: str, required: bool) -> list[Any]:
        value = data.get(name)
        where = f"{path}.{name}" if path else name
        if value is None:
            if required:
                self.problem(where, _("feltet '%(name)s' mangler", name=name))
            return []
        if not isinstance(value, list):
            self.problem(where, _("feltet '%(name)s' skal være en liste", name=name))
            return []
        if required and not value:
            self.problem(where, _("listen '%(name)s' er tom", name=name))
        return value

    def text(
        self,
        data: dict[str, Any],
        name: str,
        path: str,
        *,
        required: bool = True,
        limit: int = MAX_TEXT,
    ) -> str:
        value = data.get(name)
        where = f"{path}.{name}" if path else name
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(where, _("feltet '%(name)s' mangler eller er tomt", name=name))
            return ""
        if not isinstance(value, str):
            self.problem(where, _("feltet '%(name)s' skal være tekst", name=name))
            return ""
        if len(value) > limit:
            self.problem(
                where,
                _("feltet '%(name)s' er for langt (højst %(limit)d tegn)", name=name, limit=limit),
            )
        return value.strip()

    def key(self, data: dict[str, Any], path: str, seen: dict[str, str]) -> str:
        key = self.text(data, "key", path, limit=64)
        if key and not KEY_PATTERN.match(key):
            self.problem(
                f"{path}.key",
                _(
                    "nøglen '%(key)s' må kun bestå af små bogstaver a-z, tal og bindestreg",
                    key=key,
                ),
            )
        elif key in seen:
            self.problem(
                f"{path}.key",
                _("nøglen '%(key)s' er allerede brugt i %(other)s", key=key, other=seen[key]),
            )
        elif key:
            seen[key] = path
        return key

    def choice(self, data: dict[str, Any], name: str, path: str, kind: Any) -> Any:
        value = self.text(data, name, path, limit=64)
        allowed = [member.value for member in kind]
        if value and value not in allowed:
            self.problem(
                f"{path}.{name}",
                _(
                    "ukendt værdi '%(value)s' (tilladt: %(allowed)s)",
                    value=value,
                    allowed=", ".join(allowed),
                ),
            )
            return None
        return kind(value) if value else None

    def flag(self, data: dict[str, Any], name: str, path: str) -> bool:
        value = data.get(name, False)
        if not isinstance(value, bool):
            self.problem(
                f"{path}.{name}", _("feltet '%(name)s' skal være true eller false", name=name)
            )
            return False
        return value

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
    try:
        check_size(len(raw), max_bytes)
        content = decode_utf8(raw)
    except UnreadableFile as error:
        raise GrundlagFileError([error.problem]) from None
    return parse_grundlag(content)


def parse_grundlag(content: str) -> GrundlagDocument:
    """Check a whole grundlag file; raise `GrundlagFileError` with every problem found."""
    try:
        node, raw = compose_yaml(content)
    except UnreadableFile as error:
        raise GrundlagFileError([error.problem]) from None
    lines, duplicates = key_lines(node)
    check = _Checker(lines)
    check.problems.extend(duplicates)
    top = check.mapping(raw, "", TOP_FIELDS)
    if top and top.get("format") != FORMAT:
        check.problem("format", _("feltet 'format' skal være '%(format)s'", format=FORMAT))

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
