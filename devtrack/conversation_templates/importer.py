"""Reading a conversation template file (YAML, format `devtrack-samtaleskabelon/1`).

Checked whole before anything is written, through the same strict reader as the grundlag
(`devtrack.importfiles`): size limit, UTF-8, YAML errors in Danish with line and column,
duplicate and unknown fields refused. `parse_template` returns a complete `TemplateDocument`
or raises `TemplateFileError` with one message per problem, each with its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from devtrack.conversation_templates.models import Panel, Side, TemplateKind
from devtrack.importfiles import FieldChecker, ImportFileError, read_text

FORMAT = "devtrack-samtaleskabelon/1"
MAX_TITLE = 300
MAX_TEXT = 4000

TOP_FIELDS = ("format", "key", "kind", "title", "intro", "sources", "sections")
SOURCE_FIELDS = ("organisation", "title", "url")
SECTION_FIELDS = ("key", "title", "intro", "panel", "group", "questions")
QUESTION_FIELDS = ("key", "employee", "leader")
SIDE_FIELDS = ("text", "help", "shared")


# Every problem in a template file, each with its line and path (the shared importers' error).
TemplateFileError = ImportFileError


@dataclass
class SideData:
    text: str
    help: str = ""
    shared: bool = False


@dataclass
class QuestionData:
    key: str
    employee: SideData | None = None
    leader: SideData | None = None


@dataclass
class SectionData:
    key: str
    title: str
    intro: str = ""
    panel: Panel | None = None
    group: bool = False
    questions: list[QuestionData] = field(default_factory=list)


@dataclass
class SourceData:
    organisation: str
    title: str
    url: str = ""

    def line(self) -> str:
        parts = [f"{self.organisation}: {self.title}"]
        if self.url:
            parts.append(self.url)
        return " – ".join(parts)


@dataclass
class TemplateDocument:
    key: str
    kind: TemplateKind
    title: str
    intro: str = ""
    sources: list[SourceData] = field(default_factory=list)
    sections: list[SectionData] = field(default_factory=list)

    def questions(self) -> list[QuestionData]:
        return [question for section in self.sections for question in section.questions]


class _Checker(FieldChecker):
    """The shared checks (`devtrack.importfiles`) and a question's side."""

    def side(self, data: dict[str, Any], side: Side, path: str) -> SideData | None:
        raw = data.get(side.value)
        if raw is None:
            return None
        where = f"{path}.{side.value}"
        if isinstance(raw, str):  # the short form: just the question
            return SideData(text=self.text(data, side.value, path), shared=side == Side.EMPLOYEE)
        side_map = self.mapping(raw, where, SIDE_FIELDS)
        return SideData(
            text=self.text(side_map, "text", where),
            help=self.text(side_map, "help", where, required=False),
            shared=self.flag(side_map, "shared", where, default=side == Side.EMPLOYEE),
        )


def read_template(raw: bytes, max_bytes: int) -> TemplateDocument:
    """Check a template file as read from disk: its size first, then its text."""
    return parse_template(read_text(raw, max_bytes))


def parse_template(content: str) -> TemplateDocument:
    """Check a whole template file; raise `TemplateFileError` with every problem found."""
    check, top = _Checker.start(content, FORMAT, TOP_FIELDS, max_text=MAX_TEXT)
    document = TemplateDocument(
        key=check.key(top, "", {}),
        kind=check.choice(top, "kind", "", TemplateKind, required=True),
        title=check.text(top, "title", "", limit=200),
        intro=check.text(top, "intro", "", required=False),
    )
    for index, raw_source in enumerate(check.items(top, "sources", "", required=True)):
        where = f"sources[{index}]"
        source = check.mapping(raw_source, where, SOURCE_FIELDS)
        document.sources.append(
            SourceData(
                organisation=check.text(source, "organisation", where, limit=200),
                title=check.text(source, "title", where, limit=MAX_TITLE),
                url=check.text(source, "url", where, required=False, limit=500),
            )
        )
    section_keys: dict[str, str] = {}
    question_keys: dict[str, str] = {}
    panels: dict[Panel, str] = {}
    for index, raw_section in enumerate(check.items(top, "sections", "", required=True)):
        where = f"sections[{index}]"
        section_map = check.mapping(raw_section, where, SECTION_FIELDS)
        section = SectionData(
            key=check.key(section_map, where, section_keys),
            title=check.text(section_map, "title", where, limit=MAX_TITLE),
            intro=check.text(section_map, "intro", where, required=False),
            panel=check.choice(section_map, "panel", where, Panel, required=False),
            group=check.flag(section_map, "group", where, default=False),
        )
        if section.panel is not None:
            if section.panel in panels:
                check.problem(
                    f"{where}.panel",
                    _(
                        "'panel: %(panel)s' står allerede i %(other)s; den kan kun stå ét sted",
                        panel=section.panel.value,
                        other=panels[section.panel],
                    ),
                )
            panels[section.panel] = where
        if section.group and document.kind != TemplateKind.GUS:
            check.problem(f"{where}.group", _("'group' kan kun bruges i en GUS-skabelon"))
        questions = check.items(section_map, "questions", where, required=section.panel is None)
        for question_index, raw_question in enumerate(questions):
            question_where = f"{where}.questions[{question_index}]"
            question_map = check.mapping(raw_question, question_where, QUESTION_FIELDS)
            question = QuestionData(
                key=check.key(question_map, question_where, question_keys),
                employee=check.side(question_map, Side.EMPLOYEE, question_where),
                leader=check.side(question_map, Side.LEADER, question_where),
            )
            if question_map and question.employee is None and question.leader is None:
                check.problem(
                    question_where,
                    _("spørgsmålet har hverken 'employee' eller 'leader'"),
                )
            section.questions.append(question)
        document.sections.append(section)
    if check.problems:
        raise TemplateFileError(check.problems)
    return document
