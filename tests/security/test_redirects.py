"""`next=` addresses after sign-in and after choosing a language: only ever this site, never a 500.

Browsers drop tabs and line breaks from an address and read `\\` as `/`, so each of these would
take the person to another site (or, with a line break, gave a server error).
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from devtrack.security import safe_redirect_target
from tests.conftest import PASSWORD, Org, give_password, post

HOSTILE = [
    "/%09/evil.example/x",
    "/\t/evil.example/x",
    "/%0d%0a/evil.example",
    "/%0a",
    "/x%0d%0aSet-Cookie:%20a=b",
    "//evil.example/x",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/%5Cevil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "/%E2%80%A8/evil.example",
    "/%C2%A0/evil.example",
    "http:/evil.example",
]


def _location_after_signin(client: FlaskClient, next_value: str) -> str:
    response = post(
        client,
        f"/log-ind?next={next_value}",
        {"email": "emma@test.dk", "password": PASSWORD},
    )
    assert response.status_code == 302, response.text[:300]
    return str(response.headers["Location"])


@pytest.mark.parametrize("next_value", HOSTILE)
def test_sign_in_never_sends_the_person_to_another_site(
    client: FlaskClient, org: Org, next_value: str
) -> None:
    give_password(org.employee)
    assert _location_after_signin(client, next_value) == "/"
    assert "Emma Åkjær" in client.get("/").text  # signed in, and the home page works


def test_sign_in_keeps_a_next_on_this_site_with_its_query(client: FlaskClient, org: Org) -> None:
    give_password(org.employee)
    location = _location_after_signin(client, "/tidslinje/%3Fside%3D2")
    assert location == "/tidslinje/?side=2"


@pytest.mark.parametrize("next_value", HOSTILE)
def test_the_language_switch_never_sends_the_person_to_another_site(
    client: FlaskClient, next_value: str
) -> None:
    from urllib.parse import unquote

    response = post(client, "/sprog/en", {"next": unquote(next_value)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_next_gives_a_path_on_this_site(target: str) -> None:
    result = safe_redirect_target(target)
    assert result.startswith("/") and not result.startswith("//")
    assert result.isprintable() and "\\" not in result
    # The browser's view: dropping what it drops never turns it into another site.
    for dropped in ("\t", "\n", "\r"):
        assert not result.replace(dropped, "").startswith("//")
