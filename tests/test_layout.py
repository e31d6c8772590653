"""The layout every page shares: the municipality's identity and the menu on small screens."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from devtrack.people.models import Person
from tests.conftest import AppFactory, Org, sign_in

LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10"/></svg>'


def test_without_a_logo_the_header_shows_the_municipality_name_and_no_placeholder(
    make_app: AppFactory, database_url: str
) -> None:
    app = make_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MUNICIPALITY_NAME": "Ærø Kommune",
        }
    )
    page = app.test_client().get("/log-ind").text
    header = page.split("</header>")[0]
    assert '<span class="municipality-name">Ærø Kommune</span>' in header
    assert "<img" not in header
    assert "placeholder" not in page and "LOGO" not in page


def test_a_configured_logo_is_served_here_and_shown_in_the_header_and_on_printouts(
    make_app: AppFactory, database_url: str, tmp_path: Path
) -> None:
    logo = tmp_path / "aeroe.svg"
    logo.write_bytes(LOGO)
    (tmp_path / "secret.txt").write_text("not served")
    app = make_app(
        {
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MUNICIPALITY_NAME": "Ærø Kommune",
            "MUNICIPALITY_LOGO": str(logo),
        }
    )
    client = app.test_client()
    page = client.get("/log-ind").text
    assert 'alt="Ærø Kommune, til forsiden"' in page
    address = page.split('class="print-identity"><img src="')[1].split('"')[0]
    assert address.startswith("/assets/logo/aeroe.svg?v=")
    with client.get(address) as response:
        assert response.status_code == 200
        assert response.data == LOGO
        assert "max-age=31536000" in response.headers["Cache-Control"]
    assert client.get("/assets/logo/secret.txt").status_code == 404


def test_the_menu_drawer_holds_the_menu_notifications_my_data_language_and_sign_out(
    client: FlaskClient, org: Org
) -> None:
    sign_in(client, org.employee)
    page = client.get("/").text
    assert 'href="#menu"' in page  # reachable without JavaScript
    drawer = page.split('id="menu"')[1].split('<div class="navigation-menu">')[0]
    for text in ("Mine mål", "Vores grundlag", "Notifikationer", "Mine data", "English", "Log ud"):
        assert text in drawer, text
    assert 'action="/log-ud"' in drawer


def test_mine_medarbejdere_is_in_the_menu_of_whoever_leads_a_unit_as_of_this_request(
    client: FlaskClient, org: Org
) -> None:
    from devtrack.extensions import db
    from devtrack.people.models import OrgUnit

    def menu_of(person: Person) -> str:
        visitor = client.application.test_client()
        sign_in(visitor, person)
        return visitor.get("/").text.split('<div class="navigation-menu">')[1]

    assert "/mine-medarbejdere" in menu_of(org.own_leader)
    assert "/mine-medarbejdere" not in menu_of(org.employee)
    leader = client.application.test_client()
    sign_in(leader, org.own_leader)
    assert "/mine-medarbejdere" in leader.get("/").text
    for unit in db.session.query(OrgUnit).filter_by(leader_id=org.own_leader.id):
        unit.leader_id = None
    db.session.commit()
    # Loaded with the signed-in person on every request: the next page knows at once.
    assert "/mine-medarbejdere" not in leader.get("/").text
