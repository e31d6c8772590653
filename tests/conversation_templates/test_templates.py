"""Conversation templates as data: the shipped ones import, a broken file is refused whole
with its lines named, and a changed file becomes a version that leaves old conversations'
questions as they were asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from devtrack.conversation_templates.importer import TemplateFileError, parse_template
from devtrack.conversation_templates.models import (
    ConversationTemplate,
    Side,
    TemplateKind,
    TemplateVersion,
)
from devtrack.extensions import db
from tests.conftest import SEED_DIR, Org, csrf_token, post, sign_in

TEMPLATES = sorted((SEED_DIR / "templates").glob("*.yaml"))
# What the municipal guidelines require a MUS to cover (see the sources in mus.yaml).
MUS_TOPICS = (
    "aftaler, vi lavede ved sidste samtale",
    "kompetencer",
    "opgaver lige nu",
    "opgaver ser du frem til",
    "arbejdspladsens mål",
    "værdierne",
    "trives",
    "samarbejdet",
    "mig som leder",
)


def _import(app: Flask, path: Path, *extra: str) -> str:
    result = app.test_cli_runner().invoke(
        args=["devtrack", "template", "import", str(path), *extra]
    )
    assert result.exit_code == 0, result.output
    return str(result.output)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.stem)
def test_every_shipped_template_imports_and_names_its_sources(app: Flask, path: Path) -> None:
    document = parse_template(path.read_text("utf-8"))
    kind = document.kind.value
    output = _import(app, path, *(["--default-for", kind] if path.stem == kind else []))
    assert "version 1" in output
    template = db.session.scalar(select(ConversationTemplate))
    assert template is not None and template.key == document.key
    version = template.latest
    assert len(version.questions()) == len(document.questions()) > 3
    assert version.sources.strip()
    assert template.is_default == (path.stem == kind)
    # Every question asked of both sides has the leader's own wording (not the employee's).
    for question in version.questions():
        if question.asks(Side.EMPLOYEE) and question.asks(Side.LEADER):
            assert question.employee_text != question.leader_text, question.key
    assert "Uændret" in _import(app, path)


def test_the_default_mus_covers_every_topic_the_guidelines_require() -> None:
    document = parse_template((SEED_DIR / "templates" / "mus.yaml").read_text("utf-8"))
    employee_questions = " ".join(
        question.employee.text for question in document.questions() if question.employee
    )
    for topic in MUS_TOPICS:
        assert topic in employee_questions, topic
    municipalities = {source.organisation for source in document.sources}
    assert len([name for name in municipalities if "Kommune" in name]) >= 3


BROKEN = """format: devtrack-samtaleskabelon/1
key: vores-mus
kind: mus
title: Vores MUS
sources:
  - organisation: Vores Kommune
    title: Retningslinjer
sections:
  - key: trivsel
    title: Trivsel
    panel: topics
    questions:
      - key: trivsel
        employee:
          text: Hvordan trives du?
          shraed: true
      - key: trivsel
        leader: Hvordan trives medarbejderen?
  - key: samarbejde
    titel: Samarbejde
    group: true
    questions:
      - key: Samarbejde
