"""Reading the files administrators import: strictly, and with every mistake told in Danish.

Every importer reads through here (the grundlag, the conversation templates, the organisation
file's size limit): the size limit is checked before anything is parsed, text must be UTF-8 (the
first bad byte's position is named), and YAML is composed with its syntax errors in Danish with
line and column, duplicate keys refused and the line of every key kept, so a misspelled or
doubled field can be pointed at exactly. `FieldChecker` then checks the document's fields
(unknown ones, types, keys, lengths), collecting every problem with its line.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Self

import yaml
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


@dataclass(frozen=True)
class FileProblem:
    """One problem in an imported file, with where it is when that is known."""

    line: int | None
    path: str
    message: str
    column: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.line and self.column:
            where = _("linje %(line)d, kolonne %(column)d", line=self.line, column=self.column)
        elif self.line:
            where = _("linje %(line)d", line=self.line)
        if self.path:
            where = f"{where}, {self.path}" if where else self.path
        return f"{where}: {self.message}" if where else self.message


class ImportFileError(Exception):
    """Every problem found in an imported file; nothing of the file is saved."""

    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


class UnreadableFile(ImportFileError):
    """The file cannot be read at all: too large, not UTF-8, empty or not valid YAML."""

    def __init__(self, problem: FileProblem) -> None:
        super().__init__([problem])
        self.problem = problem


def megabytes(limit_bytes: int) -> str:
    return f"{limit_bytes / (1024 * 1024):g}"


def check_size(size: int, limit_bytes: int) -> None:
    """Refuse a file larger than the limit before a byte of it is parsed."""
    if size > limit_bytes:
        raise UnreadableFile(
            FileProblem(
                None,
                "",
                _(
                    "filen er for stor (%(size)s MB); der tages højst imod %(limit)s MB",
                    size=f"{size / (1024 * 1024):.1f}".replace(".", ","),
                    limit=megabytes(limit_bytes),
                ),
            )
        )


def decode_utf8(raw: bytes) -> str:
    """UTF-8 text (a byte order mark, as Windows programs write it, is dropped)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise UnreadableFile(
            FileProblem(
                line,
                "",
                _(
                    "filen er ikke UTF-8-tekst: byte %(position)d (0x%(byte)02X) er ugyldig."
                    " Gem filen som UTF-8, og prøv igen",
                    position=error.start + 1,
                    byte=raw[error.start],
                ),
            )
        ) from None


def read_text(raw: bytes, limit_bytes: int) -> str:
    """A file's text as uploaded or read from disk: its size checked first, then its UTF-8."""
    check_size(len(raw), limit_bytes)
    return decode_utf8(raw)


# PyYAML's reasons, in Danish. A reason not listed gets the general sentence.
_YAML_REASONS = {
    "mapping values are not allowed here": _l(
        "et kolon står, hvor det ikke må; sæt tekst med kolon i anførselstegn"
    ),
    "could not find expected ':'": _l("der mangler et kolon efter et feltnavn"),
    "did not find expected key": _l("indrykningen passer ikke; her ventedes et felt"),
    "did not find expected '-' indicator": _l(
        "indrykningen passer ikke; her ventedes et punkt i en liste (-)"
    ),
    "found character '\\t' that cannot start any token": _l(
        "tabulatortegn må ikke bruges til indrykning; brug mellemrum"
    ),
    "found a tab character that violates indentation": _l(
        "tabulatortegn må ikke bruges til indrykning; brug mellemrum"
    ),
    "found unexpected end of stream": _l("filen slutter, før en tekst i anførselstegn er lukket"),
    "did not find expected ',' or ']'": _l("en liste i [ ] er ikke lukket rigtigt"),
    "did not find expected ',' or '}'": _l("en samling i { } er ikke lukket rigtigt"),
    "found undefined alias": _l("et alias (*navn) henviser til noget, der ikke findes"),
    "found unknown escape character": _l("ukendt tegn efter \\ i en tekst i anførselstegn"),
    "found unexpected ':'": _l("et kolon står, hvor det ikke må; sæt teksten i anførselstegn"),
}


def _yaml_reason(problem: str) -> str:
    for english, danish in _YAML_REASONS.items():
        if problem.startswith(english):
            return str(danish)
    if problem.startswith("expected") or problem.startswith("but found"):
        return str(_("indrykningen eller tegnsætningen passer ikke"))
    return str(_("teksten kan ikke læses som YAML"))


def compose_yaml(text: str) -> tuple[yaml.Node, Any]:
    """The document's node tree (with lines) and its data; one problem if there is no document."""
    if not text.strip():
        raise UnreadableFile(FileProblem(None, "", _("filen er tom")))
    loader = yaml.SafeLoader(text)
    try:
        # Read once: the node tree (with lines) and the data built from those same nodes.
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = str(getattr(error, "problem", "") or "")
        raise UnreadableFile(
            FileProblem(
                mark.line + 1 if mark is not None else None,
                "",
                _("filen er ikke gyldig YAML: %(reason)s", reason=_yaml_reason(problem)),
                column=mark.column + 1 if mark is not None else None,
            )
        ) from None
    finally:
        loader.dispose()
    if node is None:
        raise UnreadableFile(FileProblem(None, "", _("filen er tom")))
    return node, data


