"""Writing and reading the grundlag. Services flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from devtrack.extensions import db
from devtrack.grundlag.importer import GrundlagDocument, QuoteData
from devtrack.grundlag.in_use import forget_in_use
from devtrack.grundlag.models import (
    BehaviourStatement,
    ElementVersion,
    Framework,
    FrameworkVersion,
    GrundlagElement,
    Part,
    Quote,
    StatementVersion,
)
from devtrack.i18n import today_in_denmark
from devtrack.importfiles import document_hash


@dataclass(frozen=True)
class ImportResult:
    framework: Framework
    version: FrameworkVersion
    created: bool  # False when the file was identical to the latest version


def import_grundlag(document: GrundlagDocument) -> ImportResult:
    """Store a checked document as a new version, keeping the identity of every known key."""
    framework = db.session.scalar(select(Framework).where(Framework.key == document.key))
    if framework is None:
        framework = Framework(key=document.key, organisation=document.organisation)
        db.session.add(framework)
        db.session.flush()
    framework.organisation = document.organisation

    content_hash = document_hash(document)
    latest = latest_version(framework)
    if latest is not None and latest.content_hash == content_hash:
        return ImportResult(framework, latest, created=False)

    version = FrameworkVersion(
        framework=framework,
        number=(latest.number + 1) if latest else 1,
        title=document.title,
        valid_from=document.valid_from or today_in_denmark(),
        source_document="\n".join(
            f"{name} – {title}" if title else name for name, title in document.source_documents
        ),
        intro=document.intro,
        content_hash=content_hash,
    )
    db.session.add(version)

    elements = {
        element.key: element
        for element in db.session.scalars(
            select(GrundlagElement)
            .where(GrundlagElement.framework_id == framework.id)
            .options(selectinload(GrundlagElement.statements))
        )
    }
    for part_position, part_data in enumerate(document.parts):
        part = Part(
            version=version,
            key=part_data.key,
            title=part_data.title,
            audience=part_data.audience,
            framing=part_data.framing,
            source_document=part_data.source,
            position=part_position,
        )
        db.session.add(part)
        _add_quotes(part, None, part_data.quotes)
        for element_position, element_data in enumerate(part_data.elements):
            element = elements.get(element_data.key)
            if element is None:
                element = GrundlagElement(framework_id=framework.id, key=element_data.key)
                db.session.add(element)
                elements[element.key] = element
            element_version = ElementVersion(
                element=element,
                version=version,
                part=part,
                kind=element_data.kind,
                title=element_data.title,
                title_inferred=element_data.title_inferred,
                subtitle=element_data.subtitle,
                text=element_data.text,
                position=element_position,
            )
            db.session.add(element_version)
            _add_quotes(part, element_version, element_data.quotes)
            statements = {statement.key: statement for statement in element.statements}
            for statement_position, statement_data in enumerate(element_data.statements):
                statement = statements.get(statement_data.key)
                if statement is None:
                    statement = BehaviourStatement(element=element, key=statement_data.key)
                    db.session.add(statement)
                db.session.add(
                    StatementVersion(
                        statement=statement,
                        element_version=element_version,
                        text=statement_data.text,
                        position=statement_position,
                    )
                )
    db.session.flush()
    forget_in_use()
    return ImportResult(framework, version, created=True)


def _add_quotes(
    part: Part, element_version: ElementVersion | None, quotes: list[QuoteData]
) -> None:
    for position, quote in enumerate(quotes):
        db.session.add(
            Quote(
                part=part,
                element_version=element_version,
                text=quote.text,
                attribution=quote.attribution,
                position=position,
            )
        )


def latest_version(framework: Framework) -> FrameworkVersion | None:
    return db.session.scalar(
        select(FrameworkVersion)
        .where(FrameworkVersion.framework_id == framework.id)
        .order_by(FrameworkVersion.number.desc())
        .limit(1)
    )


def framework_in_use() -> Framework | None:
    """The organisation's grundlag. A page asks for it several times (layout, forms, mirror);
    within a request it is looked up once."""
    if has_request_context() and _IN_USE in g:
        kept: Framework | None = getattr(g, _IN_USE)
        return kept
    found = db.session.scalar(_frameworks_in_use())
    if has_request_context():
        setattr(g, _IN_USE, found)
    return found


def _frameworks_in_use() -> Select[Framework]:
    return select(Framework).where(Framework.in_use.is_(True))


_IN_USE = "grundlag_framework_in_use"


def put_in_use(framework: Framework) -> None:
    """Make this the organisation's grundlag; only one framework is in use at a time."""
    if has_request_context():
        g.pop(_IN_USE, None)
    for other in db.session.scalars(_frameworks_in_use()):
        other.in_use = False
    db.session.flush()
    framework.in_use = True
    db.session.flush()
    forget_in_use()
