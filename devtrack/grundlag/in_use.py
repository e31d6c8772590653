"""The grundlag in use, kept in each app process as plain frozen objects.

A version of the grundlag never changes once imported, so the pages that show it (the overview,
an element's page, the choices in a form, the timeline's filter) read it from memory instead of
from six tables. Which version is in use is asked of the database on every request, in the same
query as the signed-in person (`in_use_key`, see auth's user loader): an import or a switch on
any app server shows on every server's next page.

Writing (importing, choosing in a form) still goes through the models in `models.py`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, TypeVarTuple

from flask import current_app, g, has_request_context
from sqlalchemy import Select, String, cast, select

from devtrack.extensions import db
from devtrack.grundlag.models import (
    Audience,
    ElementKind,
    ElementVersion,
    Framework,
    FrameworkVersion,
    GrundlagElement,
    Part,
    Quote,
    StatementVersion,
)

EXTENSION = "devtrack.grundlag_in_use"
_KEY = "grundlag_in_use_key"
_FOUND = "grundlag_in_use"
_UNKNOWN = object()
K = TypeVar("K")
V = TypeVar("V")
Columns = TypeVarTuple("Columns")


@dataclass(frozen=True)
class QuoteView:
    text: str
    attribution: str


@dataclass(frozen=True)
class StatementView:
    id: int  # the statement version
    statement_id: int
    text: str
    position: int


@dataclass(frozen=True)
class ElementIdentity:
    id: int
    key: str


@dataclass(frozen=True)
class PartHeading:
    id: int
    key: str
    title: str
    audience: Audience


@dataclass(frozen=True)
class ElementView:
    id: int  # the element version
    element_id: int
    version_id: int
    element: ElementIdentity
    part: PartHeading
    kind: ElementKind
    title: str
    title_inferred: bool
    subtitle: str
    text: str
    position: int
    statements: tuple[StatementView, ...]
    quotes: tuple[QuoteView, ...]

    @property
    def key(self) -> str:
        return self.element.key


@dataclass(frozen=True)
class PartView:
    id: int
    key: str
    title: str
    audience: Audience
    framing: str
    source_document: str
    position: int
    quotes: tuple[QuoteView, ...]
    elements: tuple[ElementView, ...]


@dataclass(frozen=True)
class FrameworkInfo:
    id: int
    key: str
    organisation: str


@dataclass(frozen=True, eq=False)
class GrundlagInUse:
    """The latest version of the framework in use, with its parts, elements and statements."""

    key: str  # what `in_use_key` gave when this was loaded
    id: int  # the framework version
    framework_id: int
    framework: FrameworkInfo
    number: int
    title: str
    valid_from: date | None
    intro: str
    source_document: str
    parts: tuple[PartView, ...]
    elements_by_key: Mapping[str, ElementView]

    def element(self, key: str) -> ElementView | None:
        return self.elements_by_key.get(key)


def in_use_key() -> Any:
    """Which version is in use, as one short string, for loading with the signed-in person.

    The version's id and the moment it was imported: an import, a switch to another framework
    and a database restored from a backup each give a new key.
    """
    return _latest_in_use(
        select(cast(FrameworkVersion.id, String) + " " + cast(FrameworkVersion.imported_at, String))
    ).scalar_subquery()


def _latest_in_use(query: Select[*Columns]) -> Select[*Columns]:
    """The query narrowed to the latest version of the framework in use."""
    return (
        query.join(Framework, Framework.id == FrameworkVersion.framework_id)
        .where(Framework.in_use.is_(True))
        .order_by(FrameworkVersion.number.desc())
        .limit(1)
    )


def _grouped(
    rows: Iterable[Any], group: Callable[[Any], K], view: Callable[[Any], V]
) -> dict[K, list[V]]:
    """Rows as views, in their order, listed under the group each belongs to."""
    found: dict[K, list[V]] = {}
    for row in rows:
        found.setdefault(group(row), []).append(view(row))
    return found


def remember_in_use_key(key: str | None) -> None:
    """The key as loaded with the signed-in person: the request asks no more."""
    setattr(g, _KEY, key)


def forget_in_use() -> None:
    """After an import or a switch: this request's next look asks the database again."""
    if has_request_context():
        g.pop(_KEY, None)
        g.pop(_FOUND, None)


class _Kept:
    def __init__(self) -> None:
        self.found: GrundlagInUse | None = None
        self.lock = threading.Lock()


