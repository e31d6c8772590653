"""The API's endpoints. Thin, like every view: parse (webargs), authorise (`secured`), call the
owning feature's service, answer. Nothing here reaches personal content."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Response, current_app, request
from flask_babel import gettext as _

from devtrack.api import services
from devtrack.api.blueprint import ProblemAbort, blueprint, documented, problem, secured
from devtrack.api.pagination import paginated
from devtrack.api.permissions import GRUNDLAG_READ, ORG_WRITE, REPORTS_READ, ROUNDS_READ
from devtrack.api.schemas import (
    Coverage,
    CoverageQuery,
    GrundlagVersion,
    GrundlagVersionPage,
    OrganisationIn,
    PageQuery,
    RoundCompletion,
    RoundPage,
    SyncQuery,
    SyncResult,
)
from devtrack.conversations.models import ConversationRound
from devtrack.extensions import db
from devtrack.grundlag.links import version_for_choices
from devtrack.grundlag.models import FrameworkVersion
from devtrack.i18n import today_in_denmark
from devtrack.people.orgfile import OrgFileError, check_org_rows
from devtrack.people.services import OrganisationChanged, SyncChanges, apply_sync
from devtrack.reports.services import (
    SOURCES,
    CoverageFilter,
    completion,
    coverage,
    parts_of,
    round_period,
)
from devtrack.reports.units import UnitNode

# --- The grundlag ---------------------------------------------------------------------------


def _version_summary(version: FrameworkVersion, in_use_id: int | None) -> dict[str, Any]:
    return {
        "id": version.id,
        "framework": version.framework.key,
        "organisation": version.framework.organisation,
        "number": version.number,
        "title": version.title,
        "valid_from": version.valid_from,
        "imported_at": version.imported_at,
        "in_use": version.id == in_use_id,
    }


def _in_use_id() -> int | None:
    version = version_for_choices()
    return version.id if version is not None else None


@blueprint.route("/grundlag/versions", methods=["GET"])
@secured(GRUNDLAG_READ)
@blueprint.arguments(PageQuery, location="query")
@blueprint.response(200, GrundlagVersionPage)
@documented(400, 422)
def grundlag_versions(query: dict[str, Any]) -> dict[str, Any]:
    """Every imported version of every grundlag, oldest first."""
    in_use_id = _in_use_id()
    return paginated(query, services.versions_after, lambda v: _version_summary(v, in_use_id))


@blueprint.route("/grundlag/versions/<int(max=2147483647):version_id>", methods=["GET"])
@secured(GRUNDLAG_READ)
@blueprint.response(200, GrundlagVersion, headers={"ETag": {"schema": {"type": "string"}}})
@blueprint.alt_response(304, description="Not modified: the ETag sent in If-None-Match")
@documented(404)
def grundlag_version(version_id: int) -> Any:
    """One version with its parts, elements and behaviour statements. A version never changes
    once imported; its ETag changes only when it is put in or out of use."""
    version = services.version_with_content(version_id)
    if version is None:
        raise ProblemAbort(problem(404, "Not Found", "no such grundlag version"))
    in_use_id = _in_use_id()
    etag = f"{version.content_hash[:40]}-{int(version.id == in_use_id)}"
    if etag in request.if_none_match:
        response = Response(status=304)
        response.set_etag(etag)
        return response
    body = _version_summary(version, in_use_id) | {
        "intro": version.intro,
        "parts": [
            {
                "key": part.key,
                "title": part.title,
                "audience": str(part.audience),
                "elements": [
                    {
                        "id": element.element_id,
                        "key": element.element.key,
                        "kind": str(element.kind),
                        "title": element.title,
                        "subtitle": element.subtitle,
                        "text": element.text,
                        "statements": [
                            {
                                "id": statement.statement_id,
                                "key": statement.statement.key,
                                "text": statement.text,
                            }
                            for statement in element.statements
                        ],
                    }
                    for element in part.elements
                ],
            }
            for part in version.parts
        ],
    }
    return body, 200, {"ETag": f'"{etag}"'}


# --- Rounds ---------------------------------------------------------------------------------


def _round_summary(conversation_round: ConversationRound) -> dict[str, Any]:
    return {
        "id": conversation_round.id,
        "kind": str(conversation_round.kind),
        "title": conversation_round.title,
        "deadline": conversation_round.deadline,
        "opened_at": conversation_round.opened_at,
    }


@blueprint.route("/rounds", methods=["GET"])
@secured(ROUNDS_READ)
@blueprint.arguments(PageQuery, location="query")
@blueprint.response(200, RoundPage)
@documented(400, 422)
def rounds(query: dict[str, Any]) -> dict[str, Any]:
    """Every conversation round (MUS, LUS, GUS), oldest first."""
    return paginated(query, services.rounds_after, _round_summary)


def _unit_fields(node: UnitNode, external: dict[int, str]) -> dict[str, Any]:
    return {
        "unit": external.get(node.id),
        "name": node.name or _("Hele organisationen"),
        "parent": external.get(node.parent_id) if node.parent_id is not None else None,
    }


@blueprint.route("/rounds/<int(max=2147483647):round_id>", methods=["GET"])
@secured(ROUNDS_READ)
@blueprint.response(200, RoundCompletion)
@documented(404)
def round_completion(round_id: int) -> dict[str, Any]:
    """A round with how many conversations reached each step, per unit with its subtree:
    the HR completion report's figures (steps of the process, never content)."""
    conversation_round = services.round_by_id(round_id)
    if conversation_round is None:
        raise ProblemAbort(problem(404, "Not Found", "no such round"))
    report = completion(conversation_round, None, today_in_denmark())
    external = services.external_unit_ids()
    return _round_summary(conversation_round) | {
        "totals": report.round_totals,
        "units": [_unit_fields(row.unit, external) | {"counts": row.counts} for row in report.rows],
    }


