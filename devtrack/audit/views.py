from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, render_template, request
from flask_babel import gettext as _

from devtrack.audit.blueprint import blueprint
from devtrack.audit.labels import action_label, object_label
from devtrack.audit.models import AccessAction
from devtrack.audit.search import LogFilter, each_log_entry, log_entries
from devtrack.audit.services import log_access
from devtrack.exports import neutralise_cell
from devtrack.i18n import danish_datetime
from devtrack.permissions import is_admin, require

PAGE_SIZE = 100


def _parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filtered() -> tuple[LogFilter, dict[str, str], dict[str, str]]:
    args = {
        name: request.args.get(name, "").strip()[:200] for name in ("person", "actor", "fra", "til")
    }
    errors: dict[str, str] = {}
    start, end = _parse_day(args["fra"]), _parse_day(args["til"])
    if args["fra"] and start is None:
        errors["fra"] = _("Fra-datoen skal skrives som ÅÅÅÅ-MM-DD.")
    if args["til"] and end is None:
        errors["til"] = _("Til-datoen skal skrives som ÅÅÅÅ-MM-DD.")
    if start and end and end < start:
        errors["til"] = _("Til-datoen ligger før fra-datoen.")
    if errors:  # the days are left out until they are right; the names still filter
        start = end = None
    return LogFilter(args["person"], args["actor"], start, end), args, errors


@blueprint.route("/")
@require(is_admin)
def access_log() -> tuple[str, int]:
    chosen, args, errors = _filtered()
    return _log_page(chosen, args, errors)


def _log_page(chosen: LogFilter, args: dict[str, str], errors: dict[str, str]) -> tuple[str, int]:
    page = min(max(request.args.get("side", 1, type=int) or 1, 1), 100_000)
    entries = log_entries(chosen, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    log_access(AccessAction.READ, object_type="access_log", detail=str(args))
    page_html = render_template(
        "audit/log.html",
        action_label=action_label,
        object_label=object_label,
        entries=entries[:PAGE_SIZE],
        has_next=len(entries) > PAGE_SIZE,
        page=page,
        args=args,
        errors=errors,
    )
    return page_html, 400 if errors else 200


@blueprint.route("/eksport.csv")
@require(is_admin)
def access_log_export() -> Response | tuple[str, int]:
    chosen, args, errors = _filtered()
    if errors:  # an unreadable date must not quietly export the whole log
        return _log_page(chosen, args, errors)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Danish Excel needs the BOM to read UTF-8
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["tid", "handling", "aktør", "person", "objekt", "id", "adresse", "detaljer"])
    for entry in each_log_entry(chosen, limit=100_000):
        writer.writerow(
            neutralise_cell(value)
            for value in (
                danish_datetime(entry.at),
                entry.action.value,
                entry.actor.email
                if entry.actor
                else (f"api-client:{entry.api_client_id}" if entry.api_client_id else ""),
                entry.subject.email if entry.subject else "",
                entry.object_type,
                entry.object_id,
                entry.client_address,
                entry.detail,
            )
        )
    log_access(AccessAction.EXPORT, object_type="access_log", detail=str(args))
    return Response(
        buffer.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="adgangslog.csv"'},
    )