"""


def test_a_broken_template_names_every_problem_with_its_line_and_writes_nothing(
    app: Flask, tmp_path: Path
) -> None:
    broken = tmp_path / "vores-mus.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["devtrack", "template", "import", str(broken)])
    assert result.exit_code == 1
    assert "intet er gemt" in result.output
    assert "Traceback" not in result.output
    for expected in (
        "linje 16, sections[0].questions[0].employee.shraed: ukendt felt 'shraed';"
        " mente du 'shared'?",
        "linje 17, sections[0].questions[1].key: nøglen 'trivsel' er allerede brugt",
        "linje 20, sections[1].titel: ukendt felt 'titel'; mente du 'title'?",
        "linje 19, sections[1].title: feltet 'title' mangler",
        "linje 21, sections[1].group: 'group' kan kun bruges i en GUS-skabelon",
        "linje 23, sections[1].questions[0].key: nøglen 'Samarbejde' må kun bestå af små",
        "linje 23, sections[1].questions[0]: spørgsmålet har hverken 'employee' eller 'leader'",
    ):
        assert expected in result.output, result.output
    assert db.session.scalar(select(func.count()).select_from(ConversationTemplate)) == 0


def test_yaml_that_cannot_be_read_is_told_in_danish_with_line_and_column() -> None:
    with pytest.raises(TemplateFileError) as refused:
        parse_template("format: devtrack-samtaleskabelon/1\nkey: a\nkey: b\ntitle: x: y\n")
    assert "linje 4, kolonne" in str(refused.value)
    assert "kolon" in str(refused.value)


def test_a_template_cannot_be_default_for_another_kind(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "devtrack",
            "template",
            "import",
            str(SEED_DIR / "templates" / "lus.yaml"),
            "--default-for",
            "mus",
        ]
    )
    assert result.exit_code == 1
    assert "LUS-skabelon" in result.output
    assert db.session.scalar(select(func.count()).select_from(ConversationTemplate)) == 0


def test_a_changed_template_is_a_new_version_and_old_conversations_keep_their_questions(
    app: Flask, client: FlaskClient, grundlag: Org, tmp_path: Path
) -> None:
    original = (SEED_DIR / "templates" / "mus.yaml").read_text("utf-8")
    _import(app, SEED_DIR / "templates" / "mus.yaml", "--default-for", "mus")
    hr = app.test_client()
    sign_in(hr, grundlag.hr)

    def open_round(title: str) -> int:
        from devtrack.conversations.models import Conversation, ConversationRound

        page = post(
            hr,
            "/samtaler/runder/ny",
            {
                "kind": "mus",
                "template": "",
                "title": title,
                "deadline": "2099-12-31",
                "units": [str(grundlag.employee.unit_id)],
            },
        )
        assert page.status_code == 302, page.text
        round_id = db.session.scalar(
            select(ConversationRound.id).where(ConversationRound.title == title)
        )
        assert post(hr, f"/samtaler/runder/{round_id}/aabn").status_code == 302
        found = db.session.scalar(
            select(Conversation.id).where(
                Conversation.round_id == round_id,
                Conversation.employee_id == grundlag.employee.id,
            )
        )
        assert found is not None
        return int(found)

    first = open_round("MUS 2098")
    changed = tmp_path / "mus.yaml"
    changed.write_text(
        original.replace(
            "Hvordan trives du på arbejdet? Hvad giver dig energi, og hvad dræner dig?",
            "Hvordan har du det på arbejdet lige nu?",
        ),
        encoding="utf-8",
    )
    assert "version 2" in _import(app, changed)
    second = open_round("MUS 2099")
    template = db.session.scalar(select(ConversationTemplate))
    assert template is not None and [v.number for v in template.versions] == [1, 2]
    assert db.session.scalar(select(func.count()).select_from(TemplateVersion)) == 2

    employee = app.test_client()
    sign_in(employee, grundlag.employee)
    old_page = employee.get(f"/samtaler/{first}/forberedelse").text
    new_page = employee.get(f"/samtaler/{second}/forberedelse").text
    assert "Hvad giver dig energi, og hvad dræner dig?" in old_page
    assert "Hvordan har du det på arbejdet lige nu?" not in old_page
    assert "Hvordan har du det på arbejdet lige nu?" in new_page
    # An answer saved under the key shows under the question as it was asked.
    token = csrf_token(employee)
    saved = employee.post(
        f"/samtaler/{first}/forberedelse",
        data={"csrf_token": token, "q_trivsel": "Godt", "draft": "1", "side": "employee"},
    )
    assert saved.status_code == 302
    shown = employee.get(f"/samtaler/{first}").text
    assert "Hvad giver dig energi, og hvad dræner dig?" in shown and "Godt" in shown
    assert TemplateKind.MUS.value == template.kind.value
