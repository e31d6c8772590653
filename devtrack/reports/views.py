from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.conversations.models import ConversationRound, RoundKind
from devtrack.extensions import db
from devtrack.grundlag.links import version_for_choices
from devtrack.i18n import today_in_denmark
from devtrack.people.models import OrgUnit
from devtrack.permissions import is_hr, require
from devtrack.reports.blueprint import blueprint
from devtrack.reports.charts import bar_chart
from devtrack.reports.services import (
    SOURCES,
    CoverageFilter,
    completion,
    completion_trend,
    coverage,
    round_period,
    rounds_newest_first,
)
from devtrack.reports.tables import (
    as_csv,
    as_xlsx,
    completion_table,
    coverage_table,
    suppressed_text,
)
from devtrack.reports.units import unit_choices

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Filters:
    """The filters as the person typed them, with a message for each that could not be used."""

    unit: OrgUnit | None = None
    conversation_round: ConversationRound | None = None
    part_id: int | None = None
    start: date = field(default_factory=today_in_denmark)
    end: date = field(default_factory=today_in_denmark)
    sources: tuple[str, ...] = SOURCES
    problems: dict[str, str] = field(default_factory=dict)

    def query(self) -> dict[str, Any]:
        """The filters as query parameters, for links to the exports."""
        values: dict[str, Any] = {
            "fra": self.start.isoformat(),
            "til": self.end.isoformat(),
            "kilder": list(self.sources),
        }
        if self.unit is not None:
            values["enhed"] = self.unit.id
        if self.conversation_round is not None:
            values["runde"] = self.conversation_round.id
        if self.part_id is not None:
            values["del"] = self.part_id
        return values


def _parse_day(name: str, default: date, filters: Filters) -> date:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        filters.problems[name] = _("Skriv datoen som år-måned-dag, fx 2027-03-01.")
        return default


def _filters() -> Filters:
    filters = Filters()
    unit_id = request.args.get("enhed", type=int)
    if request.args.get("enhed"):
        filters.unit = db.session.get(OrgUnit, unit_id) if unit_id else None
        if filters.unit is None:
            filters.problems["enhed"] = _("Enheden findes ikke; der vises hele organisationen.")
    round_id = request.args.get("runde", type=int)
    if request.args.get("runde"):
        filters.conversation_round = (
            db.session.get(ConversationRound, round_id) if round_id else None
        )
        if filters.conversation_round is None:
            filters.problems["runde"] = _("Runden findes ikke; der vises den valgte periode.")
    filters.part_id = request.args.get("del", type=int)
    today = today_in_denmark()
    filters.start = _parse_day("fra", today - timedelta(days=365), filters)
    filters.end = _parse_day("til", today, filters)
    if filters.end < filters.start:
        filters.problems["til"] = _("Perioden slutter, før den begynder. Der vises det seneste år.")
        filters.start, filters.end = today - timedelta(days=365), today
    chosen = tuple(source for source in request.args.getlist("kilder") if source in SOURCES)
    if request.args.getlist("kilder") and not chosen:
        filters.problems["kilder"] = _("Vælg mindst én kilde; der vises alle.")
    filters.sources = chosen or SOURCES
    if filters.conversation_round is not None:
        filters.start, filters.end = round_period(filters.conversation_round)
    return filters


def _threshold() -> int:
    return int(current_app.config["REPORT_MIN_GROUP"])


# Pages show the chosen unit and two levels below it (choose a unit to go deeper); the
# exports hold every unit.
SHOWN_DEPTH = 2


def _coverage_report(filters: Filters, max_depth: int | None = SHOWN_DEPTH) -> Any:
    version = version_for_choices()
    if version is None:
        return None
    return coverage(
        version,
        CoverageFilter(
            part_id=filters.part_id,
            unit_id=filters.unit.id if filters.unit else None,
            start=filters.start,
            end=filters.end,
            round_id=filters.conversation_round.id if filters.conversation_round else None,
            sources=filters.sources,
        ),
        _threshold(),
        max_depth,
    )


@blueprint.route("/")
@require(is_hr)
def index() -> str:
    return render_template("reports/index.html")


@blueprint.route("/daekning")
@require(is_hr)
def coverage_page() -> str:
    filters = _filters()
    report = _coverage_report(filters)
    chart = None
    if report is not None and report.rows and not report.rows[0].unit.suppressed:
        top = report.rows[0]
        chart = bar_chart(
            [(element.title, top.cells[element.element_id].share) for element in report.elements],
            title=_("Andel af personerne, der arbejder med hvert element"),
        )
    path, units = (
        (report.path, report.units)
        if report is not None
        else unit_choices(filters.unit.id if filters.unit else None, SHOWN_DEPTH)
    )
    return render_template(
        "reports/coverage.html",
        report=report,
        filters=filters,
        chart=chart,
        parts=report.parts if report is not None else [],
        path=path,
        units=units,
        rounds=rounds_newest_first(),
        sources=SOURCES,
        suppressed_text=suppressed_text,
    )


def _export(table: Any, kind: str, name: str, detail: str) -> Response:
    if kind not in EXPORT_TYPES:
        abort(404)
    body = as_csv(table) if kind == "csv" else as_xlsx(table, name)
    log_access(AccessAction.EXPORT, object_type=f"report_{name}", detail=detail)
    return Response(
        body,
        content_type=EXPORT_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="devtrack-{name}.{kind}"'},
    )


@blueprint.route("/daekning.<kind>")
@require(is_hr)
def coverage_export(kind: str) -> Response:
    filters = _filters()
    report = _coverage_report(filters, max_depth=None)
    table = coverage_table(report) if report is not None else ([], [])
    return _export(table, kind, "daekning", request.query_string.decode()[:400])


@blueprint.route("/gennemfoersel")
@require(is_hr)
def completion_page() -> str:
    filters = _filters()
    rounds = rounds_newest_first()
    chosen = filters.conversation_round or (rounds[0] if rounds else None)
    report = (
        completion(
            chosen, filters.unit.id if filters.unit else None, today_in_denmark(), SHOWN_DEPTH
        )
        if chosen
        else None
    )
    chart = None
    if report is not None and report.rows:
        shown = [row for row in report.rows if row.unit.depth == 1] or report.rows[:1]
        chart = bar_chart(
            [(row.unit.name or _("Hele organisationen"), row.share("held")) for row in shown],
            title=_("Andel af samtalerne, der er afholdt"),
        )
    trend = completion_trend(chosen.kind if chosen else RoundKind.MUS, report)
    return render_template(
        "reports/completion.html",
        report=report,
        filters=filters,
        chart=chart,
        trend=trend,
        rounds=rounds,
        chosen=chosen,
        path=report.path if report is not None else [],
        units=report.units if report is not None else [],
        today=today_in_denmark(),
    )


@blueprint.route("/gennemfoersel.<kind>")
@require(is_hr)
def completion_export(kind: str) -> Response:
    filters = _filters()
    rounds = rounds_newest_first()
    chosen = filters.conversation_round or (rounds[0] if rounds else None)
    table: Any = ([], [])
    if chosen is not None:
        unit_id = filters.unit.id if filters.unit else None
        table = completion_table(completion(chosen, unit_id, today_in_denmark()))
    return _export(table, kind, "gennemfoersel", request.query_string.decode()[:400])
