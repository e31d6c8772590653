"""A held conversation reads as held; HR extends an open round and is warned of doubles."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient

from devtrack.i18n import today_in_denmark
from tests.conftest import Org, post
from tests.conversations.test_conversations import _client, _conversation, _open_round


def test_a_held_conversation_shows_as_held_not_booked(client: FlaskClient, grundlag: Org) -> None:
    org = grundlag
    round_id = _open_round(_client(client, org.hr), org)
    path = f"/samtaler/{_conversation(round_id, org.employee).id}"
    leader = _client(client, org.own_leader)
    day = (today_in_denmark() + timedelta(days=3)).isoformat()
    assert post(leader, f"{path}/book", {"day": day, "time": "09:00"}).status_code == 302
    assert "Samtalen er booket til" in leader.get(path).text
    assert post(leader, f"{path}/afholdt").status_code == 302
    for who in (leader, _client(client, org.employee)):
        page = who.get(path).text
        assert "Samtalen er holdt" in page
        assert "booket til" not in page and "Book tid" not in page and "Flyt tid" not in page
    assert "Holdt:" in _client(client, org.employee).get("/samtaler/").text
    # The booking page sends a held conversation back to its page.
    assert leader.get(f"{path}/book").headers["Location"].endswith(path)


def test_hr_extends_an_open_round_and_is_warned_of_people_in_another(
    client: FlaskClient, grundlag: Org
) -> None:
    from sqlalchemy import select

    from devtrack.conversations.models import Conversation
    from devtrack.extensions import db
    from devtrack.people.models import OrgUnit

    org = grundlag
    hr = _client(client, org.hr)
    team_a, team_b = (
        db.session.scalar(select(OrgUnit.id).where(OrgUnit.external_id == key)) for key in "34"
    )
    deadline = (today_in_denmark() + timedelta(days=30)).isoformat()

    def new_round(title: str, unit: int | None) -> int:
        made = post(
            hr,
            "/samtaler/runder/ny",
            {"kind": "mus", "title": title, "deadline": deadline, "units": [str(unit)]},
        )
        round_id = int(made.headers["Location"].rsplit("/", 1)[1])
        assert post(hr, f"/samtaler/runder/{round_id}/aabn").status_code == 302
        return round_id

    new_round("MUS Æblehaven", team_a)
    second = new_round("MUS Ørnereden", team_b)
    hr.get(f"/samtaler/runder/{second}")  # the flashed messages are read
    # Ørnereden's round is extended with Æblehaven, whose people are in the first round.
    page = hr.get(f"/samtaler/runder/{second}/enheder").text
    assert "Team Æblehaven" in page and f'value="{team_b}"' not in page
    answer = post(hr, f"/samtaler/runder/{second}/enheder", {"units": [str(team_a)]})
    assert answer.status_code == 302
    page = hr.get(answer.headers["Location"]).text
    assert "Team Æblehaven" in page  # now in the round's units
    warning = "også med i en anden åben runde af samme slags (MUS – medarbejderudviklingssamtale)"
    assert warning in page
    warned = page.split(warning)[1].split("</p>")[0]
    assert "Emma Åkjær" in warned and "Erik Østergaard" in warned and "Eva" not in warned
    # The round's page keeps saying who is in two rounds.
    page = hr.get(f"/samtaler/runder/{second}").text
    assert "Også med i en anden åben runde af samme slags" in page
    employees = db.session.scalars(
        select(Conversation.employee_id).where(Conversation.round_id == second)
    ).all()
    assert len(employees) == 3  # Eva, and Emma and Erik, now invited to both
    nothing = post(hr, f"/samtaler/runder/{second}/enheder", {})
    assert "Vælg mindst én enhed." in nothing.text
