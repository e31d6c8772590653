"""The application shell: health check, configuration, headers, errors, language."""

from __future__ import annotations

import logging
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from devtrack.config import _normalise_database_url, _secret_key
from devtrack.extensions import db
from devtrack.goals.services import create_goal
from tests.conftest import AppFactory, Org, World, choice, post, sign_in


def test_healthz_answers_200_with_the_database_reachable(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "writable": True}


def test_healthz_answers_503_when_the_database_is_unreachable(
    make_app: AppFactory, tmp_path: Path
) -> None:
    broken = make_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            # A directory cannot be opened as a SQLite database.
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}",
        }
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "unreachable", "writable": False}


def test_environment_settings_override_defaults(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEVTRACK_SIGNIN_FREE_FAILURES", "9")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/devtrack")
    app = make_app({"SECRET_KEY": "x"})
    assert app.config["SIGNIN_FREE_FAILURES"] == 9
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db.example/devtrack"


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(app: Flask) -> None:
    from devtrack.extensions import db

    if db.engine.dialect.name != "sqlite":
        assert db.engine.dialect.name == "postgresql"
        return
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_database_urls_are_normalised_to_psycopg() -> None:
    assert _normalise_database_url("postgresql://h/d") == "postgresql+psycopg://h/d"
    assert _normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    first = _secret_key(tmp_path)
    assert len(first) == 64
    assert _secret_key(tmp_path) == first
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_pages_carry_a_strict_content_security_policy(client: FlaskClient) -> None:
    response = client.get("/tilgaengelighed")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert "<script>" not in response.text and "style=" not in response.text


def test_unknown_page_shows_the_404_page_in_danish(client: FlaskClient) -> None:
    response = client.get("/findes-ikke")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.text
    assert 'lang="da"' in response.text


def test_unexpected_error_shows_a_reference_that_is_in_the_log(
    make_app: AppFactory, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("kaboom")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Der opstod en uventet fejl" in response.text
    reference = response.text.split('class="error-reference">')[1].split("<")[0]
    assert len(reference) == 8
    logged = [record for record in caplog.records if reference in record.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert "kaboom" not in response.text


def test_language_switch_shows_english_and_back(client: FlaskClient, org: Org) -> None:
    sign_in(client, org.employee)
    assert "Vores grundlag" in client.get("/").text
    response = post(client, "/sprog/en", {"next": "/"}, follow_redirects=True)
    assert 'lang="en"' in response.text
    assert "Our foundation" in response.text
    assert "Vores grundlag" not in response.text
    post(client, "/sprog/da", {"next": "/"})
    assert "Vores grundlag" in client.get("/").text


def test_the_language_buttons_post_with_csrf_and_return_to_the_same_page(
    client: FlaskClient, org: Org
) -> None:
    sign_in(client, org.employee)
    page = client.get("/tidslinje/?side=1").text
    form = re.search(r'<form method="post" action="/sprog/en">(.*?)</form>', page, re.S)
    assert form is not None
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(1)))
    assert fields["next"] == "/tidslinje/?side=1" and fields["csrf_token"]
    response = client.post("/sprog/en", data=fields)
    assert response.headers["Location"] == "/tidslinje/?side=1"
    assert client.post("/sprog/da", data={"next": "/"}).status_code == 400  # no CSRF token


def test_following_a_language_link_changes_nothing(client: FlaskClient, org: Org) -> None:
    """A GET (a link or an image on any site) must not change the stored language."""
    sign_in(client, org.employee)
    refused = client.get("/sprog/en?next=/")
    assert refused.status_code == 405 and set(refused.headers["Allow"].split(", ")) == {
        "OPTIONS",
        "POST",
    }
    db.session.refresh(org.employee)
    assert org.employee.language is None
    assert 'lang="da"' in client.get("/").text


