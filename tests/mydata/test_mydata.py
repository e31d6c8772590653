"""'Mine data': a person sees and downloads everything stored about them, and only that."""

from __future__ import annotations

import json
import re

from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.conversations.models import Conversation, PreparationRole
from devtrack.conversations.services import save_preparation
from devtrack.extensions import db
from devtrack.mydata.labels import FIELDS
from devtrack.mydata.services import personal_data
from tests.conftest import World, post, sign_in


def test_the_download_holds_everything_about_the_person(client: FlaskClient, world: World) -> None:
    conversation = db.session.get(Conversation, world.conversation_id)
    assert conversation is not None
    save_preparation(
        conversation,
        PreparationRole.LEADER,
        world.own_leader,
        {"aaret-der-gik": "LEDERENS PRIVATE NOTE", "delt-med-medarbejderen": "Delt med Emma"},
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
    assert list(mus["shared_by_leader"].values()) == ["Delt med Emma"]
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


def _facts(page: str) -> dict[str, str]:
    """The page's listed fields: each <dt> with the <dd> after it."""
    return {
        label.strip(): value.strip()
        for label, value in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page, flags=re.S)
    }


def test_the_page_names_every_field_and_value_in_words_in_both_languages(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, world.employee)
    page = client.get("/mine-data/").text
    facts = _facts(page)
    assert facts["Medarbejdernummer"] == "E1"
    assert facts["Aktiv"] == "Ja" and facts["Administrator"] == "Nej"
    assert facts["Retning"] in ("modtaget", "givet")
    assert "Status" in facts and facts["Fra hvem"] in ("Fra lederen", "Fra en kollega")
    assert "(venter på svar)" in page  # the open feedback request
    assert "Kladde" in page or "Aktivt" in page  # the goals' statuses
    assert "Ikke startet" in page  # the agreement's status
    assert "Inviteret" in page or "Booket" in page  # the conversation's state
    # The export's own names and values stay in the JSON download.
    for machine in (
        "employee_number",
        "last_signin_at",
        "shared_with_leader",
        "received",
        "not_started",
        "invited",
        "feedback_received",
        "draft",
        ">open<",
        "(open)",
    ):
        assert machine not in page, machine

    post(client, "/sprog/en", {"next": "/"})
    english = _facts(client.get("/mine-data/").text)
    assert english["Employee number"] == "E1"
    assert english["Active"] == "Yes" and english["Language"] == "English"


def test_every_field_of_the_export_has_a_name_on_the_page(world: World) -> None:
    unnamed: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if isinstance(inner, dict | list):
                    walk(inner)
                elif key not in FIELDS:
                    unnamed.add(key)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(personal_data(world.employee))
    assert unnamed == set()