def key_lines(node: yaml.Node, path: str = "") -> tuple[dict[str, int], list[FileProblem]]:
    """The line of every field and list item by its path (`parts[0].title`), and a problem for
    every key written twice in one mapping (YAML would silently keep the last)."""
    lines: dict[str, int] = {}
    problems: list[FileProblem] = []

    def walk(current: yaml.Node, where: str, line: int) -> None:
        lines[where] = line
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in current.value:
                key = str(key_node.value)
                child = f"{where}.{key}" if where else key
                key_line = key_node.start_mark.line + 1
                if key in seen:
                    problems.append(
                        FileProblem(
                            key_line,
                            child,
                            _("feltet '%(name)s' står to gange; skriv det kun én gang", name=key),
                        )
                    )
                    continue
                seen.add(key)
                walk(value_node, child, key_line)
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                walk(item, f"{where}[{index}]", item.start_mark.line + 1)

    walk(node, path, node.start_mark.line + 1)
    return lines, problems


def unknown_key_message(name: str, allowed: Iterable[str]) -> str:
    """'ukendt felt' with the closest allowed name as a suggestion (a misspelling, usually)."""
    allowed = sorted(allowed)
    close = difflib.get_close_matches(name, allowed, n=1)
    if close:
        return str(
            _("ukendt felt '%(name)s'; mente du '%(suggestion)s'?", name=name, suggestion=close[0])
        )
    return str(
        _(
            "ukendt felt '%(name)s' (tilladte felter: %(allowed)s)",
            name=name,
            allowed=", ".join(allowed),
        )
    )


# A key names a thing across versions of a file (a part, an element, a question).
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class FieldChecker:
    """Walks a loaded YAML document, collecting every problem rather than stopping at the first.

    Each problem gets the line of its field (or of the nearest enclosing one that has a line)
    and its path (`parts[0].elements[1].kind`). An importer starts with `start` and adds the
    checks of its own format in a subclass.
    """

    def __init__(self, lines: dict[str, int], *, max_text: int) -> None:
        self.lines = lines
        self.max_text = max_text
        self.problems: list[FileProblem] = []

    @classmethod
    def start(
        cls, content: str, file_format: str, fields: tuple[str, ...], *, max_text: int
    ) -> tuple[Self, dict[str, Any]]:
        """The checker for a whole file and the file's top level, with its doubled keys, its
        unknown top-level fields and a wrong `format` found. `UnreadableFile` when the text is
        not a YAML document."""
        node, data = compose_yaml(content)
        lines, doubled = key_lines(node)
        check = cls(lines, max_text=max_text)
        check.problems.extend(doubled)
        top = check.mapping(data, "", fields)
        if top and top.get("format") != file_format:
            check.problem("format", _("feltet 'format' skal være '%(format)s'", format=file_format))
        return check, top

    def problem(self, path: str, message: str) -> None:
        line = self.lines.get(path)
        parent = path
        while line is None and parent:
            parent = parent.rpartition(".")[0] if "." in parent else ""
            line = self.lines.get(parent)
        self.problems.append(FileProblem(line, path, message))

    def mapping(self, value: Any, path: str, fields: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(path, _("skal være en samling af felter (navn: værdi)"))
            return {}
        for name in value:
            if name not in fields:
                self.problem(_child(path, str(name)), unknown_key_message(str(name), fields))
        return value

    def items(self, data: dict[str, Any], name: str, path: str, *, required: bool) -> list[Any]:
        value = data.get(name)
        where = _child(path, name)
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
        limit: int | None = None,
    ) -> str:
        """The field's text, stripped; `limit` characters at most (the format's `max_text`)."""
        limit = self.max_text if limit is None else limit
        value = data.get(name)
        where = _child(path, name)
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
        """The `key` field: its pattern, and not used before where `seen` (key → path) says."""
        key = self.text(data, "key", path, limit=64)
        if key and not KEY_PATTERN.match(key):
            self.problem(
                _child(path, "key"),
                _(
                    "nøglen '%(key)s' må kun bestå af små bogstaver a-z, tal og bindestreg",
                    key=key,
                ),
            )
        elif key in seen:
            self.problem(
                _child(path, "key"),
                _("nøglen '%(key)s' er allerede brugt i %(other)s", key=key, other=seen[key]),
            )
        elif key:
            seen[key] = path
        return key

    def choice(
        self, data: dict[str, Any], name: str, path: str, kind: Any, *, required: bool = True
    ) -> Any:
        """One of the enum `kind`'s values (None when missing or unknown: a problem is kept)."""
        value = self.text(data, name, path, limit=64, required=required)
        allowed = [member.value for member in kind]
        if value and value not in allowed:
            self.problem(
                _child(path, name),
                _(
                    "ukendt værdi '%(value)s' (tilladt: %(allowed)s)",
                    value=value,
                    allowed=", ".join(allowed),
                ),
            )
            return None
        return kind(value) if value else None

    def flag(self, data: dict[str, Any], name: str, path: str, *, default: bool = False) -> bool:
        value = data.get(name, default)
        if not isinstance(value, bool):
            self.problem(
                _child(path, name), _("feltet '%(name)s' skal være true eller false", name=name)
            )
            return default
        return value


def document_hash(document: DataclassInstance) -> str:
    """A checked document's fingerprint: a file that changes nothing imports as no new version."""
    canonical = json.dumps(asdict(document), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
