"""Schemathesis against the running app: every operation of the OpenAPI document, called with
data generated from the document itself. No 500s, every answer matches the document.

Bounded so it stays quick (a few examples per operation, derandomized: the same calls every
run); the document's correctness is also checked by openapi-spec-validator elsewhere."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import Tokens
from tests.conftest import World

EXAMPLES = 8
# Schema-valid data may still be refused for what it means (an unknown unit, a cursor this API
# never gave, an organisation with a cycle): 400/422 with the reason, which is documented.
SEMANTIC = positive_data_acceptance


def _isolated(app: Flask) -> Callable[..., Iterable[bytes]]:
    """The app as a WSGI server runs it: each request in its own context (not the test's)."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return contextvars.Context().run(lambda: list(app(environ, start_response)))

    return wsgi


def test_every_operation_answers_as_documented_and_never_fails(
    app: Flask, world: World, tokens: Tokens
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _isolated(app))
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 7
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            case.call_and_validate(headers=tokens.header(), excluded_checks=[SEMANTIC])

        call()
