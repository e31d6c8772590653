"""Storing and reading conversation templates. Services flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from devtrack.conversation_templates.importer import TemplateDocument, parse_template
from devtrack.conversation_templates.models import (
    ConversationTemplate,
    TemplateKind,
    TemplateQuestion,
    TemplateSection,
    TemplateVersion,
)
from devtrack.extensions import db
from devtrack.importfiles import document_hash
from devtrack.paths import resource

SEED = resource("seed") / "templates"


@dataclass(frozen=True)
class ImportResult:
    template: ConversationTemplate
    version: TemplateVersion
    created: bool  # False when the file was identical to the latest version


def import_template(document: TemplateDocument) -> ImportResult:
    """Store a checked document as a new version of the template with its key; an unchanged
    file is not stored again. Earlier versions stay as they were: conversations keep them."""
    template = db.session.scalar(
        select(ConversationTemplate)
        .where(ConversationTemplate.key == document.key)
        .options(selectinload(ConversationTemplate.versions))
    )
    if template is None:
        template = ConversationTemplate(key=document.key, kind=document.kind, versions=[])
        db.session.add(template)
    template.kind = document.kind
    content_hash = document_hash(document)
    latest = template.versions[-1] if template.versions else None
    if latest is not None and latest.content_hash == content_hash:
        return ImportResult(template, latest, created=False)
    version = TemplateVersion(
        number=(latest.number + 1) if latest else 1,
        title=document.title,
        intro=document.intro,
        sources="\n".join(source.line() for source in document.sources),
        content_hash=content_hash,
        sections=[
            TemplateSection(
                key=section.key,
                position=position,
                title=section.title,
                intro=section.intro,
                panel=section.panel,
                is_group=section.group,
                questions=[
                    TemplateQuestion(
                        key=question.key,
                        position=question_position,
                        employee_text=question.employee.text if question.employee else "",
                        employee_help=question.employee.help if question.employee else "",
                        employee_shares=question.employee.shared if question.employee else True,
                        leader_text=question.leader.text if question.leader else "",
                        leader_help=question.leader.help if question.leader else "",
                        leader_shares=question.leader.shared if question.leader else False,
                    )
                    for question_position, question in enumerate(section.questions)
                ],
            )
            for position, section in enumerate(document.sections)
        ],
    )
    template.versions.append(version)
    db.session.flush()
    return ImportResult(template, version, created=True)


def make_default(template: ConversationTemplate) -> None:
    """The template HR's new rounds of its kind start from; the previous default steps back."""
    db.session.execute(
        update(ConversationTemplate)
        .where(ConversationTemplate.kind == template.kind, ConversationTemplate.id != template.id)
        .values(is_default=False)
    )
    template.is_default = True
    db.session.flush()


def all_templates() -> list[ConversationTemplate]:
    """Every template with its versions, by kind and key."""
    found = db.session.scalars(
        select(ConversationTemplate).options(selectinload(ConversationTemplate.versions))
    ).all()
    order = list(TemplateKind)
    return sorted(found, key=lambda template: (order.index(template.kind), template.key))


def default_template(kind: TemplateKind) -> ConversationTemplate | None:
    return db.session.scalar(
        select(ConversationTemplate).where(
            ConversationTemplate.kind == kind, ConversationTemplate.is_default.is_(True)
        )
    )


def default_version(kind: TemplateKind) -> TemplateVersion:
    """The default template's newest version; on a fresh installation with no template of
    the kind chosen, the shipped default (`seed/templates/<kind>.yaml`) is imported first."""
    template = default_template(kind)
    if template is None:
        document = parse_template((SEED / f"{kind.value}.yaml").read_text("utf-8"))
        template = import_template(document).template
        make_default(template)
    return template.latest


def version_with_questions(version_id: int) -> TemplateVersion | None:
    return db.session.scalar(
        select(TemplateVersion)
        .where(TemplateVersion.id == version_id)
        .options(
            selectinload(TemplateVersion.sections).selectinload(TemplateSection.questions),
            selectinload(TemplateVersion.template),
        )
    )
