"""GUS: one group meeting with notes for the group, individual plans, and the request for an
individual MUS that the leader turns into that conversation in one step."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from devtrack.conversations.models import Conversation, ConversationRound, RoundKind
from devtrack.extensions import db
from devtrack.i18n import today_in_denmark
from devtrack.notifications.models import Notification, NotificationKind
from tests.conftest import Org, post
from tests.conversations.test_conversations import _client, _conversation, _open_round


def test_a_group_meets_once_and_an_individual_request_becomes_a_conversation(
    client: FlaskClient, grundlag: Org
) -> None:
    org = grundlag
    hr = _client(client, org.hr)
    round_id = _open_round(hr, org, kind="gus", title="GUS 2027")
    emma, erik = _conversation(round_id, org.employee), _conversation(round_id, org.colleague)
    eva = _conversation(round_id, org.people["E3"])  # another leader's team
    leader = _client(client, org.own_leader)
    employee = _client(client, org.employee)

    team = leader.get("/mine-medarbejdere").text
    assert "Book fælles tid til GUS 2027" in team
    form = leader.get(f"/samtaler/runder/{round_id}/gruppe").text
    assert "Emma Åkjær" in form and "Erik Østergaard" in form and "Eva Bøgh" not in form
    day = (today_in_denmark() + timedelta(days=14)).isoformat()
    refused = post(leader, f"/samtaler/runder/{round_id}/gruppe", {"day": day, "time": "9:00"})
    assert "Vælg mindst én deltager." in refused.text
    # Someone else's employee cannot be slipped in.
    booked = post(
        leader,
        f"/samtaler/runder/{round_id}/gruppe",
        {
            "participants": [str(emma.id), str(erik.id), str(eva.id)],
            "day": day,
            "time": "9:00",
            "place": "Personalestuen",
        },
    )
    assert booked.status_code == 302
    group_path = booked.headers["Location"]
    db.session.expire_all()
    emma, erik, eva = (db.session.get(Conversation, c.id) for c in (emma, erik, eva))  # type: ignore[assignment]
    assert emma.group_session_id == erik.group_session_id is not None
    assert eva.group_session_id is None and eva.booked_for is None
    assert emma.booked_for == erik.booked_for is not None and emma.place == "Personalestuen"

    notes = "Vi aftalte at dele vagtplanen om fredagen."
    assert post(leader, f"{group_path}/noter", {"notes": notes}).status_code == 302
    seen = employee.get(group_path).text
    assert notes in seen and "Personalestuen" in seen and "Erik Østergaard" in seen
    assert post(employee, f"{group_path}/noter", {"notes": "mine"}).status_code == 404
    other = _client(client, org.people["E3"])
    assert other.get(group_path).status_code == 404
    assert "Gruppesamtalen: tid, sted" in employee.get(f"/samtaler/{emma.id}").text
    assert notes in employee.get("/mine-data/mine-data.json").text  # in "Mine data" too

    assert post(leader, f"{group_path}/afholdt").status_code == 302
    db.session.expire_all()
    for conversation_id in (emma.id, erik.id):
        held = db.session.get(Conversation, conversation_id)
        assert held is not None and held.held_at is not None
        assert held.plan is not None  # each participant still gets an individual plan

    # The request for an individual MUS reaches the leader, Mine medarbejdere and HR.
    assert post(employee, f"/samtaler/{emma.id}/individuel").status_code == 302
    asked = db.session.scalars(
        select(Notification).where(Notification.kind == NotificationKind.INDIVIDUAL_MUS_REQUESTED)
    ).all()
    assert [note.person_id for note in asked] == [org.own_leader.id]
    assert (
        "Emma Åkjær ønsker en individuel MUS efter GUS 2027." in leader.get("/notifikationer/").text
    )
    assert "Ønsker individuel MUS" in leader.get("/mine-medarbejdere").text
    assert "Ønsker individuel MUS" in hr.get(f"/samtaler/runder/{round_id}").text
    assert post(hr, f"/samtaler/{emma.id}/individuel/opret").status_code == 404

    created = post(leader, f"/samtaler/{emma.id}/individuel/opret")
    assert created.status_code == 302
    assert post(leader, f"/samtaler/{emma.id}/individuel/opret").status_code == 302  # once
    individual = db.session.scalars(
        select(Conversation).where(
            Conversation.employee_id == org.employee.id, Conversation.round_id != round_id
        )
    ).one()
    assert created.headers["Location"].endswith(f"/samtaler/{individual.id}")
    follows = db.session.get(ConversationRound, individual.round_id)
    assert follows is not None and follows.kind == RoundKind.MUS
    assert follows.follows_round_id == round_id and follows.deadline > today_in_denmark()
    assert individual.leader_id == org.own_leader.id
    assert "Individuel MUS oprettet" in hr.get(f"/samtaler/runder/{round_id}").text
    assert "Book tid" in leader.get(f"/samtaler/{individual.id}").text
    assert "GUS 2027 · MUS" in employee.get("/samtaler/").text
