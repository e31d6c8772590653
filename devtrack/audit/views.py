from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Response, render_template, request
from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased, joinedload

from devtrack.audit.blueprint import blueprint
from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.audit.services import log_access
from devtrack.exports import neutralise_cell
from devtrack.extensions import db
from devtrack.i18n import DANISH_TIME, danish_datetime
from devtrack.people.models import Person
from devtrack.permissions import is_admin, require

PAGE_SIZE = 100


def _parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filtered() -> tuple[Select[Any], dict[str, str], list[str]]:
    args = {
        name: request.args.get(name, "").strip()[:200] for name in ("person", "actor", "fra", "til")
    }
    errors = []
    statement = select(AccessLogEntry).options(
        joinedload(AccessLogEntry.actor), joinedload(AccessLogEntry.subject)
    )
    for name, column in (("person", AccessLogEntry.subject_id), ("actor", AccessLogEntry.actor_id)):
        if args[name]:
            who = aliased(Person)
            pattern = f"%{args[name].lower()}%"
            statement = statement.where(
                column.in_(
                    select(who.id).where(
                        or_(
                            who.email.like(pattern),
                            who.name.ilike(pattern),
                            who.employee_number == args[name],
                        )
                    )
                )
            )
    start, end = _parse_day(args["fra"]), _parse_day(args["til"])
    if args["fra"] and start is None:
        errors.append(_("Fra-datoen skal skrives som ÅÅÅÅ-MM-DD."))
    if args["til"] and end is None:
        errors.append(_("Til-datoen skal skrives som ÅÅÅÅ-MM-DD."))
    if start and end and end < start:
        errors.append(_("Til-datoen ligger før fra-datoen."))
    elif not errors:
        if start:
            statement = statement.where(
                AccessLogEntry.at >= datetime.combine(start, time.min, DANISH_TIME)
            )
        if end:
            statement = statement.where(
                AccessLogEntry.at < datetime.combine(end + timedelta(days=1), time.min, DANISH_TIME)
            )
    return statement.order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc()), args, errors


@blueprint.route("/")
@require(is_admin)
def access_log() -> str:
    statement, args, errors = _filtered()
    page = min(max(request.args.get("side", 1, type=int) or 1, 1), 100_000)
    entries = db.session.scalars(
        statement.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    log_access(AccessAction.READ, object_type="access_log", detail=str(args))
    db.session.commit()
    return render_template(
        "audit/log.html",
        entries=entries[:PAGE_SIZE],
        has_next=len(entries) > PAGE_SIZE,
        page=page,
        args=args,
        errors=errors,
    )


@blueprint.route("/eksport.csv")
@require(is_admin)
def access_log_export() -> Response:
    statement, args, _errors = _filtered()
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Danish Excel needs the BOM to read UTF-8
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["tid", "handling", "aktør", "person", "objekt", "id", "adresse", "detaljer"])
    for entry in db.session.scalars(statement.limit(100_000)):
        writer.writerow(
            neutralise_cell(value)
            for value in (
                danish_datetime(entry.at),
                entry.action.value,
                entry.actor.email if entry.actor else "",
                entry.subject.email if entry.subject else "",
                entry.object_type,
                entry.object_id,
                entry.client_address,
                entry.detail,
            )
        )
    log_access(AccessAction.EXPORT, object_type="access_log", detail=str(args))
    db.session.commit()
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="adgangslog.csv"'},
    )
