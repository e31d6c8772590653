"""Real identity providers for the single sign-on tests, started once per test session.

SimpleSAMLphp (Debian's `simplesamlphp`, served by PHP's built-in server) is the SAML 2.0
identity provider and the certified `oidc-provider` (npm, run with Node.js) the OpenID Connect
provider. Both are configured from the files beside this one (`simplesamlphp/`, `oidc/`) and
know the accounts in `users.json`. Starting both takes well under a second; they are stopped
when the session ends. devtrack runs on a live server per protocol setup, on addresses chosen
before the providers start (the providers must know devtrack's addresses).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from devtrack import create_app
from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.extensions import db
from tests.browser.server import serving

HERE = Path(__file__).resolve().parent
SIMPLESAMLPHP_WWW = Path("/usr/share/simplesamlphp/www")
PROJECT = HERE.parent.parent.parent
NODE_MODULES = PROJECT / "node_modules"
OIDC_CLIENT_SECRET = "devtrack-test-secret-not-used-anywhere-else"
PASSWORDS = {"emma": "emma-kodeord", "erik": "erik-kodeord", "hanne": "hanne-kodeord"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped at once: see its output above")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not answer on port {port}")


@dataclass(frozen=True)
class Providers:
    saml: str  # SimpleSAMLphp's address; its metadata is at /saml2/idp/metadata.php
    oidc: str  # oidc-provider's issuer
    devtrack: str  # where devtrack must run for the providers to accept it
    devtrack_encrypted: str  # the same, configured for encrypted assertions
    startup_seconds: float


@pytest.fixture(scope="session")
def identity_providers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Providers]:
    if not (SIMPLESAMLPHP_WWW / "index.php").exists():
        raise RuntimeError("SimpleSAMLphp mangler: kør 'make identity-providers' som root.")
    if not (NODE_MODULES / "oidc-provider").exists():
        raise RuntimeError("oidc-provider mangler: kør 'npm ci'.")
    saml_port, oidc_port, sp_port, sp_encrypted_port = (_free_port() for _ in range(4))
    providers_tmp = tmp_path_factory.mktemp("identity-providers")
    env = {
        **os.environ,
        "DEVTRACK_TEST_IDP_URL": f"http://127.0.0.1:{saml_port}",
        "DEVTRACK_TEST_IDP_TMP": str(providers_tmp),
        "DEVTRACK_TEST_SP_URL": f"http://127.0.0.1:{sp_port}",
        "DEVTRACK_TEST_SP_ENCRYPTED_URL": f"http://127.0.0.1:{sp_encrypted_port}",
        "SIMPLESAMLPHP_CONFIG_DIR": str(HERE / "simplesamlphp" / "config"),
        "OIDC_ISSUER": f"http://127.0.0.1:{oidc_port}",
        "PHP_CLI_SERVER_WORKERS": "2",
    }
    started = time.monotonic()
    log = (providers_tmp / "providers.log").open("wb")
    saml = subprocess.Popen(
        ["php", "-S", f"127.0.0.1:{saml_port}", "-t", str(SIMPLESAMLPHP_WWW)],
        env=env,
        cwd=providers_tmp,
        stdout=log,
        stderr=subprocess.STDOUT,
        # Its own process group: PHP's server forks workers, which must stop with it.
        start_new_session=True,
    )
    oidc = subprocess.Popen(
        ["node", str(HERE / "oidc" / "provider.mjs")],
        env={**env, "NODE_PATH": str(NODE_MODULES)},
        cwd=PROJECT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_port(saml_port, saml, "SimpleSAMLphp")
        _wait_for_port(oidc_port, oidc, "oidc-provider")
        yield Providers(
            saml=env["DEVTRACK_TEST_IDP_URL"],
            oidc=env["OIDC_ISSUER"],
            devtrack=env["DEVTRACK_TEST_SP_URL"],
            devtrack_encrypted=env["DEVTRACK_TEST_SP_ENCRYPTED_URL"],
            startup_seconds=time.monotonic() - started,
        )
    finally:
        os.killpg(saml.pid, signal.SIGTERM)
        oidc.terminate()
        for process in (saml, oidc):
            process.wait(timeout=10)
        log.close()


def sso_config(database_url: str, providers: Providers, public_url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SERVER_NAME": None,
        "WRITE_RATE_LIMIT": 100_000,
        "SIGNIN_RATE_LIMIT": 100_000,
        "PUBLIC_URL": public_url,
        "PASSWORD_SIGNIN": "admins",
        "SAML_IDP_METADATA": f"{providers.saml}/saml2/idp/metadata.php",
        "SAML_KEY_FILE": str(HERE / "keys" / "sp.key"),
        "SAML_CERT_FILE": str(HERE / "keys" / "sp.crt"),
        "SAML_BUTTON": "Log ind med KOMBIT",
        "SAML_HR_GROUP": "devtrack-hr",
        "OIDC_DISCOVERY_URL": f"{providers.oidc}/.well-known/openid-configuration",
        "OIDC_CLIENT_ID": "devtrack",
        "OIDC_CLIENT_SECRET": OIDC_CLIENT_SECRET,
        "OIDC_BUTTON": "Log ind med Entra ID",
        "OIDC_HR_GROUP": "devtrack-hr",
    }


def _serve(app: Flask, url: str) -> Iterator[str]:
    with serving(app, int(url.rsplit(":", 1)[1])):
        yield url
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def sso_server(app: Flask, database_url: str, identity_providers: Providers) -> Iterator[str]:
    """devtrack with both protocols configured, on the address the providers know. It shares
    the test database (and so the tests' `org`) with the `app` fixture, which built the schema."""
    sso_app = create_app(sso_config(database_url, identity_providers, identity_providers.devtrack))
    yield from _serve(sso_app, identity_providers.devtrack)


@pytest.fixture(scope="session")
def sso_server_encrypted(
    app: Flask, database_url: str, identity_providers: Providers
) -> Iterator[str]:
    """devtrack on the address to which SimpleSAMLphp sends every assertion encrypted."""
    url = identity_providers.devtrack_encrypted
    yield from _serve(create_app(sso_config(database_url, identity_providers, url)), url)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context per test (no provider's session carries over), patient enough
    for a round trip through the identity provider."""
    context = browser.new_context()
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def access_log(action: AccessAction) -> list[AccessLogEntry]:
    """The access log's entries of one kind, oldest first, as the live server wrote them."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AccessLogEntry)
            .where(AccessLogEntry.action == action)
            .order_by(AccessLogEntry.id)
        )
    )
