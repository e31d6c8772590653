"""Feedback through the pages: who may write it, who sees it, replies, sharing, requests."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.audit.models import AccessAction, AccessLogEntry
from devtrack.extensions import db
from devtrack.feedback.models import Feedback, FeedbackRequest, FeedbackSource, RequestStatus
from devtrack.i18n import today_in_denmark
from devtrack.notifications.models import Notification, NotificationKind
from devtrack.people.services import deactivate
from tests.conftest import Org, World, form_value, post, sign_in


def _feedback_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "situation_date": today_in_denmark().isoformat(),
        "text": "Jeg så mod, da du sagde fra over for planen.",
    }
    data.update(overrides)
    if "about" not in data:
        data["about"] = form_value("mod", "s1")
    return data


def test_a_leader_gives_feedback_the_employee_sees_and_is_told_about(
    client: FlaskClient, grundlag: Org
) -> None:
    sign_in(client, grundlag.own_leader)
    response = post(client, "/feedback/ny", _feedback_form(receiver=str(grundlag.employee.id)))
    assert response.status_code == 302
    feedback = db.session.scalars(select(Feedback)).one()
    assert feedback.source == FeedbackSource.LEADER
    assert feedback.statement_version is not None
    notification = db.session.scalars(select(Notification)).one()
    assert notification.person_id == grundlag.employee.id
    assert notification.kind == NotificationKind.FEEDBACK_RECEIVED

    employee = client.application.test_client()
    sign_in(employee, grundlag.employee)
    home = employee.get("/").text
    assert 'class="badge badge-notification">1' in home
    assert "Lise Æbeltoft har givet dig feedback om Mod." in employee.get("/notifikationer/").text
    opened = post(employee, f"/notifikationer/{notification.id}/aabn")
    assert opened.headers["Location"] == f"/feedback/{feedback.id}"
    page = employee.get(opened.headers["Location"]).text
    assert "Jeg så mod, da du sagde fra over for planen." in page
    assert "badge-notification" not in employee.get("/").text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"receiver": "", "text": ""}, "Skriv din feedback."),
        ({"receiver": "", "about": ""}, "Vælg det element eller adfærdsudsagn"),
        ({"receiver": "SELF"}, "Du kan ikke give dig selv feedback som kollega"),
        ({"receiver_email": "ingen@test.dk"}, "Der er ingen person med den e-mail"),
        ({"receiver": "COLLEAGUE", "situation_date": "2999-01-01"}, "Datoen ligger i fremtiden."),
        ({"receiver": "COLLEAGUE", "text": "å" * 4001}, "Skriv højst 4000 tegn."),
    ],
)
def test_bad_feedback_gets_a_message_and_nothing_is_saved(
    client: FlaskClient, grundlag: Org, fields: dict[str, str], message: str
) -> None:
    sign_in(client, grundlag.employee)
    ids = {"SELF": str(grundlag.employee.id), "COLLEAGUE": str(grundlag.colleague.id)}
    data = _feedback_form(**{key: ids.get(value, value) for key, value in fields.items()})
    response = post(client, "/feedback/ny", data)
    assert response.status_code == 200
    assert message in response.text
    assert db.session.scalars(select(Feedback)).all() == []


def test_feedback_to_someone_who_has_left_is_refused(client: FlaskClient, grundlag: Org) -> None:
    deactivate(grundlag.colleague)
    db.session.commit()
    sign_in(client, grundlag.employee)
    response = post(client, "/feedback/ny", _feedback_form(receiver_email="ERIK@test.dk"))
    assert "Erik Østergaard er fratrådt og kan ikke få feedback." in response.text
    assert "Jeg så mod, da du sagde fra over for planen." in response.text  # kept
    assert db.session.scalars(select(Feedback)).all() == []


def test_an_own_reflection_is_the_persons_alone(client: FlaskClient, grundlag: Org) -> None:
    sign_in(client, grundlag.employee)
    post(client, "/feedback/ny", _feedback_form(receiver="refleksion", text="Min refleksion."))
    reflection = db.session.scalars(select(Feedback)).one()
    assert reflection.source == FeedbackSource.SELF
    assert db.session.scalars(select(Notification)).all() == []
    leader = client.application.test_client()
    sign_in(leader, grundlag.own_leader)
    assert leader.get(f"/feedback/{reflection.id}").status_code == 404


def test_who_sees_colleague_feedback_and_how_sharing_changes_it(
    client: FlaskClient, world: World
) -> None:
    path = f"/feedback/{world.colleague_feedback_id}"
    viewers = {
        "employee": world.employee,
        "colleague (author)": world.colleague,
        "own leader": world.own_leader,
        "other leader": world.other_leader,
        "hr": world.hr,
        "admin": world.admin,
    }
    clients = {}
    for name, person in viewers.items():
        clients[name] = client.application.test_client()
        sign_in(clients[name], person)

    def statuses() -> dict[str, int]:
        return {name: c.get(path).status_code for name, c in clients.items()}

    assert statuses() == {
        "employee": 200,
        "colleague (author)": 200,
        "own leader": 404,
        "other leader": 404,
        "hr": 404,
        "admin": 404,
    }
    # Only the receiver may share it; the leader cannot make it visible to themselves.
    assert post(clients["own leader"], f"{path}/del").status_code == 404
    assert post(clients["employee"], f"{path}/del").status_code == 302
    assert statuses()["own leader"] == 200
    assert statuses()["other leader"] == 404
    denied = db.session.scalars(
        select(AccessLogEntry).where(
            AccessLogEntry.action == AccessAction.DENIED,
            AccessLogEntry.object_type == "feedback",
        )
    ).all()
    assert len(denied) >= 4


def test_either_side_replies_and_the_other_is_told(client: FlaskClient, world: World) -> None:
    path = f"/feedback/{world.leader_feedback_id}"
    sign_in(client, world.employee)
    assert post(client, f"{path}/svar", {"text": ""}).status_code == 200
    assert post(client, f"{path}/svar", {"text": "Tak, det betød meget."}).status_code == 302
    leader = client.application.test_client()
    sign_in(leader, world.own_leader)
    assert post(leader, f"{path}/svar", {"text": "Godt at høre."}).status_code == 302
    page = client.get(path).text
    assert page.index("Tak, det betød meget.") < page.index("Godt at høre.")
    replies_to_leader = db.session.scalars(
        select(Notification).where(
            Notification.person_id == world.own_leader.id,
            Notification.kind == NotificationKind.FEEDBACK_REPLY,
        )
    ).all()
    assert len(replies_to_leader) == 1


def test_a_colleague_answers_a_request_and_it_closes(client: FlaskClient, world: World) -> None:
    sign_in(client, world.colleague)
    assert "Emma Åkjær" in client.get("/feedback/").text
    form = client.get(f"/feedback/ny?anmodning={world.request_id}").text
    assert "har bedt om din feedback" in form and "Hvordan gik overdragelsen?" in form
    response = post(
        client,
        "/feedback/ny",
        _feedback_form(
            receiver=str(world.employee.id),
            about=form_value("helhed"),
            request_id=str(world.request_id),
            text="Overdragelsen var grundig.",
        ),
    )
    assert response.status_code == 302
    request = db.session.get(FeedbackRequest, world.request_id)
    assert request is not None and request.status == RequestStatus.ANSWERED
    answer = db.session.scalar(select(Feedback).where(Feedback.request_id == request.id))
    assert answer is not None and answer.source == FeedbackSource.COLLEAGUE
    assert "Ingen venter på din feedback." in client.get("/feedback/").text
    again = client.get(f"/feedback/ny?anmodning={world.request_id}")
    assert again.status_code == 302


def test_only_the_asked_person_may_answer_and_only_the_asker_withdraw(
    client: FlaskClient, world: World
) -> None:
    sign_in(client, world.own_leader)
    assert client.get(f"/feedback/ny?anmodning={world.request_id}").status_code == 404
    assert post(client, f"/feedback/anmodning/{world.request_id}/tilbagetraek").status_code == 404
    employee = client.application.test_client()
    sign_in(employee, world.employee)
    assert post(employee, f"/feedback/anmodning/{world.request_id}/tilbagetraek").status_code == 302
    request = db.session.get(FeedbackRequest, world.request_id)
    assert request is not None and request.status == RequestStatus.WITHDRAWN
    colleague = client.application.test_client()
    sign_in(colleague, world.colleague)
    assert "Ingen venter på din feedback." in colleague.get("/feedback/").text


def test_asking_for_feedback_notifies_each_person(client: FlaskClient, grundlag: Org) -> None:
    sign_in(client, grundlag.employee)
    empty = post(client, "/feedback/anmod", {"about": form_value("mod")})
    assert "Vælg mindst én person at spørge." in empty.text
    self_asked = post(
        client, "/feedback/anmod", {"about": form_value("mod"), "emails": "emma@test.dk"}
    )
    assert "Du kan ikke bede dig selv om feedback." in self_asked.text
    response = post(
        client,
        "/feedback/anmod",
        {
            "recipients": [str(grundlag.colleague.id), str(grundlag.own_leader.id)],
            "emails": "eva@test.dk",
            "about": form_value("mod"),
            "message": "Efter mødet i tirsdags",
        },
    )
    assert response.status_code == 302
    asked = db.session.scalars(select(FeedbackRequest.recipient_id)).all()
    assert sorted(asked) == sorted(
        [grundlag.colleague.id, grundlag.own_leader.id, grundlag.people["E3"].id]
    )
    told = db.session.scalars(
        select(Notification.person_id).where(
            Notification.kind == NotificationKind.FEEDBACK_REQUESTED
        )
    ).all()
    assert sorted(told) == sorted(asked)
