"""Who is calling: the bearer token's client, with its scope, within its rate limit.

Every call is in the access log with the client as its actor: a refusal as `denied`, a read
as `read`, a write as `update`.
"""

from __future__ import annotations

from flask import request

from devtrack.api.models import ApiClient
from devtrack.api.permissions import has_scope
from devtrack.api.problems import ProblemAbort, problem
from devtrack.api.services import client_for_token
from devtrack.audit.models import AccessAction
from devtrack.audit.services import act_as_api_client, log_access
from devtrack.i18n import utcnow
from devtrack.limits.services import hit, seconds_left

RATE_WINDOW_SECONDS = 60
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="devtrack"'}


def _refuse(
    status: int,
    title: str,
    detail: str,
    client: ApiClient | None = None,
    headers: dict[str, str] | None = None,
) -> ProblemAbort:
    if client is not None:
        act_as_api_client(client.id)
    log_access(
        AccessAction.DENIED,
        object_type="api",
        detail=f"{request.method} {request.full_path.rstrip('?')}: {detail}",
    )
    if status == 401:
        headers = _CHALLENGE
    return ProblemAbort(problem(status, title, detail, headers=headers))


def authenticate(scope: str) -> ApiClient:
    header = request.headers.get("Authorization", "")
    kind, _, token = header.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        raise _refuse(401, "Unauthorized", "a bearer token is needed")
    client = client_for_token(token.strip())
    if client is None:
        raise _refuse(401, "Unauthorized", "unknown token")
    if client.revoked_at is not None:
        raise _refuse(401, "Unauthorized", "the token is revoked", client)
    if not client.usable(utcnow()):
        raise _refuse(401, "Unauthorized", "the token has expired", client)
    if not has_scope(client, scope):
        raise _refuse(403, "Forbidden", f"the client lacks the scope {scope}", client)
    if not hit(f"api:client:{client.id}", client.rate_limit, RATE_WINDOW_SECONDS):
        raise _refuse(
            429,
            "Too Many Requests",
            "the client's rate limit is reached",
            client,
            {"Retry-After": str(seconds_left(RATE_WINDOW_SECONDS))},
        )
    act_as_api_client(client.id)
    action = AccessAction.READ if request.method in ("GET", "HEAD") else AccessAction.UPDATE
    where = request.full_path.rstrip("?")
    log_access(action, object_type="api", detail=f"{request.method} {where}")
    return client
