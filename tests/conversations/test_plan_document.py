"""The plan as minutes and as a PDF for the personnel file."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from pypdf import PdfReader

from devtrack.conversations.models import Conversation
from devtrack.extensions import db
from tests.conftest import Org, post
from tests.conversations.test_conversations import _agreement, _client, _conversation, _open_round


@pytest.fixture
def municipality(app: Flask, tmp_path: Path) -> Iterator[None]:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), (0, 60, 120)).save(logo)
    app.config.update(MUNICIPALITY_NAME="Ærø Kommune", MUNICIPALITY_LOGO=str(logo))
    yield
    app.config.update(MUNICIPALITY_NAME="", MUNICIPALITY_LOGO="")


def test_the_plan_with_its_minutes_is_filed_as_a_pdf(
    client: FlaskClient, grundlag: Org, municipality: None
) -> None:
    org = grundlag
    hr = _client(client, org.hr)
    round_id = _open_round(hr, org)
    conversation = _conversation(round_id, org.employee)
    path = f"/samtaler/{conversation.id}"
    employee, leader = _client(client, org.employee), _client(client, org.own_leader)
    assert post(leader, f"{path}/afholdt").status_code == 302
    # The minutes are written during or after the conversation, and kept with the plan.
    minutes = "Vi talte om året, om trivsel og om ønsket om at lære konflikthåndtering."
    assert post(leader, f"{path}/plan/referat", {"summary": minutes}).status_code == 302
    too_long = post(leader, f"{path}/plan/referat", {"summary": "x" * 4001})
    assert too_long.status_code == 200 and "Skriv højst 4000 tegn." in too_long.text
    agreement = _agreement(deadline=date(2030, 6, 30).isoformat())
    assert post(leader, f"{path}/plan/aftale", agreement).status_code == 302
    post(employee, f"{path}/plan/kvitter", {"disagreement": "Kurset er for langt."})
    post(leader, f"{path}/plan/kvitter")
    # Changing the minutes after the lock is an amendment the employee acknowledges again.
    changed = minutes + " Emma vil tale med tillidsrepræsentanten."
    assert post(leader, f"{path}/plan/referat", {"summary": changed}).status_code == 302
    db.session.expire_all()
    found = db.session.get(Conversation, conversation.id)
    plan = found.plan if found else None
    assert plan is not None and plan.summary == changed and plan.employee_acknowledged_at is None
    assert "Referatet ændret fra" in employee.get(f"{path}/plan").text

    printed = employee.get(f"{path}/plan/print").text
    assert "Lise Æbeltoft" in printed and "Dato og underskrift" in printed
    assert changed in printed

    response = employee.get(f"{path}/plan/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in (
        "Ærø Kommune",
        "Udviklingsplan",
        "Emma Åkjær",
        "Team Æblehaven",
        "Lise Æbeltoft",
        "MUS 2027",
        "Deltage i kursus om konflikthåndtering",
        "Mod",  # the grundlag element the agreement develops
        "30. juni 2030",
        "Emma vil tale med tillidsrepræsentanten.",
        "Kurset er for langt.",
        "Referatet ændret fra",
        "Dato og underskrift: Emma Åkjær",
        "Dato og underskrift: Lise Æbeltoft",
    ):
        assert expected in text, expected
    assert not re.search(r"\d\d[:.]\d\d[:.]\d\d", text)  # times without seconds
    fonts = [
        font.get_object()
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    ]
    assert fonts and all(
        "/FontFile2" in font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        or "/FontFile3" in font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for font in fonts
    )  # embedded, so the file reads the same on any machine
    assert reader.pages[0].images, "the municipality's logo"
