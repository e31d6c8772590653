"""Configuration: defaults here, then `instance/config.py`, then `DEVTRACK_*` variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, ClassVar

from flask import Flask

from devtrack.i18n import DANISH_TIME


class DefaultConfig:
    SECRET_KEY: str | None = None
    # Filled in by `load_config` with a SQLite file in the instance folder unless configured.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = 5000

    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = DANISH_TIME.key
    LANGUAGES = ("da", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Secure cookies and HSTS whenever devtrack is served over HTTPS (see `PREFER_HTTPS`).
    SESSION_COOKIE_SECURE = False
    PREFER_HTTPS = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 8  # one working day
    # Number of reverse proxies in front of devtrack whose X-Forwarded-* headers are trusted.
    TRUSTED_PROXIES = 0

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024

    # Failed sign-ins per e-mail from one address, then per e-mail from anywhere, before each
    # further attempt must wait: 30 s, 1 min, 2 min... up to the maximum. Never a hard lock.
    SIGNIN_FREE_FAILURES = 5
    SIGNIN_ACCOUNT_FREE_FAILURES = 50
    SIGNIN_FIRST_WAIT_SECONDS = 30
    SIGNIN_MAX_WAIT_SECONDS = 15 * 60
    SIGNIN_FAILURE_MEMORY_HOURS = 24
    PASSWORD_MIN_LENGTH = 12
    # argon2id's cost: passes, memory (KiB) and lanes; argon2-cffi's recommended defaults
    # (RFC 9106's second choice). A stored hash made with other costs is re-hashed at the
    # person's next sign-in.
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_KIB = 64 * 1024
    PASSWORD_HASH_PARALLELISM = 4
    # Rate limits, counted in the database (shared by every worker and host).
    # Failed sign-ins (only failures) per client address: high, as a NAT may hide a workforce.
    SIGNIN_RATE_LIMIT = 100
    SIGNIN_RATE_WINDOW_SECONDS = 300
    WRITE_RATE_LIMIT = 120
    WRITE_RATE_WINDOW_SECONDS = 60
    PASSWORD_LINK_HOURS = 72

    # Where `npm install` puts the Danish design system; served under /assets/dkfds/.
    DKFDS_DIST: str | None = None
    # Swagger UI for the API's documentation page (/api/v1/docs/), also from `npm install`.
    SWAGGER_UI_DIST: str | None = None
    ORGANISATION_NAME = "devtrack"
    # The municipality shown in the header and on printouts (`DEVTRACK_MUNICIPALITY_NAME`);
    # empty: the organisation named by the grundlag in use. The logo is an image file on this
    # server (absolute, or relative to the instance folder), served by devtrack itself.
    MUNICIPALITY_NAME = ""
    MUNICIPALITY_LOGO = ""
    # The address people reach devtrack at: links in e-mails point here.
    PUBLIC_URL = "http://127.0.0.1:5000"
    # E-mail is sent only when a mail server is configured; the outbox waits otherwise.
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_FROM = "devtrack@localhost"
    # How many days before a deadline `flask devtrack remind` tells the person.
    DEADLINE_REMINDER_DAYS = 7
    # The MUS round's reminders (`flask devtrack remind`), in days: a preparation not finished
    # this long before the booked meeting; the round's deadline; an agreement's deadline; the
    # plan's follow-up date.
    PREPARATION_REMINDER_DAYS = 3
    ROUND_DEADLINE_REMINDER_DAYS = 14
    AGREEMENT_REMINDER_DAYS = 14
    FOLLOW_UP_REMINDER_DAYS = 7
    TIMELINE_PAGE_SIZE = 20
    # Where pg_dump/pg_restore of the server's version live, if not first on PATH.
    PG_BIN_DIR: str | None = None
    # Personal content is deleted this many years after employment ended (`devtrack retention`).
    RETENTION_YEARS = 5
    ACCESS_LOG_RETENTION_YEARS = 5
    # E-mails the mail server took are deleted from the outbox this many days later.
    OUTBOX_RETENTION_DAYS = 30
    # HR reports hide any figure built from fewer active people than this.
    REPORT_MIN_GROUP = 5
    LOG_JSON = False
    # The largest grundlag (or template) file an import reads; larger ones are refused unread.
    IMPORT_MAX_MB = 5
    # The largest organisation file (CSV): 45,000 people take about 5 MB.
    ORG_FILE_MAX_MB = 50
    # An organisation sync (the API's, the import page's) that would deactivate more than
    # this share of the active people is refused until it is confirmed.
    ORG_SYNC_MAX_DEACTIVATED_SHARE = 0.1
    # How long a new API client's token lasts, and its calls per minute.
    API_CLIENT_DAYS = 365
    API_CLIENT_RATE_LIMIT = 600
    # `/healthz` answers 503 when a SQLite database has less free disk space than this beside it.
    HEALTH_MIN_FREE_MB = 50

    # Single sign-on (README, "Single sign-on"). Local passwords: "everyone", "admins" (a
    # break-glass administrator beside the municipality's sign-in) or "off".
    PASSWORD_SIGNIN = "everyone"  # noqa: S105 (who may use a password, not one)
    # SAML 2.0: the identity provider's metadata (an https address or a file); empty: no SAML.
    SAML_IDP_METADATA = ""
    # Default: PUBLIC_URL + "/saml/metadata", the address the signed metadata is served at.
    SAML_ENTITY_ID = ""
    # devtrack's own key and certificate (PEM files, relative to the instance folder): signs
    # requests and metadata, decrypts encrypted assertions.
    SAML_KEY_FILE = "saml/sp.key"
    SAML_CERT_FILE = "saml/sp.crt"
    SAML_BUTTON = ""  # the button's text; empty: "Log ind med kommunens login"
    # The person's field the identifying attribute is matched with: email or employee_number.
    SAML_IDENTIFIER = "email"
    # devtrack's names -> the attribute names the IdP sends (OIOSAML 3 out of the box).
    SAML_ATTRIBUTES: ClassVar[dict[str, str]] = {
        "email": "https://data.gov.dk/model/core/eid/email",
        "employee_number": "https://data.gov.dk/model/core/eid/professional/uuid/persistent",
        "name": "https://data.gov.dk/model/core/eid/fullName",
        "groups": "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
    }
    # Roles from a group: a value of the "groups" attribute. Empty (the default): roles are
    # kept in devtrack and the identity provider's groups are not read.
    SAML_HR_GROUP = ""
    SAML_ADMIN_GROUP = ""
    SAML_CLOCK_SKEW_SECONDS = 60
    # OpenID Connect: the provider's discovery document; empty: no OpenID Connect.
    OIDC_DISCOVERY_URL = ""
    OIDC_CLIENT_ID = ""
    OIDC_CLIENT_SECRET = ""
    OIDC_SCOPES = "openid email profile"
    OIDC_BUTTON = ""
    OIDC_IDENTIFIER = "email"
    OIDC_CLAIMS: ClassVar[dict[str, str]] = {
        "email": "email",
        "employee_number": "employee_number",
        "name": "name",
        "groups": "groups",
    }
    OIDC_HR_GROUP = ""
    OIDC_ADMIN_GROUP = ""


def _normalise_database_url(url: str) -> str:
    """Accept the URLs hosting platforms hand out and use the psycopg 3 driver for PostgreSQL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key(instance_path: Path) -> str:
    """Read the instance's secret key, generating it (readable by the owner only) on first run."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("DEVTRACK")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if overrides:
        app.config.update(overrides)

    instance_path = Path(app.instance_path)
    instance_path.mkdir(parents=True, exist_ok=True)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if not uri:
        uri = f"sqlite:///{instance_path / 'devtrack.sqlite3'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_database_url(uri)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _secret_key(instance_path)
    if app.config["PREFER_HTTPS"]:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"
    if not app.config["DKFDS_DIST"]:
        project_root = Path(app.root_path).parent
        app.config["DKFDS_DIST"] = str(project_root / "node_modules" / "dkfds" / "dist")
    if not app.config["SWAGGER_UI_DIST"]:
        project_root = Path(app.root_path).parent
        app.config["SWAGGER_UI_DIST"] = str(project_root / "node_modules" / "swagger-ui-dist")
