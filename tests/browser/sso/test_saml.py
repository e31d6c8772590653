"""Signing in through a real SAML 2.0 identity provider (SimpleSAMLphp), in a real browser.

The tampered responses are real responses of the provider, captured on their way to devtrack
and posted again altered: where a check other than the signature is meant (audience, time), the
altered assertion is signed again with the provider's own (test) key, so only that check can
refuse it; the same re-signing of an unaltered assertion is accepted.
"""

from __future__ import annotations

import base64
import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs

import requests
from playwright.sync_api import Browser, Page, Route, expect

from devtrack.audit.models import AccessAction
from devtrack.extensions import db
from tests.browser.sso.conftest import HERE, PASSWORDS, Providers, access_log
from tests.conftest import Org

IDP_KEY = HERE / "simplesamlphp" / "cert" / "idp.key"
SP_KEY = HERE / "keys" / "sp.key"
SP_CERT = HERE / "keys" / "sp.crt"


def sign_in_at_provider(page: Page, login: str) -> None:
    """SimpleSAMLphp's sign-in form."""
    page.locator("input[name=username]").fill(login)
    page.locator("input[name=password]").fill(PASSWORDS.get(login, "ukendt-kodeord"))
    page.locator("#submit_button").click()


def log_details(action: AccessAction) -> list[str]:
    return [entry.detail for entry in access_log(action)]


def test_saml_sign_in_lands_on_the_next_page_and_single_logout_ends_both_sessions(
    page: Page, org: Org, sso_server: str
) -> None:
    page.goto(f"{sso_server}/tidslinje/")
    page.get_by_role("link", name="Log ind med KOMBIT").click()
    sign_in_at_provider(page, "emma")
    page.wait_for_url(f"{sso_server}/tidslinje/", wait_until="domcontentloaded")
    expect(page.locator(".portal-user .user")).to_have_text("Emma Åkjær")
    assert log_details(AccessAction.SIGNIN) == ["saml"]

    page.get_by_role("button", name="Log ud").first.click()
    # A signed LogoutRequest to the provider, whose signed LogoutResponse brings us back.
    page.wait_for_url(f"{sso_server}/log-ind", wait_until="domcontentloaded")
    expect(page.get_by_text("Du er logget ud.")).to_be_visible()
    page.goto(f"{sso_server}/")
    assert "/log-ind" in page.url
    page.get_by_role("link", name="Log ind med KOMBIT").click()
    expect(page.locator("input[name=password]")).to_be_visible(
        timeout=20_000
    )  # the provider forgot us too


def test_saml_sign_in_of_an_unknown_or_deactivated_person_is_refused(
    browser: Browser, org: Org, sso_server: str
) -> None:
    org.colleague.active = False
    db.session.commit()
    for login, text in (
        ("ukendt", "devtrack har dig ikke som medarbejder"),
        ("erik", "du er ikke længere registreret som aktiv"),
    ):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{sso_server}/log-ind/saml")
        sign_in_at_provider(page, login)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Du kan ikke logge ind i devtrack", timeout=20_000
        )
        expect(page.get_by_text(text)).to_be_visible()
        context.close()
    assert log_details(AccessAction.SIGNIN_FAILED) == [
        "saml: unknown (email ukendt@test.dk)",
        "saml: deactivated",
    ]


def capture_response(page: Page, sso_server: str, login: str) -> dict[str, str]:
    """Sign in at the provider and keep its response instead of delivering it."""
    captured: dict[str, str] = {}

    def keep(route: Route) -> None:
        form = parse_qs(route.request.post_data or "")
        captured.update({name: values[0] for name, values in form.items()})
        route.fulfill(status=204)

    page.route(f"{sso_server}/saml/acs", keep)
    page.goto(f"{sso_server}/log-ind/saml?next=/tidslinje/")
    sign_in_at_provider(page, login)
    page.wait_for_timeout(0)
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while "SAMLResponse" not in captured and datetime.now(UTC) < deadline:
        page.wait_for_timeout(50)
    page.unroute(f"{sso_server}/saml/acs")
    return captured


