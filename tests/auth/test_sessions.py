"""Sessions end on the server: a session cookie copied before signing out opens nothing after."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.auth.browsers import another_browser, change_password
from tests.conftest import Org, post, sign_in

COOKIE = "session"


def _copy_of(client: FlaskClient, app: Flask) -> FlaskClient:
    """Another browser holding a copy of the client's session cookie (as a thief would)."""
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie.value)
    assert thief.get("/").status_code == 200  # the copy works while the session is open
    return thief


def test_a_cookie_copied_before_sign_out_stops_working(
    client: FlaskClient, org: Org, app: Flask
) -> None:
    sign_in(client, org.employee)
    thief = _copy_of(client, app)
    assert post(client, "/log-ud").status_code == 302
    assert thief.get("/").status_code == 302
    assert "/log-ind" in thief.get("/mine-data/").headers["Location"]


def test_signing_out_ends_only_this_browsers_session(
    client: FlaskClient, org: Org, app: Flask
) -> None:
    sign_in(client, org.employee)
    phone = another_browser(app, org.employee)
    post(client, "/log-ud")
    assert phone.get("/").status_code == 200


def test_sign_out_everywhere_ends_every_session_of_the_person(
    client: FlaskClient, org: Org, app: Flask
) -> None:
    sign_in(client, org.employee)
    phone = another_browser(app, org.employee)
    thief = _copy_of(client, app)
    colleague = app.test_client()
    sign_in(colleague, org.colleague)
    page = client.get("/mine-data/").text
    assert 'action="/log-ud/alle-steder"' in page and "Log ud alle steder" in page
    response = post(client, "/log-ud/alle-steder", follow_redirects=True)
    assert "Du er logget ud alle steder" in response.text
    for browser in (client, phone, thief):
        assert browser.get("/").status_code == 302
    assert colleague.get("/").status_code == 200  # someone else's sessions go on
    sign_in(client, org.employee)  # and signing in again works
    assert client.get("/").status_code == 200


def test_changing_the_password_ends_copied_cookies_too(
    client: FlaskClient, org: Org, app: Flask
) -> None:
    sign_in(client, org.employee)
    thief = _copy_of(client, app)
    assert change_password(client).status_code == 302
    assert client.get("/").status_code == 200  # this browser goes on with a new session
    assert thief.get("/").status_code == 302  # the copy of the old one does not
