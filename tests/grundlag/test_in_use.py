"""The grundlag in use is kept in each app process, and every process sees a change at once."""

from __future__ import annotations

from typing import Any

from flask import Flask

from devtrack.extensions import db
from devtrack.grundlag.importer import parse_grundlag
from devtrack.grundlag.services import import_grundlag, put_in_use
from tests.conftest import SEED_DIR, AppFactory, IsolatedClient, Org, outside_app_context, sign_in


def _albertslund() -> str:
    return (SEED_DIR / "grundlag" / "albertslund.yaml").read_text("utf-8")


def _second_server(app: Flask, make_app: AppFactory, database_url: str) -> Flask:
    other = make_app(
        {
            "TESTING": True,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WRITE_RATE_LIMIT": 100_000,
            "SIGNIN_RATE_LIMIT": 100_000,
        }
    )
    other.test_client_class = IsolatedClient
    return other


def test_the_grundlag_is_read_from_the_database_once_per_process(
    app: Flask, grundlag: Org, count_queries: Any
) -> None:
    client = app.test_client()
    sign_in(client, grundlag.employee)
    client.get("/grundlag/")
    with count_queries() as statements:
        page = client.get("/grundlag/mod")
    assert page.status_code == 200
    assert "Mod" in page.text
    # The signed-in person's query asks which version is in use; nothing else reads the grundlag.
    others = " ".join(statement for statement in statements if "FROM person" not in statement)
    for table in ("framework", "grundlag_part", "element_version", "statement_version"):
        assert f"FROM {table}" not in others, statements


def test_a_new_version_imported_on_one_server_shows_on_another_at_once(
    app: Flask, grundlag: Org, make_app: AppFactory, database_url: str
) -> None:
    other = _second_server(app, make_app, database_url)
    there = other.test_client()
    sign_in(there, grundlag.employee)
    assert "Mod og mening" not in there.get("/grundlag/mod").text  # kept on the other server

    changed = _albertslund().replace("title: Mod\n", "title: Mod og mening\n", 1)
    import_grundlag(parse_grundlag(changed))
    db.session.commit()

    assert "Mod og mening" in there.get("/grundlag/mod").text
    assert "Mod og mening" in there.get("/grundlag/").text


def test_another_framework_put_in_use_shows_on_every_server_at_once(
    app: Flask, grundlag: Org, make_app: AppFactory, database_url: str
) -> None:
    other = _second_server(app, make_app, database_url)
    there = other.test_client()
    sign_in(there, grundlag.employee)
    here = app.test_client()
    sign_in(here, grundlag.employee)
    for client in (here, there):
        assert client.get("/grundlag/mod").status_code == 200

    vallensbaek = (SEED_DIR / "grundlag" / "vallensbaek.yaml").read_text("utf-8")
    put_in_use(import_grundlag(parse_grundlag(vallensbaek)).framework)
    db.session.commit()

    for client in (here, there):
        assert client.get("/grundlag/mod").status_code == 404
        assert "Vallensbæk" in client.get("/grundlag/").text


def test_a_version_imported_with_the_command_shows_on_the_pages(
    app: Flask, grundlag: Org, tmp_path: Any
) -> None:
    client = app.test_client()
    sign_in(client, grundlag.employee)
    assert "Mod og mening" not in client.get("/grundlag/mod").text
    changed = tmp_path / "albertslund.yaml"
    changed.write_text(_albertslund().replace("title: Mod\n", "title: Mod og mening\n", 1))
    db.session.remove()
    result = outside_app_context(
        app.test_cli_runner().invoke, args=["devtrack", "grundlag", "import", str(changed)]
    )
    assert result.exit_code == 0, result.output
    assert "Mod og mening" in client.get("/grundlag/mod").text
