"""Security headers on every response, and requests refused before they reach a view."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, abort, request

# The endpoints that serve files rather than pages (devtrack.core.assets): browsers may keep
# what they answer.
ASSET_ENDPOINTS = ("static", "core.dkfds_asset", "core.municipality_logo", "api_docs.asset")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


MAX_REDIRECT_LENGTH = 2000


def safe_redirect_target(target: str | None, fallback: str = "/") -> str:
    """A `next=` address to redirect to: a path on this site, normalised, or else `fallback`.

    Browsers drop tabs and line breaks from addresses and read a backslash as a slash, so
    `/%09/evil.example` (a tab) becomes `//evil.example`: another site. The target is refused if it
    holds any such character, then parsed, and only its path, query and fragment are kept.
    """
    if not target or len(target) > MAX_REDIRECT_LENGTH:
        return fallback
    # `isprintable` is False for control characters (tab, CR, LF, NUL...) and Unicode spaces
    # and separators other than the plain space.
    if not target.isprintable() or "\\" in target or target.startswith("//"):
        return fallback
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. an unbalanced "[" read as an IPv6 host
        return fallback
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return fallback
    if parts.path.startswith("//"):
        return fallback
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment))


def _set_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Pages may hold personal data: never keep them in a shared or browser cache.
    # Static assets set their own caching and are left alone.
    if request.endpoint not in ASSET_ENDPOINTS:
        headers["Cache-Control"] = "no-store"
    return response


def _refuse_nul_characters() -> None:
    """No one types a NUL character; PostgreSQL cannot store one. Refuse it at the door."""
    # Every value of a repeated parameter (`?a=x&a=%00`), and the names too.
    values = [request.path]
    for multidict in (request.args, request.form):
        for name, given in multidict.lists():
            values += [name, *given]
    if any("\x00" in value for value in values):
        abort(400)


def init_app(app: Flask) -> None:
    from devtrack.limits.services import limit_writes

    app.before_request(_refuse_nul_characters)
    app.before_request(limit_writes)
    app.after_request(_set_headers)
