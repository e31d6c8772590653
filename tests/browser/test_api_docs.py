"""The API's documentation page in Chromium: Swagger UI, served by devtrack itself, draws every
operation under the strict Content-Security-Policy, asking no other site for anything."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Request

from tests.browser.test_pages_axe import check_accessibility


@pytest.mark.browser
def test_the_api_documentation_works_under_the_csp_from_this_server_only(
    browser: Browser, live_server: str
) -> None:
    page = browser.new_page()
    problems: list[str] = []
    elsewhere: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    def request(sent: Request) -> None:
        if not sent.url.startswith(live_server) and not sent.url.startswith("data:"):
            elsewhere.append(sent.url)

    page.on("console", console)
    page.on("request", request)
    response = page.goto(f"{live_server}/api/v1/docs/")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/organisation" in " ".join(paths)
    assert any("/api/v1/reports/coverage" in path for path in paths)
    assert problems == [] and elsewhere == []
    check_accessibility(page, "api-docs")
    page.close()
    # On a phone, nothing is wider than the screen.
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"{live_server}/api/v1/docs/")
    phone.wait_for_selector(".opblock-summary-path", timeout=15_000)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    phone.close()
