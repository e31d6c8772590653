"""Every page in a real browser (Chromium via Playwright), checked by axe-core for WCAG 2.1 AA.

The pages are served by a live server on the test database (see conftest.py). A failing page
leaves a screenshot in tests/artifacts/.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page

from devtrack.extensions import db
from devtrack.grundlag.importer import parse_grundlag
from devtrack.grundlag.services import import_grundlag, put_in_use
from devtrack.people.models import OrgUnit
from tests.conftest import PASSWORD, SEED_DIR, Org, World, give_password

PROJECT = Path(__file__).resolve().parents[2]
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT / "tests" / "artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def with_grundlag(org: Org) -> Org:
    document = parse_grundlag((SEED_DIR / "grundlag" / "albertslund.yaml").read_text("utf-8"))
    put_in_use(import_grundlag(document).framework)
    db.session.commit()
    return org


def check_accessibility(page: Page, name: str) -> None:
    """Run axe-core on the page; fail with every WCAG 2.1 A/AA violation and save a screenshot."""
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make test does)"
    # Injected through the DevTools protocol, which the page's strict CSP does not govern.
    page.evaluate(AXE.read_text("utf-8") + "\n;window.__axe = axe;")
    result = page.evaluate(
        "tags => window.__axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
    ]
    if violations:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert violations == [], f"{name}: {json.dumps(violations, ensure_ascii=False, indent=2)}"


def _collect_errors(errors: list[str]) -> Callable[[ConsoleMessage], None]:
    def collect(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    return collect


def choose_language(page: Page, live_server: str, language: str) -> None:
    """Press the language button in the header, as a person would (a POST with CSRF)."""
    page.goto(f"{live_server}/")
    with page.expect_navigation():
        # The header's own switch; the phone menu's copy comes later on the page.
        page.locator(f'.language-choice button[lang="{language}"]').first.click()
    assert page.url == f"{live_server}/"


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/log-ind")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base}/")


def loaded(page: Page) -> str:
    """The page's HTML once the navigation a click started has finished loading."""
    page.wait_for_load_state("load")
    return page.content()


