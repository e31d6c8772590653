"""'Mine data': a person sees and downloads everything stored about them, and only that."""

from __future__ import annotations

import json

from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.conversations.models import Conversation, PreparationRole
from devtrack.conversations.services import PreparationAnswers, save_preparation
from devtrack.extensions import db
from tests.conftest import World, sign_in


def test_the_download_holds_everything_about_the_person(client: FlaskClient, world: World) -> None:
    conversation = db.session.get(Conversation, world.conversation_id)
    assert conversation is not None
    save_preparation(
        conversation,
        PreparationRole.LEADER,
        world.own_leader,
        PreparationAnswers(looking_back="LEDERENS PRIVATE NOTE", shared_notes="Delt med Emma"),
        [],
        seen_version=None,
        submit=True,
    )
    db.session.commit()
    leader = client.application.test_client()
    sign_in(leader, world.own_leader)
    leader.get(f"/maal/{world.shared_goal_id}")  # leaves an access-log entry about Emma
    sign_in(client, world.employee)
    response = client.get("/mine-data/mine-data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["person"]["email"] == "emma@test.dk"
    assert {goal["title"] for goal in data["goals"]} == {
        "Tage ordet på personalemøder",
        "Et hemmeligt udkast",
    }
    assert {item["text"] for item in data["feedback"]} >= {
        "Jeg så mod, da du tog ordet på mødet.",
        "Tak for hjælpen med vagtplanen.",
    }
    assert data["feedback_requests"][0]["message"] == "Hvordan gik overdragelsen?"
    (mus,) = data["conversations"]
    assert mus["plan"]["agreements"][0]["what"] == "Kursus i konflikthåndtering"
    assert mus["shared_by_leader"] == "Delt med Emma"
    assert "LEDERENS PRIVATE NOTE" not in response.text
    assert any(entry["by"] == "Lise Æbeltoft" for entry in data["access_log"])
    exported = db.session.scalar(
        select(AccessLogEntry).where(AccessLogEntry.action == AccessAction.EXPORT)
    )
    assert exported is not None and exported.subject_id == world.employee.id
    page = client.get("/mine-data/").text
    assert "Tage ordet på personalemøder" in page and "Kursus i konflikthåndtering" in page


def test_nobody_elses_data_is_in_it(client: FlaskClient, world: World) -> None:
    sign_in(client, world.people["E3"])
    text = client.get("/mine-data/mine-data.json").text
    for secret in ("Tage ordet", "Jeg så mod", "Kursus i konflikthåndtering", "emma@test.dk"):
        assert secret not in text