def test_language_switch_never_redirects_off_site(client: FlaskClient) -> None:
    response = post(client, "/sprog/en", {"next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_danish_time_formatting(app: Flask) -> None:
    from datetime import UTC, datetime

    from devtrack.i18n import danish_datetime

    with app.test_request_context():
        # 12:30 UTC on a winter day is 13.30 in Copenhagen.
        shown = danish_datetime(datetime(2026, 1, 15, 12, 30, tzinfo=UTC))
    assert "13.30" in shown and "2026" in shown and "jan" in shown


def test_texts_and_labels_follow_a_language_switched_within_the_request(app: Flask) -> None:
    """A page in Danish that writes an e-mail in English (force_locale) shows Danish before and
    after it: the catalogue and the labels kept per language follow the switch."""
    from flask_babel import force_locale

    from devtrack.conversations.labels import HELPERS
    from devtrack.conversations.models import ConversationState

    state_label = HELPERS["conversation_state_label"]
    heading = app.jinja_env.from_string('{{ _("Mine medarbejdere") }}')
    with app.test_request_context():
        danish = (state_label(ConversationState.HELD), heading.render())
        with force_locale("en"):
            english = (state_label(ConversationState.HELD), heading.render())
        again = (state_label(ConversationState.HELD), heading.render())
    assert danish == again == ("Afholdt", "Mine medarbejdere")
    assert english == ("Held", "My employees")


def test_a_lists_links_are_the_addresses_url_for_gives(app: Flask) -> None:
    from flask import url_for

    from devtrack.addresses import addresses

    ids = [1, 42, 2**40]
    lists: list[tuple[str, str, dict[str, Any]]] = [
        ("timeline.person", "person_id", {}),
        ("conversations.agreement_edit", "agreement_id", {"conversation_id": 7}),
        ("reports.coverage_page", "enhed", {}),  # a query-string argument
    ]
    with app.test_request_context("/mine-medarbejdere"):
        for endpoint, key, values in lists:
            built = addresses(endpoint, key, **values)
            expected = [url_for(endpoint, **{**values, key: i}) for i in ids]
            assert [built(i) for i in ids] == expected, endpoint


def test_the_front_page_shows_goals_requests_and_the_mus(
    client: FlaskClient, world: World, count_queries: Any
) -> None:
    sign_in(client, world.employee)
    with count_queries() as few:
        page = client.get("/").text
    assert "Tage ordet på personalemøder" in page  # an open goal
    assert "MUS 2027" in page and "Inviteret" in page
    colleague = client.application.test_client()
    sign_in(colleague, world.colleague)
    assert "Emma Åkjær: Helhed" in colleague.get("/").text  # her request waits for Erik
    for number in range(8):
        create_goal(
            world.employee,
            title=f"Mål {number}",
            description="",
            target_date=None,
            choices=[choice("mod")],
            share=True,
        )
    db.session.commit()
    with count_queries() as more:
        assert "Alle 10 åbne mål" in client.get("/").text
    assert len(more) == len(few)


def test_stylesheets_and_scripts_are_kept_a_year_under_addresses_that_change_with_them(
    client: FlaskClient,
) -> None:
    page = client.get("/tilgaengelighed").text
    addresses = re.findall(r'(?:href|src)="(/(?:static|assets/dkfds)/[^"]+)"', page)
    assert len(addresses) >= 4
    for address in addresses:
        assert re.search(r"\?v=[0-9a-f]{12}$", address), address
        path = address.split("?")[0]
        for asked, kept_a_year in (
            (address, True),
            (path, False),
            (f"{path}?v=000000000000", False),
        ):
            with client.get(asked) as response:
                assert response.status_code == 200
                cache_control = response.headers.get("Cache-Control", "")
            assert ("max-age=31536000" in cache_control) is kept_a_year, (asked, cache_control)
            assert ("immutable" in cache_control) is kept_a_year, (asked, cache_control)


def test_a_worker_serving_pages_does_not_load_the_pdf_libraries() -> None:
    """WeasyPrint and its libraries add about 20 MB to every worker that imports them; only
    the plan's PDF download needs them (tests/conversations/test_plan_document.py). So do
    pysaml2 and Authlib (some 30 MB), needed only where single sign-on is configured
    (tests/browser/sso), and openpyxl, needed only by an XLSX export."""
    import subprocess
    import sys
    from pathlib import Path

    program = (
        "import sys\n"
        "from devtrack import create_app\n"
        "app = create_app({'SQLALCHEMY_DATABASE_URI': 'sqlite://', 'SECRET_KEY': 'x'})\n"
        "app.test_client().get('/log-ind')\n"
        "heavy = {'weasyprint', 'saml2', 'authlib', 'openpyxl'}\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"