def grundlag_in_use() -> GrundlagInUse | None:
    """The grundlag in use, or None before one is imported and put in use."""
    if has_request_context() and _FOUND in g:
        cached: GrundlagInUse | None = getattr(g, _FOUND)
        return cached
    key = getattr(g, _KEY, _UNKNOWN) if has_request_context() else _UNKNOWN
    if key is _UNKNOWN:
        key = db.session.scalar(select(in_use_key()))
    found = _for_key(key) if key is not None else None
    if has_request_context():
        setattr(g, _KEY, key)
        setattr(g, _FOUND, found)
    return found


def _for_key(key: Any) -> GrundlagInUse | None:
    kept: _Kept = current_app.extensions.setdefault(EXTENSION, _Kept())
    found = kept.found
    if found is not None and found.key == key:
        return found
    with kept.lock:
        if kept.found is None or kept.found.key != key:
            kept.found = _load(str(key))
        return kept.found


def _load(key: str) -> GrundlagInUse | None:
    """Five queries, run when the version in use has changed (and once per process)."""
    version = db.session.execute(
        _latest_in_use(
            select(
                FrameworkVersion.id,
                FrameworkVersion.number,
                FrameworkVersion.title,
                FrameworkVersion.valid_from,
                FrameworkVersion.intro,
                FrameworkVersion.source_document,
                Framework.id.label("framework_id"),
                Framework.key.label("framework_key"),
                Framework.organisation,
            )
        )
    ).first()
    if version is None:
        return None
    quotes: dict[tuple[int, int | None], list[QuoteView]] = _grouped(
        db.session.execute(
            select(Quote.part_id, Quote.element_version_id, Quote.text, Quote.attribution)
            .join(Part, Part.id == Quote.part_id)
            .where(Part.version_id == version.id)
            .order_by(Quote.position, Quote.id)
        ),
        lambda quote: (quote.part_id, quote.element_version_id),
        lambda quote: QuoteView(quote.text, quote.attribution),
    )
    statements: dict[int, list[StatementView]] = _grouped(
        db.session.execute(
            select(
                StatementVersion.element_version_id,
                StatementVersion.id,
                StatementVersion.statement_id,
                StatementVersion.text,
                StatementVersion.position,
            )
            .join(ElementVersion, ElementVersion.id == StatementVersion.element_version_id)
            .where(ElementVersion.version_id == version.id)
            .order_by(StatementVersion.position, StatementVersion.id)
        ),
        lambda statement: statement.element_version_id,
        lambda statement: StatementView(
            statement.id, statement.statement_id, statement.text, statement.position
        ),
    )
    parts = db.session.execute(
        select(
            Part.id,
            Part.key,
            Part.title,
            Part.audience,
            Part.framing,
            Part.source_document,
            Part.position,
        )
        .where(Part.version_id == version.id)
        .order_by(Part.position, Part.id)
    ).all()
    headings = {
        part.id: PartHeading(part.id, part.key, part.title, part.audience) for part in parts
    }
    elements: dict[int, list[ElementView]] = _grouped(
        db.session.execute(
            select(
                ElementVersion.id,
                ElementVersion.element_id,
                ElementVersion.part_id,
                ElementVersion.kind,
                ElementVersion.title,
                ElementVersion.title_inferred,
                ElementVersion.subtitle,
                ElementVersion.text,
                ElementVersion.position,
                GrundlagElement.key,
            )
            .join(GrundlagElement, GrundlagElement.id == ElementVersion.element_id)
            .where(ElementVersion.version_id == version.id)
            .order_by(ElementVersion.position, ElementVersion.id)
        ),
        lambda element: element.part_id,
        lambda element: ElementView(
            id=element.id,
            element_id=element.element_id,
            version_id=version.id,
            element=ElementIdentity(element.element_id, element.key),
            part=headings[element.part_id],
            kind=element.kind,
            title=element.title,
            title_inferred=element.title_inferred,
            subtitle=element.subtitle,
            text=element.text,
            position=element.position,
            statements=tuple(statements.get(element.id, ())),
            quotes=tuple(quotes.get((element.part_id, element.id), ())),
        ),
    )
    part_views = tuple(
        PartView(
            id=part.id,
            key=part.key,
            title=part.title,
            audience=part.audience,
            framing=part.framing,
            source_document=part.source_document,
            position=part.position,
            quotes=tuple(quotes.get((part.id, None), ())),
            elements=tuple(elements.get(part.id, ())),
        )
        for part in parts
    )
    return GrundlagInUse(
        key=key,
        id=version.id,
        framework_id=version.framework_id,
        framework=FrameworkInfo(version.framework_id, version.framework_key, version.organisation),
        number=version.number,
        title=version.title,
        valid_from=version.valid_from,
        intro=version.intro,
        source_document=version.source_document,
        parts=part_views,
        elements_by_key={element.key: element for part in part_views for element in part.elements},
    )
