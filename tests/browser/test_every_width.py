"""Every page for every role on a phone (390×844) in Danish and on a desktop (1280×800) in
English.

On each page nothing is wider than the screen (a table may scroll inside its own region) and axe
finds no WCAG 2.1 AA violation; on each role's first page at each width, the menu with sign-out
and language can be reached (every page has the same header). So
every page is checked at both widths and in both languages, one walk per role. With
DEVTRACK_SCREENSHOTS=1 a screenshot of each page at each width is written to
tests/artifacts/widths/ for people to look at (a page axe fails on always leaves one).
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.test_pages_axe import (
    ARTIFACTS,
    _collect_errors,
    check_accessibility,
    choose_language,
    sign_in,
)
from tests.conftest import World, give_password
from tests.pages import pages_by_role

MENU = re.compile(r"^Menu")  # the menu button, not "Luk menuen"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = os.environ.get("DEVTRACK_SCREENSHOTS") == "1"


@dataclass(frozen=True)
class Menu:
    """The header's names in one language."""

    language: str
    sign_out: str
    other_language: str
    navigation: str
    close: str


DANISH = Menu("da", "Log ud", "English", "Hovedmenu", "Luk")
ENGLISH = Menu("en", "Sign out", "Dansk", "Main menu", "Close")

# Visible elements reaching past the right edge of the screen, outside any region that scrolls
# or clips on its own (the body itself clips, which would hide the overflow from scrollWidth).
WIDER_THAN_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= width + 1) continue;
    let parent = element.parentElement, contained = false;
    while (parent && parent !== document.body) {
      if (getComputedStyle(parent).overflowX !== "visible") { contained = true; break; }
      parent = parent.parentElement;
    }
    if (!contained) found.push(`${element.tagName.toLowerCase()}.${element.className}: ` +
      `${Math.round(box.right)}px «${(element.textContent || "").trim().slice(0, 40)}»`);
  }
  return found.slice(0, 5);
}"""


def _menu_is_reachable(page: Page, phone: bool, menu: Menu = DANISH) -> None:
    if phone:
        page.get_by_role("button", name=MENU).click()
        drawer = page.get_by_role("dialog", name="Menu")
        assert drawer.get_by_role("button", name=menu.sign_out, exact=True).is_visible()
        assert drawer.get_by_role("button", name=menu.other_language).is_visible()
        assert drawer.get_by_role("navigation", name=menu.navigation).is_visible()
        drawer.get_by_role("button", name=menu.close).click()
        assert not drawer.is_visible()
    else:
        assert page.get_by_role("button", name=menu.sign_out, exact=True).is_visible()
        assert page.get_by_role("button", name=menu.other_language).is_visible()
        assert page.get_by_role("navigation", name=menu.navigation).is_visible()


def _check_page(
    page: Page, live_server: str, path: str, name: str, menu: Menu, *, with_menu: bool
) -> list[str]:
    """Open the page at the current width; what does not fit, or fails axe, is returned or
    raised. `with_menu`: also open and close the menu (every page has the same header)."""
    viewport = page.viewport_size
    assert viewport is not None
    response = page.goto(live_server + path)
    assert response is not None and response.status < 400, path
    assert page.locator("html").get_attribute("lang") == menu.language, path
    if SCREENSHOTS:
        target = ARTIFACTS / "widths"
        target.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target / f"{name}.png"), full_page=True)
    problems = []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > viewport["width"]:
        problems.append(f"{name}: scrollWidth {scroll_width}")
    wider = page.evaluate(WIDER_THAN_SCREEN)
    if wider:
        problems.append(f"{name}: wider than the screen: {wider}")
    if with_menu:
        _menu_is_reachable(page, viewport["width"] == PHONE["width"], menu)
    check_accessibility(page, name)
    return problems


@pytest.mark.browser
def test_every_page_fits_a_phone_and_a_desktop_in_both_languages(
    browser: Browser, live_server: str, world: World
) -> None:
    for person in (world.employee, world.own_leader, world.admin, world.hr):
        give_password(person)
    problems: list[str] = []
    for email, paths in pages_by_role(world).items():
        context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
        page = context.new_page()
        errors: list[str] = []
        page.on("console", _collect_errors(errors))
        sign_in(page, live_server, email)
        who = email.split("@")[0]
        for number, path in enumerate(paths):
            name = f"{who}-da-{PHONE['width']}{path.replace('/', '_')}"
            problems += _check_page(page, live_server, path, name, DANISH, with_menu=number == 0)
        page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
        choose_language(page, live_server, "en")
        for number, path in enumerate(paths):
            name = f"{who}-en-{DESKTOP['width']}{path.replace('/', '_')}"
            problems += _check_page(page, live_server, path, name, ENGLISH, with_menu=number == 0)
        assert errors == [], errors
        context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_the_phone_menu_works_without_javascript(
    browser: Browser, live_server: str, world: World
) -> None:
    give_password(world.employee)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)  # type: ignore[arg-type]
    page = context.new_page()
    sign_in(page, live_server, world.employee.email)
    drawer = page.get_by_role("dialog", name="Menu")
    assert not drawer.is_visible()
    page.get_by_role("link", name=MENU).click()
    assert drawer.get_by_role("button", name="Log ud", exact=True).is_visible()
    drawer.get_by_role("link", name="Mine mål").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mine mål"
    context.close()


@pytest.mark.browser
def test_on_a_desktop_the_header_links_stand_apart(
    browser: Browser, live_server: str, world: World
) -> None:
    give_password(world.employee)
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    page = context.new_page()
    sign_in(page, live_server, world.employee.email)
    header = page.locator(".portal-user")
    boxes = [
        header.get_by_role("link", name="Notifikationer").bounding_box(),
        header.get_by_role("link", name="Mine data").bounding_box(),
        header.get_by_role("button", name="Log ud", exact=True).bounding_box(),
    ]
    for left, right in itertools.pairwise(boxes):
        assert left is not None and right is not None
        assert right["x"] - (left["x"] + left["width"]) >= 16, (left, right)
    context.close()