def visit(page: Page, url: str, errors: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 400, url
    assert errors == [], f"{url}: {errors}"


@pytest.mark.browser
def test_public_pages_pass_axe(browser: Browser, live_server: str, with_grundlag: Org) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    for name, path in (("signin", "/log-ind"), ("accessibility", "/tilgaengelighed")):
        visit(page, live_server + path, errors)
        check_accessibility(page, name)
    page.goto(live_server + "/findes-ikke")
    check_accessibility(page, "not-found")


@pytest.mark.browser
def test_forms_show_errors_next_to_the_field_and_pass_axe(
    browser: Browser, live_server: str, with_grundlag: Org
) -> None:
    page = browser.new_page()
    page.goto(f"{live_server}/log-ind")
    page.get_by_role("button", name="Log ind").click()
    assert page.locator("#email-error").inner_text().endswith("Skriv din e-mail.")
    check_accessibility(page, "signin-errors")
    page.get_by_label("E-mail").fill(with_grundlag.employee.email)
    page.get_by_label("Adgangskode").fill("forkert adgangskode")
    page.get_by_role("button", name="Log ind").click()
    assert "E-mail eller adgangskode er forkert." in loaded(page)


@pytest.mark.browser
def test_the_grundlag_reads_in_the_browser(
    browser: Browser, live_server: str, with_grundlag: Org
) -> None:
    give_password(with_grundlag.employee)
    page = browser.new_page()
    sign_in(page, live_server, with_grundlag.employee.email)
    page.get_by_role("link", name="Vores grundlag").first.click()
    page.get_by_role("link", name="Mod", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mod"
    assert "Vi er modige, når vi finder nye veje" in loaded(page)


@pytest.mark.browser
def test_the_axe_check_catches_a_violation(browser: Browser) -> None:
    page = browser.new_page()
    page.set_content('<html lang="da"><body><main><img src="x.png"></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        check_accessibility(page, "self-check")


@pytest.mark.browser
def test_a_year_of_goals_and_feedback_in_the_browser(
    browser: Browser, live_server: str, world: World
) -> None:
    """The employee writes a goal and progress, a colleague answers a feedback request, the
    leader gives feedback, and both employee and leader see it on one timeline."""
    for person in (world.employee, world.colleague, world.own_leader):
        give_password(person)
    errors: list[str] = []

    employee = browser.new_context().new_page()
    employee.on("console", _collect_errors(errors))
    sign_in(employee, live_server, world.employee.email)
    employee.get_by_role("link", name="Mine mål").first.click()
    employee.get_by_role("link", name="Nyt mål").click()
    employee.get_by_role("button", name="Gem mål").click()  # empty: errors at the fields
    assert "Giv målet en titel." in employee.locator("#title-error").inner_text()
    check_accessibility(employee, "goal-form-errors")
    employee.get_by_label("Titel").fill("Blive tryg ved at lede et møde")
    employee.get_by_role("checkbox", name="Mod", exact=True).check()
    employee.get_by_label("Del målet med min leder nu").check()
    employee.get_by_role("button", name="Gem mål").click()
    assert employee.get_by_role("heading", level=1).inner_text() == "Blive tryg ved at lede et møde"
    employee.get_by_label("Hvad er der sket?").fill("Ledede mødet om vagtplanen i dag.")
    employee.get_by_label("En milepæl er nået").check()
    employee.get_by_role("button", name="Gem fremskridt").click()
    assert "Fremskridtet er noteret." in loaded(employee)
    check_accessibility(employee, "goal-with-progress")

    colleague = browser.new_context().new_page()
    colleague.on("console", _collect_errors(errors))
    sign_in(colleague, live_server, world.colleague.email)
    colleague.get_by_role("link", name="Feedback", exact=True).first.click()
    colleague.get_by_role("link", name="Giv feedback til Emma Åkjær").click()
    colleague.get_by_label("Din feedback").fill("Du gav overdragelsen tid og ro.")
    colleague.get_by_role("button", name="Gem feedback").click()
    assert "Feedbacken er gemt." in loaded(colleague)

    leader = browser.new_context().new_page()
    leader.on("console", _collect_errors(errors))
    sign_in(leader, live_server, world.own_leader.email)
    leader.goto(f"{live_server}/feedback/ny?til={world.employee.id}")
    leader.get_by_role("radio", name="Relationer", exact=True).check()
    leader.get_by_label("Din feedback").fill("Jeg så relationer i dit arbejde med forældrene.")
    leader.get_by_role("button", name="Gem feedback").click()
    assert "Feedbacken er gemt." in loaded(leader)
    leader.goto(f"{live_server}/tidslinje/{world.employee.id}")
    leader_view = loaded(leader)
    assert "Blive tryg ved at lede et møde" in leader_view
    assert "Ledede mødet om vagtplanen i dag." in leader_view
    assert leader_view.count("Feedback fra Lise Æbeltoft") == 2  # the world's and this one
    assert "Feedback fra Erik Østergaard" not in leader_view  # colleague feedback, not shared

    employee.goto(f"{live_server}/tidslinje/")
    own_view = loaded(employee)
    assert "Feedback fra Erik Østergaard" in own_view
    assert "Feedback fra Lise Æbeltoft" in own_view
    assert "Ledede mødet om vagtplanen i dag." in own_view
    assert employee.locator(".notification-link .badge-notification").inner_text().startswith("4")
    check_accessibility(employee, "timeline-after-a-year")
    assert errors == []


# The first question of the shipped MUS template, in the employee's and the leader's wording.
EMPLOYEE_LOOKS_BACK = "Hvordan er det gået med de aftaler, vi lavede ved sidste samtale?"
LEADER_LOOKS_BACK = (
    "Hvordan er det efter din vurdering gået med medarbejderens aftaler fra sidste samtale?"
)


@pytest.mark.browser
def test_a_whole_round_in_the_browser(browser: Browser, live_server: str, world: World) -> None:
    """HR opens a round; the employee and the leader prepare; the leader holds it and they
    write the plan; both acknowledge (the employee with a disagreement); a follow-up is
    recorded; the leader changes and the new leader sees it; the next round starts from it."""
    org = world
    for person in (org.employee, org.own_leader, org.other_leader, org.hr):
        give_password(person)
    errors: list[str] = []

    def page_for(person: Any) -> Page:
        page = browser.new_context().new_page()
        page.on("console", _collect_errors(errors))
        sign_in(page, live_server, person.email)
        return page

    hr = page_for(org.hr)
    hr.get_by_role("link", name="Samtalerunder").click()
    check_accessibility(hr, "rounds")
    hr.get_by_role("link", name="Ny runde").click()
    hr.get_by_label("Titel").fill("MUS 2028")
    hr.get_by_label("Frist").fill("2099-06-30")
    hr.get_by_label("Team Æblehaven").check()
    hr.get_by_role("button", name="Opret runde").click()
    hr.get_by_role("button", name="Åbn runden").click()
    assert "2 nye samtaler er oprettet." in loaded(hr)  # Emma and Erik
    check_accessibility(hr, "round-detail")

    employee = page_for(org.employee)
    employee.get_by_role("link", name="Min MUS").click()
    check_accessibility(employee, "my-mus")
    employee.get_by_role("link", name="MUS 2028").click()
    check_accessibility(employee, "conversation-employee")
    employee.get_by_role("link", name="Min forberedelse").click()
    employee.get_by_label(EMPLOYEE_LOOKS_BACK).fill("Et godt år med nye kolleger.")
    employee.get_by_role("button", name="Gem kladde").click()
    assert "Kladden er gemt." in loaded(employee)
    assert (
        employee.get_by_label(EMPLOYEE_LOOKS_BACK).input_value() == "Et godt år med nye kolleger."
    )
    employee.get_by_role("button", name="Gem og markér som færdig").click()
    check_accessibility(employee, "preparation")
    conversation_url = employee.url.rsplit("/forberedelse", 1)[0]

    leader = page_for(org.own_leader)
    leader.get_by_role("link", name="Mine medarbejdere").click()
    check_accessibility(leader, "team")
    leader.get_by_role("row", name="Emma Åkjær").get_by_role("link", name="MUS 2028").click()
    leader.get_by_role("link", name="Min forberedelse").click()
    leader.get_by_label("Hvad vil du gerne sige til medarbejderen før samtalen?").fill(
        "Tak for dit engagement."
    )
    leader.get_by_label(LEADER_LOOKS_BACK).fill("Privat note om teamet.")
    leader.get_by_role("button", name="Gem og markér som færdig").click()
    leader.goto(conversation_url)
    assert "Et godt år med nye kolleger." in loaded(leader)
    leader.get_by_role("button", name="Markér som afholdt").click()
    check_accessibility(leader, "plan-empty")
    leader.get_by_label("Aftalen").fill("Lede tre personalemøder")
    leader.get_by_label("Slags udvikling").select_option("on_the_job")
    leader.get_by_role("checkbox", name="Mod", exact=True).check()
    leader.get_by_role("button", name="Tilføj aftale").click()
    assert "Aftalen er tilføjet planen." in loaded(leader)
    leader.get_by_role("button", name="Kvittér: jeg har set planen").click()

    employee.goto(conversation_url)
    assert "Tak for dit engagement." in loaded(employee)
    assert "Privat note om teamet." not in loaded(employee)
    employee.goto(conversation_url + "/plan")
    employee.get_by_label("Er du uenig i noget?").fill("Tre møder er for mange.")
    employee.get_by_role("button", name="Kvittér: jeg har set planen").click()
    assert "Planen er låst" in loaded(employee)
    check_accessibility(employee, "plan-locked")

    leader.goto(conversation_url + "/plan")
    leader.get_by_text("Registrér opfølgning på aftale 1").click()
    leader.get_by_label("Status").select_option("under_way")
    leader.get_by_label("Bemærkning").fill("Første møde holdt.")
    leader.get_by_role("button", name="Gem opfølgning").click()
    assert "Opfølgningen er gemt." in loaded(leader)
    leader.goto(conversation_url + "/plan/print")
    check_accessibility(leader, "plan-print")

    # Bo takes over Team Æblehaven: he sees the plan at once, Lise no longer does.
    unit = db.session.get(OrgUnit, org.employee.unit_id)
    assert unit is not None
    unit.leader_id = org.other_leader.id
    db.session.commit()
    new_leader = page_for(org.other_leader)
    new_leader.goto(conversation_url + "/plan")
    assert "Lede tre personalemøder" in loaded(new_leader)
    assert "Første møde holdt." in loaded(new_leader)
    former = leader.context.new_page()  # no console listener: this 404 is expected
    response = former.goto(conversation_url)
    assert response is not None and response.status == 404

    hr.goto(live_server + "/samtaler/runder/ny")
    hr.get_by_label("Titel").fill("MUS 2029")
    hr.get_by_label("Frist").fill("2099-12-31")
    hr.get_by_label("Team Æblehaven").check()
    hr.get_by_role("button", name="Opret runde").click()
    hr.get_by_role("button", name="Åbn runden").click()
    new_leader.goto(live_server + "/mine-medarbejdere")
    new_leader.get_by_role("row", name="Emma Åkjær").get_by_role("link", name="MUS 2029").click()
    assert "Opfølgning fra sidst" in loaded(new_leader)
    assert "Lede tre personalemøder" in loaded(new_leader)
    check_accessibility(new_leader, "next-round")
    assert errors == []
