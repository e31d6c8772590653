"""Choosing grundlag elements and behaviour statements in a form, and checking the choice.

A form offers the elements of the current version of the grundlag in use, each with its
behaviour statements. A choice travels as `e<element id>` or `s<statement id>` (the stable
ids), and is resolved against the current version: an element of another framework, one the
current version has retired, or a made-up id each get their own message.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from devtrack.extensions import db
from devtrack.grundlag.in_use import ElementView, PartView, grundlag_in_use
from devtrack.grundlag.models import (
    BehaviourStatement,
    ElementVersion,
    FrameworkVersion,
    GrundlagChoice,
    GrundlagElement,
    StatementVersion,
)
from devtrack.grundlag.services import framework_in_use, latest_version


@dataclass(frozen=True)
class ChoiceGroup:
    """One part of the grundlag, as a group of choices in a form."""

    part: PartView
    elements: tuple[ElementView, ...]

    def contains(self, chosen: list[str]) -> bool:
        """Whether any of the chosen form values is an element or statement of this part."""
        values = set(chosen)
        return any(
            f"e{element.element_id}" in values
            or any(f"s{statement.statement_id}" in values for statement in element.statements)
            for element in self.elements
        )


class GrundlagChoiceError(ValueError):
    pass


def choice_groups() -> list[ChoiceGroup]:
    """The parts of the grundlag in use with their elements and statements, in the
    document's order (from memory: see `in_use.py`)."""
    grundlag = grundlag_in_use()
    if grundlag is None:
        return []
    return [ChoiceGroup(part, part.elements) for part in grundlag.parts if part.elements]


def version_for_choices() -> FrameworkVersion | None:
    framework = framework_in_use()
    return latest_version(framework) if framework is not None else None


def element_id_for_key(key: str) -> int | None:
    """The id of the element called `key` in the grundlag in use, or None."""
    grundlag = grundlag_in_use()
    element = grundlag.element(key) if grundlag is not None else None
    return element.element_id if element is not None else None


def resolve_choice(value: str, version: FrameworkVersion | None) -> GrundlagChoice:
    """Turn a form value into the element (and statement) it names in `version`, or explain."""
    if version is None:
        raise GrundlagChoiceError(_("Organisationen har endnu ikke et grundlag i brug."))
    kind, number = value[:1], value[1:]
    if kind not in ("e", "s") or not number.isdigit():
        raise GrundlagChoiceError(_("Vælg et element fra grundlaget."))
    if kind == "e":
        element = db.session.get(GrundlagElement, int(number))
        if element is None:
            raise GrundlagChoiceError(_("Det valgte element findes ikke i grundlaget."))
        if element.framework_id != version.framework_id:
            raise GrundlagChoiceError(
                _("Det valgte element hører til et andet grundlag end det, I bruger nu.")
            )
        element_version = db.session.scalar(
            select(ElementVersion).where(
                ElementVersion.element_id == element.id, ElementVersion.version_id == version.id
            )
        )
        if element_version is None:
            raise GrundlagChoiceError(
                _("Det valgte element er udgået af den gældende version af grundlaget.")
            )
        return GrundlagChoice(element_version)
    statement = db.session.scalar(
        select(BehaviourStatement)
        .where(BehaviourStatement.id == int(number))
        .options(joinedload(BehaviourStatement.element))
    )
    if statement is None:
        raise GrundlagChoiceError(_("Det valgte udsagn findes ikke i grundlaget."))
    if statement.element.framework_id != version.framework_id:
        raise GrundlagChoiceError(
            _("Det valgte udsagn hører til et andet grundlag end det, I bruger nu.")
        )
    statement_version = db.session.scalar(
        select(StatementVersion)
        .join(ElementVersion, StatementVersion.element_version_id == ElementVersion.id)
        .where(
            StatementVersion.statement_id == statement.id,
            ElementVersion.version_id == version.id,
        )
        .options(joinedload(StatementVersion.element_version))
    )
    if statement_version is None:
        raise GrundlagChoiceError(
            _("Det valgte udsagn er udgået af den gældende version af grundlaget.")
        )
    return GrundlagChoice(statement_version.element_version, statement_version)
