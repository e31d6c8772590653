"""The grundlag chooser in a real browser: its search box filters as one types (the static
script under the strict CSP), and without JavaScript the lists open by hand and still save."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page

from tests.browser.test_pages_axe import _collect_errors, sign_in
from tests.conftest import World, give_password

STATEMENT = "Vi drøfter og afstemmer et ensartet og realistisk serviceniveau"
NONE_FOUND = "Intet i grundlaget matcher søgningen."


def _choice(page: Page, title: str) -> Locator:
    """An element's row in the chooser's first part (the one for everybody), by its title."""
    return (
        page.locator(".grundlag-choice-group")
        .first.locator(".grundlag-choices > .grundlag-choice")
        .filter(has=page.get_by_label(title, exact=True))
    )


def _leaders_part(page: Page) -> Locator:
    return page.locator(".grundlag-choice-group").filter(
        has=page.locator("summary", has_text=re.compile("^Ledelsesgrundlag$"))
    )


def _new_goal(
    browser: Browser, live_server: str, world: World, errors: list[str], *, javascript: bool
) -> Page:
    """The new-goal form, signed in as the employee; console errors (a script that fails, or
    one the CSP refuses) are collected in `errors`."""
    give_password(world.employee)
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.on("console", _collect_errors(errors))
    sign_in(page, live_server, world.employee.email)
    page.goto(f"{live_server}/maal/nyt")
    page.get_by_label("Titel").fill("Et fælles serviceniveau")
    return page


@pytest.mark.browser
def test_the_search_box_filters_the_grundlag_as_one_types(
    browser: Browser, live_server: str, world: World
) -> None:
    errors: list[str] = []
    page = _new_goal(browser, live_server, world, errors, javascript=True)
    search = page.get_by_label("Søg i grundlaget")
    assert search.is_visible()
    elements = ("Vores opgave", "Mod", "Helhed", "Relationer")
    assert all(_choice(page, title).is_visible() for title in elements)

    # A word from one statement: only its element is left, opened on its statements.
    search.press_sequentially("ensartet")
    assert _choice(page, "Vores opgave").is_visible()
    assert not any(_choice(page, title).is_visible() for title in elements[1:])
    assert not _leaders_part(page).is_visible()
    statement = page.get_by_label(STATEMENT, exact=False)
    assert statement.is_visible()
    assert page.get_by_role("status").inner_text() == ""

    # Nothing matches: everything is hidden and the status says so.
    search.fill("")
    search.press_sequentially("xyzzy")
    assert not any(_choice(page, title).is_visible() for title in elements)
    assert page.get_by_role("status").inner_text() == NONE_FOUND

    # Cleared: every element is back, and the chosen statement is saved with the goal.
    search.fill("")
    assert all(_choice(page, title).is_visible() for title in elements)
    assert _leaders_part(page).is_visible()
    search.press_sequentially("ensartet")
    statement.check()
    page.get_by_role("button", name="Gem mål").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text() == "Et fælles serviceniveau"
    assert STATEMENT in page.content()
    assert errors == []
    page.context.close()


@pytest.mark.browser
def test_without_javascript_the_lists_open_by_hand_and_the_choice_is_saved(
    browser: Browser, live_server: str, world: World
) -> None:
    page = _new_goal(browser, live_server, world, [], javascript=False)
    assert not page.get_by_label("Søg i grundlaget").is_visible()  # no box that does nothing
    statement = page.get_by_label(STATEMENT, exact=False)
    assert not statement.is_visible()  # the statements start folded
    _choice(page, "Vores opgave").locator("summary").click()
    statement.check()
    page.get_by_role("button", name="Gem mål").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text() == "Et fælles serviceniveau"
    assert STATEMENT in page.content()
    page.context.close()
