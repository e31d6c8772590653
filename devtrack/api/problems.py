"""Problem details (RFC 9457): how the API says what went wrong, and where."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"


class ProblemItem(ma.Schema):
    pointer = ma.fields.String(
        metadata={"description": "JSON Pointer to the field or row, e.g. /people/3 or /query/unit"}
    )
    detail = ma.fields.String()


class Problem(ma.Schema):
    """RFC 9457 problem details."""

    type = ma.fields.String(metadata={"example": "about:blank"})
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String()
    errors = ma.fields.List(ma.fields.Nested(ProblemItem))


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.content_type = PROBLEM_JSON
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


class ProblemAbort(HTTPException):
    """Abort a view with a problem-details response already made."""

    def __init__(self, response: Response) -> None:
        super().__init__(response=response)
        self.code = response.status_code
