"""Signing in through a real OpenID Connect provider (oidc-provider), in a real browser."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from devtrack.audit.models import AccessAction
from devtrack.extensions import db
from tests.browser.sso.conftest import PASSWORDS, access_log
from tests.browser.test_pages_axe import check_accessibility
from tests.conftest import Org


def sign_in_at_provider(page: Page, login: str) -> None:
    """oidc-provider's own sign-in page (its development interactions)."""
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill(PASSWORDS.get(login, "kodeord"))
    page.locator("button[type=submit]").click()


def test_openid_connect_sign_in_lands_on_the_next_page_and_sign_out_ends_the_provider_session(
    page: Page, org: Org, sso_server: str
) -> None:
    page.goto(f"{sso_server}/tidslinje/")
    # The municipality's buttons come before the password form (kept for administrators).
    buttons = page.locator("main a.button, main button")
    expect(buttons.first).to_have_text("Log ind med KOMBIT")
    check_accessibility(page, "sso-signin")
    page.get_by_role("link", name="Log ind med Entra ID").click()
    sign_in_at_provider(page, "emma")
    page.wait_for_url(f"{sso_server}/tidslinje/", wait_until="domcontentloaded")
    expect(page.locator(".portal-user .user")).to_have_text("Emma Åkjær")
    signin = access_log(AccessAction.SIGNIN)
    assert [(e.actor_id, e.detail) for e in signin] == [(org.employee.id, "oidc")]

    page.get_by_role("button", name="Log ud").first.click()
    page.wait_for_url("**/session/end**", wait_until="domcontentloaded")
    # The provider asks whether to end its session too (RP-initiated logout), then returns.
    page.locator("button[value=yes]").click()
    page.wait_for_url(f"{sso_server}/log-ind", wait_until="domcontentloaded")
    expect(page.get_by_text("Du er logget ud.")).to_be_visible()
    page.goto(f"{sso_server}/tidslinje/")
    page.wait_for_url(f"{sso_server}/log-ind?next=%2Ftidslinje%2F", wait_until="domcontentloaded")
    # The provider's session ended too: signing in again asks for the password.
    page.get_by_role("link", name="Log ind med Entra ID").click()
    expect(page.locator("input[name=password]")).to_be_visible(timeout=20_000)


def test_openid_connect_sign_in_of_an_unknown_or_deactivated_person_is_refused(
    page: Page, org: Org, sso_server: str
) -> None:
    page.goto(f"{sso_server}/log-ind/oidc")
    sign_in_at_provider(page, "ukendt")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Du kan ikke logge ind i devtrack", timeout=20_000
    )
    expect(page.get_by_text("devtrack har dig ikke som medarbejder")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    check_accessibility(page, "sso-refused")

    org.colleague.active = False
    db.session.commit()
    context = page.context.browser.new_context()  # type: ignore[union-attr]
    other = context.new_page()
    other.goto(f"{sso_server}/log-ind/oidc")
    sign_in_at_provider(other, "erik")
    expect(other.get_by_text("du er ikke længere registreret som aktiv")).to_be_visible(
        timeout=20_000
    )
    other.goto(f"{sso_server}/")
    assert "/log-ind" in other.url
    context.close()
    refused = [(e.subject_id, e.detail) for e in access_log(AccessAction.SIGNIN_FAILED)]
    assert refused == [
        (None, "oidc: unknown (email ukendt@test.dk)"),
        (org.colleague.id, "oidc: deactivated"),
    ]


def test_the_hr_role_follows_the_providers_group_when_configured(
    page: Page, org: Org, sso_server: str
) -> None:
    org.hr.is_hr = False
    db.session.commit()
    page.goto(f"{sso_server}/log-ind/oidc")
    sign_in_at_provider(page, "hanne")
    page.wait_for_url(f"{sso_server}/", wait_until="domcontentloaded")
    db.session.refresh(org.hr)
    assert org.hr.is_hr
