"""The API's blueprint and its OpenAPI document, built by flask-smorest from the code.

flask-smorest rather than APIFlask: it plugs into devtrack's own `Flask` app and factory (APIFlask
wants its own app class), documents marshmallow schemas and webargs arguments as OpenAPI 3, and
leaves error handling and authentication to us. Its app-wide JSON error handler is not
registered: devtrack's pages keep their Danish error pages; the API answers problem details
(RFC 9457) from its own blueprint.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request
from flask_smorest import Api, Blueprint  # type: ignore[import-untyped]
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from devtrack.api.problems import PROBLEM_JSON, Problem, ProblemAbort, problem
from devtrack.errors import ERROR_RESPONDERS, response_headers
from devtrack.extensions import db

__all__ = ["Problem", "ProblemAbort", "blueprint", "documented", "problem", "secured"]

F = TypeVar("F", bound=Callable[..., Any])

SECURITY_SCHEME = "bearerToken"

blueprint = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="devtrack's JSON API: the organisation in, the grundlag, rounds and figures out.",
)


def _pointers(messages: Any, location: str) -> list[dict[str, str]]:
    """webargs' nested messages as (pointer, detail) pairs."""
    found: list[dict[str, str]] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{path}/{key}")
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            found.extend({"pointer": path or "/", "detail": item} for item in value)
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(inner, f"{path}/{index}")
        else:
            found.append({"pointer": path or "/", "detail": str(value)})

    walk(messages, "" if location == "json" else f"/{location}")
    return found


def _http_problem(error: HTTPException) -> Response:
    if isinstance(error.response, Response) and error.response.content_type == PROBLEM_JSON:
        return error.response
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    errors = None
    if isinstance(messages, dict):
        errors = []
        for location, inner in messages.items():
            errors.extend(_pointers(inner, location))
    headers = response_headers(error) | dict(data.get("headers") or {})
    return problem(code, error.name, error.description if errors is None else None, errors, headers)


def _unexpected_problem(error: Exception) -> Response:
    reference = secrets.token_hex(4).upper()
    original = getattr(error, "original_exception", None) or error
    current_app.logger.error(
        "Unexpected API error, reference %s, on %s %s",
        reference,
        request.method,
        request.path,
        exc_info=(type(original), original, original.__traceback__),
        extra={"reference": reference, "event": "unexpected_error"},
    )
    with contextlib.suppress(SQLAlchemyError):
        db.session.rollback()
    status = 503 if isinstance(original, SQLAlchemyError) else 500
    return problem(status, "Internal Server Error", f"reference {reference}")


blueprint.register_error_handler(HTTPException, _http_problem)
blueprint.register_error_handler(Exception, _unexpected_problem)


class DevtrackApi(Api):  # type: ignore[misc]
    # Each view documents its own problem responses (`documented`).
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self) -> None:
        """Problem details on the API's blueprint only (below), not for the whole app."""


def documented(
    *statuses: int,
) -> Callable[[F], F]:
    """Document the problem responses a view may answer."""

    def decorator(view: F) -> F:
        for status in statuses:
            view = blueprint.alt_response(
                status, schema=Problem, content_type=PROBLEM_JSON, description=_REASONS[status]
            )(view)
        return view

    return decorator


_REASONS = {
    400: "The query is not understood (a bad cursor, an unknown unit).",
    401: "No token, or an unknown, expired or revoked one.",
    403: "The client lacks the endpoint's scope.",
    404: "Not found.",
    409: (
        "Refused, nothing written: the sync would deactivate too many people (see "
        "confirm_deactivations), or another sync changed the organisation meanwhile (send again)."
    ),
    413: "The body is too large.",
    422: "The request does not validate; `errors` names each problem's path.",
    429: "Too many calls from this client in the current minute.",
}


def init_app(app: Flask) -> DevtrackApi:
    """Register the API (its views are imported by the factory before this is called)."""
    from devtrack.extensions import csrf

    # An unknown address or method under the API's prefix is the API's too: problem details.
    app.extensions.setdefault(ERROR_RESPONDERS, {})[f"{blueprint.url_prefix}/"] = _http_problem
    app.config.setdefault("API_TITLE", "devtrack")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = DevtrackApi(
        app,
        spec_kwargs={
            "info": {
                "description": (
                    "Clients authenticate with `Authorization: Bearer <token>`; an "
                    "administrator creates clients with scopes. Errors are RFC 9457 problem "
                    "details."
                )
            }
        },
    )
    api.spec.components.security_scheme(
        SECURITY_SCHEME,
        {"type": "http", "scheme": "bearer", "description": "dt_<id>_<secret>"},
    )
    csrf.exempt(blueprint)
    api.register_blueprint(blueprint)
    # First of all: the app's own before-request functions read the form (the NUL check),
    # and reading is where the size limit is enforced.
    app.before_request_funcs.setdefault(None, []).insert(0, _allow_large_organisations)
    return api


def _allow_large_organisations() -> None:
    """The organisation sync takes the whole organisation in one body, as large as the
    organisation file may be (`ORG_FILE_MAX_MB`), not the app's `MAX_CONTENT_LENGTH`."""
    if request.endpoint == "api.organisation":
        request.max_content_length = int(current_app.config["ORG_FILE_MAX_MB"]) * 1024 * 1024


def secured(scope: str) -> Callable[[F], F]:
    """Let a view run only for a client with `scope` (devtrack.api.auth) and document it."""
    from devtrack.api.auth import authenticate

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            authenticate(scope)
            return view(*args, **kwargs)

        documented_view = documented(401, 403, 429)(wrapped)
        return blueprint.doc(security=[{SECURITY_SCHEME: [scope]}])(documented_view)  # type: ignore[no-any-return]

    return decorator