def resign_assertion(xml: str, tmp_path: Path) -> str:
    """Drop the response's signature and sign the assertion again with the provider's key."""
    first_signature = re.search(r"<ds:Signature.*?</ds:Signature>", xml, re.S)
    assert first_signature and xml.index("<saml:Assertion") > first_signature.start()
    xml = xml[: first_signature.start()] + xml[first_signature.end() :]
    assertion_id = re.search(r'<saml:Assertion[^>]* ID="([^"]+)"', xml)
    assert assertion_id
    source, signed = tmp_path / "altered.xml", tmp_path / "signed.xml"
    source.write_text(xml, encoding="utf-8")
    subprocess.run(
        [
            "xmlsec1",
            "--sign",
            "--privkey-pem",
            str(IDP_KEY),
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
            "--node-id",
            assertion_id.group(1),
            "--output",
            str(signed),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    return signed.read_text(encoding="utf-8")


def test_tampered_expired_misaddressed_unsigned_and_replayed_responses_are_refused(
    page: Page, org: Org, sso_server: str, tmp_path: Path
) -> None:
    captured = capture_response(page, sso_server, "emma")
    original = base64.b64decode(captured["SAMLResponse"]).decode("utf-8")
    assert "emma@test.dk" in original

    def post(xml: str) -> requests.Response:
        data = {
            "SAMLResponse": base64.b64encode(xml.encode("utf-8")).decode("ascii"),
            "RelayState": captured["RelayState"],
        }
        return requests.post(f"{sso_server}/saml/acs", data=data, allow_redirects=False, timeout=10)

    def refused(xml: str) -> str:
        response = post(xml)
        assert response.status_code == 400, response.text[:300]
        assert "Login mislykkedes" in response.text
        return log_details(AccessAction.SIGNIN_FAILED)[-1]

    past = (datetime.now(UTC) - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    cases = {
        "altered attribute": original.replace("emma@test.dk", "erik@test.dk"),
        "unsigned": re.sub(r"<ds:Signature.*?</ds:Signature>", "", original, flags=re.S),
        "wrong audience": resign_assertion(
            re.sub(
                r"<saml:Audience>[^<]+</saml:Audience>",
                "<saml:Audience>https://other.example/saml</saml:Audience>",
                original,
            ),
            tmp_path,
        ),
        "expired": resign_assertion(
            re.sub(r'(?<!Session)NotOnOrAfter="[^"]+"', f'NotOnOrAfter="{past}"', original),
            tmp_path,
        ),
    }
    reasons = {case: refused(xml) for case, xml in cases.items()}
    assert all(reason.startswith("saml: invalid response") for reason in reasons.values())
    assert "audience" in reasons["wrong audience"].lower(), reasons
    assert not log_details(AccessAction.SIGNIN)

    # The same re-signing without an alteration is accepted: the checks above refused the
    # alteration, not the re-signing. Posted again, the assertion is a replay.
    accepted = post(resign_assertion(original, tmp_path))
    assert accepted.status_code == 302
    assert accepted.headers["Location"] == "/tidslinje/"
    assert log_details(AccessAction.SIGNIN) == ["saml"]
    assert "replayed assertion" in refused(original)


def test_an_encrypted_assertion_is_accepted_and_signing_out_at_the_provider_ends_the_session(
    page: Page, org: Org, sso_server_encrypted: str, identity_providers: Providers
) -> None:
    posted: list[str] = []
    page.on(
        "request",
        lambda request: (
            posted.append(request.post_data or "") if request.url.endswith("/saml/acs") else None
        ),
    )
    page.goto(f"{sso_server_encrypted}/log-ind/saml")
    sign_in_at_provider(page, "emma")
    page.wait_for_url(f"{sso_server_encrypted}/", wait_until="domcontentloaded")
    expect(page.locator(".portal-user .user")).to_have_text("Emma Åkjær")
    response = base64.b64decode(parse_qs(posted[0])["SAMLResponse"][0]).decode("utf-8")
    assert "EncryptedAssertion" in response and "emma@test.dk" not in response

    # Signing out at the provider (another application's sign-out): its signed LogoutRequest
    # ends devtrack's session too.
    back = f"{sso_server_encrypted}/log-ind"
    page.goto(f"{identity_providers.saml}/saml2/idp/SingleLogoutService.php?ReturnTo={back}")
    page.wait_for_url(back, wait_until="domcontentloaded")
    page.goto(f"{sso_server_encrypted}/")
    assert "/log-ind" in page.url
    assert log_details(AccessAction.SIGNOUT) == ["saml single logout"]


def test_the_service_provider_metadata_is_signed_and_names_the_endpoints(
    sso_server: str, tmp_path: Path
) -> None:
    response = requests.get(f"{sso_server}/saml/metadata", timeout=10)
    assert response.status_code == 200
    metadata = response.text
    assert f'entityID="{sso_server}/saml/metadata"' in metadata
    assert 'AuthnRequestsSigned="true"' in metadata
    assert f'Location="{sso_server}/saml/acs"' in metadata
    assert f'Location="{sso_server}/saml/logout"' in metadata
    assert 'use="encryption"' in metadata and 'use="signing"' in metadata
    saved = tmp_path / "metadata.xml"
    saved.write_bytes(response.content)
    verified = subprocess.run(
        [
            "xmlsec1",
            "--verify",
            "--pubkey-cert-pem",
            str(SP_CERT),
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
            str(saved),
        ],
        capture_output=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr.decode()
