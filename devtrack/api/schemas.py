"""What the API takes and gives, as marshmallow schemas: flask-smorest turns them into the
OpenAPI document and validates requests against them."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from devtrack.conversations.services import STEPS
from devtrack.reports.services import SOURCES

MAX_PAGE = 200
# Lengths as the database stores them.
ID_MAX, NAME_MAX, EMAIL_MAX, DATE_MAX = 64, 200, 254, 10


class PageQuery(ma.Schema):
    limit = ma.fields.Integer(
        load_default=50, validate=validate.Range(min=1, max=MAX_PAGE), metadata={"example": 50}
    )
    cursor = ma.fields.String(
        validate=validate.Length(max=100),
        metadata={"description": "`next_cursor` of the previous page; omit for the first"},
    )


class Page(ma.Schema):
    next_cursor = ma.fields.String(
        allow_none=True, required=True, metadata={"description": "null on the last page"}
    )


# --- The grundlag ---------------------------------------------------------------------------


class GrundlagVersionSummary(ma.Schema):
    id = ma.fields.Integer(required=True)
    framework = ma.fields.String(required=True, metadata={"description": "the framework's key"})
    organisation = ma.fields.String(required=True)
    number = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    valid_from = ma.fields.Date(allow_none=True, required=True)
    imported_at = ma.fields.DateTime(required=True)
    in_use = ma.fields.Boolean(
        required=True, metadata={"description": "the latest version of the framework in use"}
    )


class GrundlagVersionPage(Page):
    items = ma.fields.List(ma.fields.Nested(GrundlagVersionSummary), required=True)


class Statement(ma.Schema):
    id = ma.fields.Integer(required=True, metadata={"description": "stable across versions"})
    key = ma.fields.String(required=True)
    text = ma.fields.String(required=True)


class Element(ma.Schema):
    id = ma.fields.Integer(required=True, metadata={"description": "stable across versions"})
    key = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    subtitle = ma.fields.String(required=True)
    text = ma.fields.String(required=True)
    statements = ma.fields.List(ma.fields.Nested(Statement), required=True)


class GrundlagPart(ma.Schema):
    key = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    audience = ma.fields.String(required=True)
    elements = ma.fields.List(ma.fields.Nested(Element), required=True)


class GrundlagVersion(GrundlagVersionSummary):
    intro = ma.fields.String(required=True)
    parts = ma.fields.List(ma.fields.Nested(GrundlagPart), required=True)


# --- Rounds ---------------------------------------------------------------------------------


def _steps() -> dict[str, ma.fields.Field[int]]:
    return {step: ma.fields.Integer(required=True) for step in STEPS}


StepCounts = ma.Schema.from_dict(_steps(), name="StepCounts")


class RoundSummary(ma.Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": ["mus", "lus", "gus"]})
    title = ma.fields.String(required=True)
    deadline = ma.fields.Date(required=True)
    opened_at = ma.fields.DateTime(allow_none=True, required=True)


class RoundPage(Page):
    items = ma.fields.List(ma.fields.Nested(RoundSummary), required=True)


class UnitCompletion(ma.Schema):
    unit = ma.fields.String(
        allow_none=True, required=True, metadata={"description": "external id; null: everyone"}
    )
    name = ma.fields.String(required=True)
    parent = ma.fields.String(allow_none=True, required=True)
    counts = ma.fields.Nested(StepCounts, required=True)


class RoundCompletion(RoundSummary):
    totals = ma.fields.Nested(StepCounts, required=True)
    units = ma.fields.List(
        ma.fields.Nested(UnitCompletion),
        required=True,
        metadata={"description": "each unit with its subtree, as the HR completion report"},
    )


# --- Coverage -------------------------------------------------------------------------------


class CoverageQuery(ma.Schema):
    unit = ma.fields.String(
        validate=validate.Length(max=ID_MAX), metadata={"description": "external unit id"}
    )
    part = ma.fields.String(
        validate=validate.Length(max=ID_MAX), metadata={"description": "the part's key"}
    )
    round = ma.fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    start = ma.fields.Date(data_key="from")
    end = ma.fields.Date(data_key="to")
    sources = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(SOURCES)),
        metadata={"description": "any of goals, agreements, feedback (default: all)"},
    )


class CoverageCell(ma.Schema):
    element = ma.fields.Integer(required=True)
    people = ma.fields.Integer(required=True)
    share = ma.fields.Float(required=True)
    feedback = ma.fields.Integer(required=True)


class CoverageUnit(ma.Schema):
    unit = ma.fields.String(allow_none=True, required=True)
    name = ma.fields.String(required=True)
    parent = ma.fields.String(allow_none=True, required=True)
    suppressed = ma.fields.Boolean(required=True)
    people = ma.fields.Integer(
        allow_none=True, required=True, metadata={"description": "null when suppressed"}
    )
    cells = ma.fields.List(ma.fields.Nested(CoverageCell), required=True)


class CoverageElement(ma.Schema):
    id = ma.fields.Integer(required=True)
    key = ma.fields.String(required=True)
    title = ma.fields.String(required=True)


class Coverage(ma.Schema):
    part = ma.fields.String(allow_none=True, required=True)
    start = ma.fields.Date(data_key="from", required=True)
    end = ma.fields.Date(data_key="to", required=True)
    sources = ma.fields.List(ma.fields.String(), required=True)
    threshold = ma.fields.Integer(required=True)
    elements = ma.fields.List(ma.fields.Nested(CoverageElement), required=True)
    units = ma.fields.List(ma.fields.Nested(CoverageUnit), required=True)


# --- The organisation -----------------------------------------------------------------------


def _text(maximum: int, required: bool = False, **metadata: str) -> ma.fields.String:
    return ma.fields.String(
        required=required,
        allow_none=not required,
        validate=validate.Length(max=maximum),
        metadata=metadata,
    )


class OrgUnitIn(ma.Schema):
    id = _text(ID_MAX, required=True)
    name = _text(NAME_MAX, required=True)
    parent = _text(ID_MAX, description="the parent unit's id; empty or null at the top")
    leader = _text(ID_MAX, description="the leader's employee id")


class OrgPersonIn(ma.Schema):
    id = _text(ID_MAX, required=True, description="employee id")
    name = _text(NAME_MAX, required=True)
    email = _text(EMAIL_MAX, required=True)
    unit = _text(ID_MAX, required=True)
    start_date = _text(DATE_MAX, description="2024-01-31")
    end_date = _text(DATE_MAX, description="2024-01-31")


class OrganisationIn(ma.Schema):
    units = ma.fields.List(ma.fields.Nested(OrgUnitIn), required=True)
    people = ma.fields.List(ma.fields.Nested(OrgPersonIn), required=True)


class SyncQuery(ma.Schema):
    dry_run = ma.fields.Boolean(
        load_default=False, metadata={"description": "say what would change, write nothing"}
    )
    confirm_deactivations = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "apply even when more than the configured share would go"},
    )


class PersonRef(ma.Schema):
    id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)


class Move(PersonRef):
    from_unit = ma.fields.String(allow_none=True, required=True)
    to_unit = ma.fields.String(required=True)


class LeaderChangeOut(ma.Schema):
    unit = ma.fields.String(required=True)
    unit_name = ma.fields.String(required=True)
    before = ma.fields.String(allow_none=True, required=True)
    after = ma.fields.String(allow_none=True, required=True)


class Rename(ma.Schema):
    before = ma.fields.String(required=True)
    after = ma.fields.String(required=True)


class SyncResult(ma.Schema):
    dry_run = ma.fields.Boolean(required=True)
    applied = ma.fields.Boolean(required=True)
    units_created = ma.fields.List(ma.fields.String(), required=True)
    units_renamed = ma.fields.List(ma.fields.Nested(Rename), required=True)
    units_deactivated = ma.fields.Integer(required=True)
    created = ma.fields.List(ma.fields.Nested(PersonRef), required=True)
    updated = ma.fields.List(ma.fields.Nested(PersonRef), required=True)
    moved = ma.fields.List(ma.fields.Nested(Move), required=True)
    deactivated = ma.fields.List(ma.fields.Nested(PersonRef), required=True)
    leader_changes = ma.fields.List(ma.fields.Nested(LeaderChangeOut), required=True)
    removed_people = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "employee ids retention has removed: not created again"},
    )
