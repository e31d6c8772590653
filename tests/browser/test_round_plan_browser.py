"""In the browser: a change to a locked plan asks the employee again, the plan is filed as a
PDF holding the names, dates and agreements, and a GUS participant's request for an
individual MUS becomes that conversation in one step. Pages checked with axe and at 390 px."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from pypdf import PdfReader
from sqlalchemy import select

from devtrack.conversations.models import Conversation, ConversationRound, RoundKind
from devtrack.conversations.services import (
    acknowledge,
    book_group,
    create_round,
    groupable,
    mark_held,
    open_round,
)
from devtrack.extensions import db
from devtrack.grundlag.links import version_for_choices
from tests.browser.test_every_width import PHONE, WIDER_THAN_SCREEN
from tests.browser.test_pages_axe import _collect_errors, check_accessibility, loaded, sign_in
from tests.conftest import World, give_password


def _fits_a_phone(page: Page) -> None:
    page.set_viewport_size(PHONE)  # type: ignore[arg-type]
    assert page.evaluate(WIDER_THAN_SCREEN) == [], page.url


@pytest.mark.browser
def test_amendment_pdf_and_individual_mus_in_the_browser(
    browser: Browser, live_server: str, world: World
) -> None:
    org = world
    for person in (org.employee, org.own_leader, org.hr):
        give_password(person)
    conversation = db.session.get(Conversation, org.conversation_id)
    assert conversation is not None
    mark_held(conversation)
    acknowledge(conversation, org.employee, as_employee=True)
    acknowledge(conversation, org.own_leader, as_employee=False)
    db.session.commit()
    errors: list[str] = []

    def page_for(person: Any) -> Page:
        page = browser.new_context().new_page()
        page.on("console", _collect_errors(errors))
        sign_in(page, live_server, person.email)
        return page

    plan_url = f"{live_server}/samtaler/{org.conversation_id}/plan"
    leader = page_for(org.own_leader)
    leader.goto(f"{plan_url}/aftale/{org.agreement_id}")
    leader.get_by_label("Frist").fill("2030-10-31")
    leader.get_by_role("button", name="Gem aftale").click()
    assert "Aftalen er gemt." in loaded(leader)

    employee = page_for(org.employee)
    employee.goto(plan_url)
    page = loaded(employee)
    assert "Planen er ændret, siden du kvitterede" in page
    assert "Frist ændret fra ingen frist til 31. oktober 2030" in page
    check_accessibility(employee, "plan-amended")
    _fits_a_phone(employee)
    employee.get_by_role("button", name="Kvittér igen: jeg har set ændringerne").click()
    assert "Begge har kvitteret" in loaded(employee)

    response = employee.request.get(f"{plan_url}/pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in (
        "Emma Åkjær",
        "Lise Æbeltoft",
        "MUS 2027",
        "Kursus i konflikthåndtering",
        "31. oktober 2030",
        "Frist ændret fra ingen frist til 31. oktober 2030",
    ):
        assert expected in text, expected

    # GUS: one meeting for the team; Emma asks for an individual MUS as well.
    version = version_for_choices()
    assert version is not None
    gus = create_round(
        kind=RoundKind.GUS,
        title="GUS 2027",
        deadline=date(2099, 1, 31),
        unit_ids=[org.employee.unit_id],
        version=version,
        creator=org.hr,
    )
    open_round(gus)
    group = book_group(gus, org.own_leader, groupable(org.own_leader, gus), datetime.now(UTC), "")
    db.session.commit()
    employee.goto(f"{live_server}/samtaler/gruppe/{group.id}")
    check_accessibility(employee, "group")
    _fits_a_phone(employee)
    mine = db.session.scalars(
        select(Conversation).where(
            Conversation.round_id == gus.id, Conversation.employee_id == org.employee.id
        )
    ).one()
    employee.goto(f"{live_server}/samtaler/{mine.id}")
    employee.get_by_role("button", name="Jeg ønsker en individuel MUS").click()
    assert "Du har bedt om en individuel MUS" in loaded(employee)

    # The front pages: the leader's to-do and HR's rounds, at a phone's width too.
    leader.goto(f"{live_server}/")
    assert "Ønsker individuel MUS (1)" in loaded(leader)
    check_accessibility(leader, "front-leader")
    _fits_a_phone(leader)
    hr = page_for(org.hr)
    assert "GUS 2027" in loaded(hr)
    check_accessibility(hr, "front-hr")
    _fits_a_phone(hr)
    employee.goto(f"{live_server}/")
    assert "Dit næste skridt" in loaded(employee)
    check_accessibility(employee, "front-employee")

    leader.goto(f"{live_server}/mine-medarbejdere")
    assert "Ønsker individuel MUS" in loaded(leader)
    check_accessibility(leader, "team-request")
    _fits_a_phone(leader)
    leader.get_by_role("button", name="Opret individuel MUS for Emma Åkjær").click()
    assert "Den individuelle MUS er oprettet." in loaded(leader)
    assert leader.get_by_role("link", name="Book tid").is_visible()
    db.session.expire_all()
    follows = db.session.scalar(
        select(ConversationRound).where(ConversationRound.follows_round_id == gus.id)
    )
    assert follows is not None and follows.kind == RoundKind.MUS
    assert errors == []
