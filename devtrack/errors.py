"""Error pages in the site's layout; an unexpected error gets a reference the log can find."""

from __future__ import annotations

import secrets

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.extensions import db


def _render_http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    template = (
        f"errors/{code}.html" if code in (400, 403, 404, 405, 413, 429) else "errors/generic.html"
    )
    return render_template(template, error=error), code


def _render_unexpected(error: Exception) -> tuple[str, int]:
    reference = secrets.token_hex(4).upper()
    db.session.rollback()
    original = getattr(error, "original_exception", None) or error
    current_app.logger.error(
        "Unexpected error, reference %s, on %s %s",
        reference,
        request.method,
        request.path,
        exc_info=(type(original), original, original.__traceback__),
        extra={"reference": reference, "event": "unexpected_error"},
    )
    return render_template("errors/500.html", reference=reference), 500


def _render_csrf_error(error: CSRFError) -> tuple[str, int]:
    # A missing or tampered token may be an attack: log it, change nothing.
    current_app.logger.warning(
        "Refused %s %s: %s",
        request.method,
        request.path,
        error.description,
        extra={"event": "csrf_refused"},
    )
    db.session.rollback()
    log_access(AccessAction.DENIED, object_type="csrf", detail=f"{request.method} {request.path}")
    db.session.commit()
    # An expired session must not lose what the person typed: show it back to copy.
    # Free text has spaces; choices, dates and tokens do not. Passwords are never shown.
    kept = [
        value.strip()
        for name, value in request.form.items(multi=True)
        if "password" not in name and " " in value.strip()
    ]
    return render_template("errors/csrf.html", kept=kept), 400


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _render_csrf_error)
    app.register_error_handler(HTTPException, _render_http_error)
    app.register_error_handler(InternalServerError, _render_unexpected)
    app.register_error_handler(Exception, _render_unexpected)
