"""What an API client may do: the scopes. No scope reaches personal content (preparations,
plans, feedback, goals): the API has no endpoint that serves it."""

from __future__ import annotations

from devtrack.api.models import ApiClient

ORG_WRITE = "org:write"
GRUNDLAG_READ = "grundlag:read"
ROUNDS_READ = "rounds:read"
REPORTS_READ = "reports:read"
SCOPES = (ORG_WRITE, GRUNDLAG_READ, ROUNDS_READ, REPORTS_READ)


def has_scope(client: ApiClient, scope: str) -> bool:
    return scope in client.scope_list
