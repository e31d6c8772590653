"""Whether single sign-on is configured, without loading a protocol's library.

pysaml2 and Authlib add some 30 MB to every worker; `saml` and `oidc` are imported only where
their protocol is configured and used.
"""

from __future__ import annotations

from flask import Flask, current_app


def saml_configured() -> bool:
    return bool(current_app.config["SAML_IDP_METADATA"])


def oidc_configured(app: Flask | None = None) -> bool:
    """Of `app`, or of the current app."""
    return bool((app or current_app).config["OIDC_DISCOVERY_URL"])