# --- Coverage -------------------------------------------------------------------------------


def _bad_query(name: str, detail: str) -> ProblemAbort:
    return ProblemAbort(
        problem(400, "Bad Request", detail, [{"pointer": f"/query/{name}", "detail": detail}])
    )


def _coverage_filter(query: dict[str, Any], version: FrameworkVersion) -> CoverageFilter:
    """The HR report's filters from the query; the same defaults as the report's page."""
    unit_id = None
    if query.get("unit"):
        unit = services.unit_by_external_id(query["unit"])
        if unit is None:
            raise _bad_query("unit", "no such unit")
        unit_id = unit.id
    part_id = None
    if query.get("part"):
        part = next((p for p in parts_of(version) if p.key == query["part"]), None)
        if part is None:
            raise _bad_query("part", "no such part in the grundlag in use")
        part_id = part.id
    today = today_in_denmark()
    start: date = query.get("start") or today - timedelta(days=365)
    end: date = query.get("end") or today
    round_id = None
    if query.get("round"):
        conversation_round = services.round_by_id(query["round"])
        if conversation_round is None:
            raise _bad_query("round", "no such round")
        round_id = conversation_round.id
        start, end = round_period(conversation_round)
    elif end < start:
        raise _bad_query("to", "the period ends before it begins")
    sources = tuple(source for source in SOURCES if source in (query.get("sources") or SOURCES))
    return CoverageFilter(part_id, unit_id, start, end, round_id, sources)


@blueprint.route("/reports/coverage", methods=["GET"])
@secured(REPORTS_READ)
@blueprint.arguments(CoverageQuery, location="query")
@blueprint.response(200, Coverage)
@documented(400, 422)
def coverage_report(query: dict[str, Any]) -> dict[str, Any]:
    """Per unit with its subtree, per element of a part of the grundlag in use: how many
    people work on it and how much feedback was given about it. Computed by the HR report
    itself, with the same anonymity rule: a suppressed unit has no figures at all."""
    version = version_for_choices()
    threshold = int(current_app.config["REPORT_MIN_GROUP"])
    if version is None:
        today = today_in_denmark()
        return {
            "part": None,
            "start": query.get("start") or today - timedelta(days=365),
            "end": query.get("end") or today,
            "sources": list(SOURCES),
            "threshold": threshold,
            "elements": [],
            "units": [],
        }
    filters = _coverage_filter(query, version)
    report = coverage(version, filters, threshold, None)
    external = services.external_unit_ids()
    return {
        "part": report.part.key if report.part else None,
        "start": filters.start,
        "end": filters.end,
        "sources": list(filters.sources),
        "threshold": report.threshold,
        "elements": [
            {"id": e.element_id, "key": e.element.key, "title": e.title} for e in report.elements
        ],
        "units": [
            _unit_fields(row.unit, external)
            | {
                "suppressed": row.unit.suppressed,
                "people": None if row.unit.suppressed else row.unit.people,
                "cells": [
                    {
                        "element": element_id,
                        "people": cell.people,
                        "share": cell.share,
                        "feedback": cell.feedback,
                    }
                    for element_id, cell in row.cells.items()
                ],
            }
            for row in report.rows
        ],
    }


