"""OpenID Connect relying party on Authlib: discovery, code flow with PKCE, state and nonce.

Authlib keeps the state, the nonce and the PKCE verifier in the session cookie between the
redirect and the callback, checks the state, and validates the ID token (signature against the
provider's published keys, issuer, audience, expiry and nonce).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app, url_for
from werkzeug.wrappers import Response

CLIENT_NAME = "municipality"
OAUTH_KEY = "devtrack.oidc"


def init_app(app: Flask) -> None:
    """Register the identity provider's client (the factory calls this where OIDC is
    configured)."""
    oauth = OAuth(app)
    oauth.register(
        CLIENT_NAME,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=app.config["OIDC_DISCOVERY_URL"],
        client_kwargs={"scope": app.config["OIDC_SCOPES"], "code_challenge_method": "S256"},
    )
    app.extensions[OAUTH_KEY] = oauth


def _client() -> Any:
    return getattr(current_app.extensions[OAUTH_KEY], CLIENT_NAME)


def _public(endpoint: str) -> str:
    return str(current_app.config["PUBLIC_URL"]).rstrip("/") + url_for(endpoint)


def signin_redirect() -> Response:
    response: Response = _client().authorize_redirect(_public("sso.oidc_callback"))
    return response


def read_callback() -> tuple[dict[str, Any], dict[str, str]]:
    """The validated ID token's claims and what sign-out needs; raises if a check fails."""
    client = _client()
    token = client.authorize_access_token()
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        raise ValueError("no ID token")
    # Providers that keep the profile claims out of the ID token give them at the userinfo
    # endpoint, for the same subject.
    identifier = current_app.config["OIDC_CLAIMS"].get(current_app.config["OIDC_IDENTIFIER"])
    if identifier not in claims and client.load_server_metadata().get("userinfo_endpoint"):
        more = dict(client.userinfo(token=token))
        if more.get("sub") != claims["sub"]:
            raise ValueError("userinfo is about another subject")
        claims = {**more, **claims}
    return claims, {"protocol": "oidc", "id_token": str(token.get("id_token", ""))}


def logout_url(idp_session: dict[str, str]) -> str | None:
    """The provider's end_session_endpoint (RP-initiated logout), if it has one."""
    metadata = _client().load_server_metadata()
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": idp_session.get("id_token", ""),
            "post_logout_redirect_uri": _public("auth.signin"),
            "client_id": current_app.config["OIDC_CLIENT_ID"],
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
