"""A round with a non-default template, walked in a real browser by HR, the employee and the
leader: preparation → side by side → notes → plan → print, in Danish and English, axe clean."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from devtrack.conversation_templates.importer import parse_template
from devtrack.conversation_templates.services import import_template, make_default
from devtrack.conversations.models import Conversation
from devtrack.extensions import db
from devtrack.i18n import today_in_denmark
from tests.browser.test_pages_axe import check_accessibility, choose_language, sign_in
from tests.conftest import SEED_DIR, Org, give_password

STEPS = ("forberedelse", "", "noter", "plan", "plan/print")


def _walk(page: Page, base: str, path: str, language: str, who: str) -> None:
    """Every step of the conversation's pages, each checked by axe."""
    for step in STEPS:
        response = page.goto(f"{base}{path}/{step}".rstrip("/"))
        assert response is not None and response.status == 200, step
        assert page.locator("html").get_attribute("lang") == language
        check_accessibility(page, f"walk-{who}-{language}-{step.replace('/', '-') or 'detail'}")


@pytest.mark.browser
def test_a_round_with_a_chosen_template_is_walked_by_both_sides_in_both_languages(
    browser: Browser, live_server: str, grundlag: Org
) -> None:
    org = grundlag
    for name in ("mus", "devtrack-standard"):
        result = import_template(
            parse_template((SEED_DIR / "templates" / f"{name}.yaml").read_text("utf-8"))
        )
        if name == "mus":
            make_default(result.template)
    for person in (org.hr, org.employee, org.own_leader):
        give_password(person)
    db.session.commit()

    # HR opens a MUS with the template that is not the default.
    hr = browser.new_page()
    sign_in(hr, live_server, org.hr.email)
    hr.goto(f"{live_server}/samtaler/runder/ny")
    assert "(standard)" in hr.locator("#template").inner_text()
    hr.locator("#template").select_option(
        label="MUS – medarbejderudviklingssamtale: devtrack – de faste spørgsmål"
    )
    hr.get_by_label("Titel").fill("MUS med de faste spørgsmål")
    hr.get_by_label("Frist").fill((today_in_denmark() + timedelta(days=30)).isoformat())
    hr.locator(f"#unit-{org.employee.unit_id}").check()
    check_accessibility(hr, "walk-hr-round-new")
    hr.get_by_role("button", name="Opret runde").click()
    hr.wait_for_load_state("load")
    assert "devtrack – de faste spørgsmål" in hr.content()
    hr.get_by_role("button", name="Åbn runden").click()
    hr.wait_for_load_state("load")
    hr.close()
    conversation = db.session.scalar(
        select(Conversation).where(Conversation.employee_id == org.employee.id)
    )
    assert conversation is not None
    path = f"/samtaler/{conversation.id}"

    # The employee prepares in Danish, with the template's questions.
    employee = browser.new_page()
    sign_in(employee, live_server, org.employee.email)
    employee.goto(f"{live_server}{path}/forberedelse")
    employee.get_by_label("Hvordan trives du på arbejdet?").fill("Godt")
    employee.get_by_role("button", name="Gem og markér som færdig").click()
    employee.wait_for_load_state("load")

    # The leader prepares in English: the leader's own wording, and a note to share.
    leader = browser.new_page()
    sign_in(leader, live_server, org.own_leader.email)
    choose_language(leader, live_server, "en")
    leader.goto(f"{live_server}{path}/forberedelse")
    assert "Hvordan oplever du medarbejderens trivsel?" in leader.content()
    assert "Hvordan trives du på arbejdet?" not in leader.content()
    leader.get_by_label("Hvordan oplever du medarbejderens trivsel?").fill("PRIVAT: travl periode")
    leader.get_by_label("Noter, du deler med medarbejderen").fill("Lad os tale om foråret.")
    leader.get_by_role("button", name="Save and mark as complete").click()
    leader.wait_for_load_state("load")

    # Side by side: the leader sees both; the employee sees only what the leader shared.
    leader.goto(f"{live_server}{path}")
    assert "Godt" in leader.content() and "PRIVAT: travl periode" in leader.content()
    employee.goto(f"{live_server}{path}")
    assert "Lad os tale om foråret." in employee.content()
    assert "PRIVAT" not in employee.content()

    # Notes per section of the template, written by the leader, shown on the print view.
    leader.goto(f"{live_server}{path}/noter")
    leader.locator("#n_trivsel").fill("Vi aftalte færre møder om fredagen.")
    leader.get_by_role("button", name="Save the notes").click()
    leader.wait_for_load_state("load")
    employee.goto(f"{live_server}{path}/plan/print")
    assert "Vi aftalte færre møder om fredagen." in employee.content()

    for page, who, languages in (
        (employee, "employee", ("da", "en")),
        (leader, "leader", ("en", "da")),
    ):
        for language in languages:
            choose_language(page, live_server, language)
            _walk(page, live_server, path, language, who)
        page.close()