# --- The organisation -----------------------------------------------------------------------


def _rows(body: dict[str, Any]) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The JSON organisation as the import's rows (numbered 1, 2, … units first), and the
    JSON pointer of each row."""
    rows: list[tuple[int, dict[str, str]]] = []
    pointers: list[str] = []
    for index, unit in enumerate(body["units"]):
        rows.append(
            (
                len(rows) + 1,
                {
                    "type": "enhed",
                    "id": (unit["id"] or "").strip(),
                    "navn": (unit["name"] or "").strip(),
                    "overordnet": (unit.get("parent") or "").strip(),
                    "leder": (unit.get("leader") or "").strip(),
                },
            )
        )
        pointers.append(f"/units/{index}")
    for index, person in enumerate(body["people"]):
        rows.append(
            (
                len(rows) + 1,
                {
                    "type": "person",
                    "id": (person["id"] or "").strip(),
                    "navn": (person["name"] or "").strip(),
                    "email": (person["email"] or "").strip(),
                    "enhed": (person["unit"] or "").strip(),
                    "startdato": (person.get("start_date") or "").strip(),
                    "slutdato": (person.get("end_date") or "").strip(),
                },
            )
        )
        pointers.append(f"/people/{index}")
    return rows, pointers


def _result(changes: SyncChanges, dry_run: bool, applied: bool) -> dict[str, Any]:
    def person(change: Any) -> dict[str, str]:
        return {"id": change.employee_number, "name": change.name}

    return {
        "dry_run": dry_run,
        "applied": applied,
        "units_created": changes.units_created,
        "units_renamed": [{"before": old, "after": new} for old, new in changes.units_renamed],
        "units_deactivated": changes.units_deactivated,
        "created": [person(change) for change in changes.created],
        "updated": [person(change) for change in changes.updated],
        "moved": [
            person(move) | {"from_unit": move.from_unit, "to_unit": move.to_unit}
            for move in changes.moved
        ],
        "deactivated": [person(change) for change in changes.deactivated],
        "leader_changes": [
            {
                "unit": change.unit,
                "unit_name": change.unit_name,
                "before": change.before,
                "after": change.after,
            }
            for change in changes.leader_changes
        ],
        "removed_people": changes.removed_people,
    }


@blueprint.route("/organisation", methods=["PUT", "POST"])
@secured(ORG_WRITE)
@blueprint.arguments(SyncQuery, location="query")
@blueprint.arguments(OrganisationIn)
@blueprint.response(200, SyncResult)
@documented(409, 413, 422)
def organisation(query: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """The whole organisation, units and people, as the CSV import takes it: checked the same
    way and synced by the same idempotent service. People missing from it are deactivated.
    With `dry_run=true` nothing is written and the answer says what would change. Nothing is
    written when any problem is found (422, each problem with its path)."""
    rows, pointers = _rows(body)
    try:
        org = check_org_rows(rows)
    except OrgFileError as error:
        raise ProblemAbort(
            problem(
                422,
                "Unprocessable Content",
                _("Organisationen har fejl. Intet er gemt."),
                [
                    {
                        "pointer": pointers[found.line - 1] if found.line else "",
                        "detail": found.message,
                    }
                    for found in error.problems
                ],
            )
        ) from None
    share = float(current_app.config["ORG_SYNC_MAX_DEACTIVATED_SHARE"])
    try:
        outcome = apply_sync(
            org,
            dry_run=query["dry_run"],
            max_deactivated_share=share,
            confirmed=query["confirm_deactivations"],
        )
    except OrganisationChanged:
        db.session.rollback()
        raise ProblemAbort(
            problem(
                409,
                "Conflict",
                "another sync changed the organisation while this one was compared with it; "
                "nothing is written. Send it again.",
            )
        ) from None
    if outcome.refused:
        changes = outcome.changes
        raise ProblemAbort(
            problem(
                409,
                "Conflict",
                f"the sync would deactivate {len(changes.deactivated)} of "
                f"{changes.active_before} active people, more than {share:.0%}; nothing is "
                "written. Send confirm_deactivations=true to apply it.",
                deactivated=len(changes.deactivated),
                active=changes.active_before,
            )
        )
    if outcome.applied:
        db.session.commit()
    return _result(outcome.changes, query["dry_run"], outcome.applied)
