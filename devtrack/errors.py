"""Error pages in the site's layout; an unexpected error gets a reference the log can find.

When the database fails, the error page is drawn without it (`devtrack.database`): no
signed-in menu, no notification count, the configured organisation name.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from devtrack.audit.models import AccessAction
from devtrack.audit.services import log_access
from devtrack.database import mark_unavailable
from devtrack.extensions import db

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


# app.extensions key: {endpoint: labeller}. A labeller gets the view's arguments and the posted
# form and returns {field name: label} for the fields worth showing back (every answer, one
# word or many), or None when it cannot tell. Features register theirs with the factory.
FORM_LABELS = "devtrack.form_labels"
Labeller = Callable[[Mapping[str, Any], Mapping[str, str]], dict[str, str] | None]


# app.extensions key: {path prefix: responder}. A part of the site that answers in a format of
# its own (the JSON API) registers how it answers an HTTP error raised before any of its views
# was found: an unknown address under its prefix, or a method the address lacks.
ERROR_RESPONDERS = "devtrack.error_responders"
ErrorResponder = Callable[[HTTPException], ResponseReturnValue]


@dataclass(frozen=True)
class KeptText:
    label: str  # empty: the field is not known, the page numbers it
    text: str


def typed_text() -> list[KeptText]:
    """What the person typed into a form that could not be saved, to show back for copying.

    A form whose feature registered its labels shows every filled-in field under its own
    label (the question it answers), one-word answers included. Otherwise free text is kept:
    it has spaces; choices, dates and tokens do not. Passwords are never shown.
    """
    labels = None
    labeller = current_app.extensions.get(FORM_LABELS, {}).get(request.endpoint or "")
    if labeller is not None:
        try:
            labels = labeller(request.view_args or {}, request.form)
        except SQLAlchemyError:
            db.session.rollback()
    kept = []
    for name, value in request.form.items(multi=True):
        text = value.strip()
        if not text or "password" in name:
            continue
        if labels is not None:
            if name in labels:
                kept.append(KeptText(labels[name], text))
        elif " " in text:
            kept.append(KeptText("", text))
    return kept


def _render(template: str, **context: Any) -> str:
    """Render an error page; if its layout finds the database failing, draw it without."""
    try:
        return render_template(template, **context)
    except SQLAlchemyError:
        mark_unavailable()
        return render_template(template, **context)


def response_headers(error: HTTPException) -> dict[str, str]:
    """What an HTTP error tells the client beyond its body: when to retry (429, 503), which
    methods are allowed (405). The body, and so its Content-Type, is the caller's own."""
    return {name: value for name, value in error.get_headers() if name.lower() != "content-type"}


def _render_http_error(error: HTTPException) -> ResponseReturnValue:
    responders: dict[str, ErrorResponder] = current_app.extensions.get(ERROR_RESPONDERS, {})
    for prefix, respond in responders.items():
        if request.path.startswith(prefix):
            return respond(error)
    code = error.code or 500
    template = (
        f"errors/{code}.html" if code in (400, 403, 404, 405, 413, 429) else "errors/generic.html"
    )
    return _render(template, error=error), code, response_headers(error)


def _render_database_failure(reference: str) -> tuple[str, int]:
    mark_unavailable()
    if request.method in WRITE_METHODS:
        return render_template("errors/not_saved.html", kept=typed_text(), reference=reference), 503
    return render_template("errors/unavailable.html", reference=reference), 503


def _render_unexpected(error: Exception) -> tuple[str, int]:
    reference = secrets.token_hex(4).upper()
    original = getattr(error, "original_exception", None) or error
    current_app.logger.error(
        "Unexpected error, reference %s, on %s %s",
        reference,
        request.method,
        request.path,
        exc_info=(type(original), original, original.__traceback__),
        extra={"reference": reference, "event": "unexpected_error"},
    )
    if isinstance(original, SQLAlchemyError):
        return _render_database_failure(reference)
    try:
        db.session.rollback()
    except SQLAlchemyError:
        mark_unavailable()
    return _render("errors/500.html", reference=reference), 500


# Forms people send before signing in: refused there, nobody was signed out.
FORMS_WITHOUT_SIGNIN = frozenset({"auth.signin", "auth.password_link", "core.choose_language"})


def _render_csrf_error(error: CSRFError) -> tuple[str, int]:
    # A missing or tampered token may be an attack: log it, change nothing.
    current_app.logger.warning(
        "Refused %s %s: %s",
        request.method,
        request.path,
        error.description,
        extra={"event": "csrf_refused"},
    )
    log_access(AccessAction.DENIED, object_type="csrf", detail=f"{request.method} {request.path}")
    # An expired session must not lose what the person typed: show it back to copy.
    signed_out = not _signed_in() and request.endpoint not in FORMS_WITHOUT_SIGNIN
    return _render("errors/csrf.html", kept=typed_text(), signed_out=signed_out), 400


def _signed_in() -> bool:
    from flask_login import current_user

    return bool(current_user.is_authenticated)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _render_csrf_error)
    app.register_error_handler(HTTPException, _render_http_error)
    app.register_error_handler(InternalServerError, _render_unexpected)
    app.register_error_handler(Exception, _render_unexpected)
